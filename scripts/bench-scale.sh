#!/usr/bin/env bash
# `make bench-scale`: the staff and citizen figures of the same worker with catalogs of
# 46 (the demo), 1,062 (a county) and 20,000 (a prefecture) items, on this machine in one
# run; each per-request figure also as a ratio to the 46-item one (goal ≤ 1.5×), and the
# phone's per-keystroke search time (CPU slowed 4×, five typing runs: the median
# keystroke, the slowest keystroke by its median over the runs — goal ≤ 50 ms — and the
# median of the runs' slowest).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"46 1062 20000"}
OUT=target/bench-scale.jsonl
: >"$OUT"
for n in $SIZES; do
  if [ "$n" = 46 ]; then
    DATA=data
  else
    DATA=target/catalog-$n
    cargo run -q --release -p zhinan-seed --bin gen-catalog -- --items "$n" --out "$DATA"
  fi
  STATE=.wrangler/bench-scale-$n
  source scripts/serve-local.sh
  node scripts/seed-staff.mjs >/dev/null
  # One line per catalog: the request figures, then the phone's keystrokes (4× slower CPU).
  node scripts/bench-scale.mjs >target/bench-scale-requests.json
  node scripts/bench-search.mjs >target/bench-scale-search.json
  python3 -c 'import json,sys; print(json.dumps({**json.load(open(sys.argv[1])), **json.load(open(sys.argv[2]))}))' \
    target/bench-scale-requests.json target/bench-scale-search.json | tee -a "$OUT"
  stop_server
  trap - EXIT
done
python3 - "$OUT" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
base = rows[0]
cols = ["staff_list_ms", "item_open_ms", "draft_save_ms", "publish_one_ms"]
print(f"\n{'items':>7} " + " ".join(f"{c:>16}" for c in cols) + f" {'max ops':>8} {'catalog br':>11} {'search br':>10}   keystroke 4x: median / slowest (by median) / runs' slowest")
for r in rows:
    cells = []
    for c in cols:
        v, b = r.get(c), base.get(c)
        cells.append(f"{v:7.0f} ({v / b:4.2f}x)" if v and b else f"{'-':>16}")
    print(f"{r['items']:>7} " + " ".join(f"{c:>16}" for c in cells)
          + f" {r['largest_ops']:>8} {r['catalog_api_brotli']:>11} {r['search_data_brotli']:>10}"
          + f"  {r['keystroke_median_ms']} / {r['keystroke_slowest_ms']} ({r['keystroke_slowest']}) / {r['keystroke_max_ms']} ms")
print("\nslowest raw keystroke of each typing run (CPU 4x):")
for r in rows:
    print(f"{r['items']:>7} " + ", ".join(r.get("keystroke_max_runs", [])))
PY
