#!/usr/bin/env bash
# Lighthouse 12.2.3 (mobile preset: Moto G Power viewport, simulated slow 4G, 4× CPU)
# on Debian Chromium against the local server: prints LCP, Total Blocking Time, CLS,
# total bytes and the accessibility and performance scores of a guide (/g/{code}), the
# home page, a search, a life event, the progress lookup and a hall's page (the default
# simulated run: each figure the median of 3 runs), plus the compressed size of the
# guide's first response and of the app's wasm. Issue 16's goals: LCP ≤ 0.9 s,
# TBT ≤ 150 ms, CLS 0, performance ≥ 95, accessibility 100.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=.wrangler/lighthouse-state
source scripts/serve-local.sh

export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
OUT=target/lighthouse
mkdir -p "$OUT"
CODE=${CODE:-11411523MB1D00001A-000201001}
FLAGS="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage"

echo "== first response of /g/$CODE (what a QR scan downloads before the first paint)"
curl -fsS -H 'Accept-Encoding: br' "$BASE_URL/g/$CODE" -o "$OUT/guide.br"
printf '%-40s %8d B brotli (budget 14336 B)\n' "/g/{code} HTML" "$(wc -c <"$OUT/guide.br")"
# Node's own brotli (quality 11, as `brotli -q 11`): `make lighthouse` installs no
# Debian brotli, and a missing tool must not print 0 B under the budget.
for wasm in dist/pkg/*.wasm; do
  size=$(node -e 'const z = require("zlib"); const b = require("fs").readFileSync(process.argv[1]);
    console.log(z.brotliCompressSync(b, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11 } }).length)' "$wasm")
  printf '%-40s %8d B brotli (budget 256000 B)\n' "app wasm $(basename "$wasm")" "$size"
  if [ "$size" -gt 256000 ]; then echo "app wasm over its budget" >&2; exit 1; fi
done

# Both of Lighthouse's mobile throttling methods: `simulate` (the default: a fast
# unthrottled load, then Lantern's model of slow 4G) and `devtools` (the page really
# loaded under the same slow-4G latency/bandwidth and 4x CPU slowdown).
for method in simulate devtools; do
  echo "== lighthouse 12.2.3, mobile preset, throttling=$method, $(chromium --version 2>/dev/null | head -1)"
  printf '%-24s %8s %8s %6s %12s %6s %6s\n' page LCP TBT CLS 'total bytes' a11y perf
  # The default (simulated) run is the project's figure: the median of 3 runs.
  runs=1
  [ "$method" = simulate ] && runs=3
  for spec in "guide:/g/$CODE" "home:/" "search:/s?q=yyzz" "life event:/e/kaiban-qiye" "progress:/c" "hall:/h/xinxian"; do
    name=${spec%%:*}
    path=${spec#*:}
    reports=()
    for run in $(seq 1 "$runs"); do
      out="$OUT/${name// /-}-$method-$run.json"
      lighthouse "$BASE_URL$path" --quiet --output=json --output-path="$out" --throttling-method="$method" \
        --only-categories=performance,accessibility --chrome-flags="$FLAGS" >/dev/null 2>"$OUT/${name// /-}.log" ||
        { cat "$OUT/${name// /-}.log"; exit 1; }
      reports+=("$PWD/$out")
    done
    node -e '
      const [name, ...files] = process.argv.slice(1);
      const runs = files.map((file) => require(file));
      // Each figure on its own: the median of the runs (the one run of devtools).
      const median = (get) => {
        const values = runs.map(get).sort((x, y) => x - y);
        return values[Math.floor(values.length / 2)];
      };
      const audit = (id) => median((r) => r.audits[id].numericValue);
      const f = (x, d = 0) => x.toFixed(d);
      console.log([
        (name + (runs.length > 1 ? ` (median of ${runs.length})` : "")).padEnd(24),
        (f(audit("largest-contentful-paint") / 1000, 2) + " s").padStart(8),
        (f(audit("total-blocking-time")) + " ms").padStart(8),
        f(audit("cumulative-layout-shift"), 3).padStart(6),
        (audit("total-byte-weight") + " B").padStart(12),
        f(median((r) => r.categories.accessibility.score) * 100).padStart(6),
        f(median((r) => r.categories.performance.score) * 100).padStart(6),
      ].join(" "));
    ' "$name" "${reports[@]}"
  done
done
