#!/usr/bin/env bash
# Prints the figures the README records: bundle and page sizes (raw and brotli), and
# requests/s + p99 of the guide API and page under a bounded loopback load (wrk), each
# also as a ratio to a trivial endpoint on the same server in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=.wrangler/bench-state
source scripts/serve-local.sh

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-8}
br_size() { brotli -c -q 11 | wc -c; }

echo "== sizes"
for wasm in dist/pkg/*.wasm; do
  printf '%-40s raw %8d B   brotli %8d B\n' "citizen app $(basename "$wasm")" "$(wc -c <"$wasm")" "$(br_size <"$wasm")"
done
for js in dist/pkg/*.js; do
  printf '%-40s raw %8d B   brotli %8d B\n' "citizen app $(basename "$js")" "$(wc -c <"$js")" "$(br_size <"$js")"
done
# The staff console is a bundle of its own (dist/staff/), never loaded by citizen pages.
for f in dist/staff/pkg/*.wasm dist/staff/pkg/*.js; do
  printf '%-40s raw %8d B   brotli %8d B\n' "staff console $(basename "$f")" "$(wc -c <"$f")" "$(br_size <"$f")"
done
printf '%-40s raw %8d B\n' "edge worker (index_bg.wasm)" "$(wc -c <edge/build/index_bg.wasm)"
CODE=$(curl -fsS --compressed "$BASE_URL/api/v1/catalog" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["code"])')
curl -fsS --compressed "$BASE_URL/g/$CODE" -o target/bench-guide.html
printf '%-40s raw %8d B   brotli %8d B\n' "/g/$CODE HTML" "$(wc -c <target/bench-guide.html)" "$(br_size <target/bench-guide.html)"

echo "== load: wrk -c$CONNECTIONS -d$DURATION on loopback (1 thread)"
run() {
  wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -H 'Accept-Encoding: br' "$BASE_URL$1" >target/bench-wrk.txt
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' target/bench-wrk.txt)
  p99=$(awk '$1=="99%" {print $2}' target/bench-wrk.txt)
  echo "$rps $p99"
}
read -r FLOOR_RPS FLOOR_P99 < <(run /api/v1/ping)
printf '%-34s %10s req/s   p99 %8s\n' "/api/v1/ping (floor)" "$FLOOR_RPS" "$FLOOR_P99"
for path in "/api/v1/items/$CODE" "/g/$CODE"; do
  read -r RPS P99 < <(run "$path")
  RATIO=$(python3 -c "print(f'{$RPS / $FLOOR_RPS:.2f}')")
  label=${path/$CODE/\{code\}}
  printf '%-34s %10s req/s   p99 %8s   ratio to floor %s\n' "$label" "$RPS" "$P99" "$RATIO"
done
