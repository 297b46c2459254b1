#!/usr/bin/env bash
# Lighthouse 12.2.3 (mobile preset: Moto G Power viewport, simulated slow 4G, 4× CPU)
# on Debian Chromium against the local server: prints LCP, CLS, total bytes and the
# accessibility score of a guide (/g/{code}), the home page, a hall's page and search
# (the default simulated run: median of 3 by LCP), plus the
# compressed size of the guide's first response and of the app's wasm.
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
for wasm in dist/pkg/*.wasm; do
  printf '%-40s %8d B brotli (budget 256000 B)\n' "app wasm $(basename "$wasm")" "$(brotli -c -q 11 "$wasm" | wc -c)"
done

# Both of Lighthouse's mobile throttling methods: `simulate` (the default: a fast
# unthrottled load, then Lantern's model of slow 4G) and `devtools` (the page really
# loaded under the same slow-4G latency/bandwidth and 4x CPU slowdown).
for method in simulate devtools; do
  echo "== lighthouse 12.2.3, mobile preset, throttling=$method, $(chromium --version 2>/dev/null | head -1)"
  printf '%-24s %8s %6s %12s %6s %6s\n' page LCP CLS 'total bytes' a11y perf
  # The default (simulated) run is the project's figure: the median of 3 by LCP.
  runs=1
  [ "$method" = simulate ] && runs=3
  for spec in "guide:/g/$CODE" "home:/" "hall:/h/xinxian" "search:/s?q=yyzz"; do
    name=${spec%%:*}
    path=${spec#*:}
    reports=()
    for run in $(seq 1 "$runs"); do
      out="$OUT/$name-$method-$run.json"
      lighthouse "$BASE_URL$path" --quiet --output=json --output-path="$out" --throttling-method="$method" \
        --only-categories=performance,accessibility --chrome-flags="$FLAGS" >/dev/null 2>"$OUT/$name.log" ||
        { cat "$OUT/$name.log"; exit 1; }
      reports+=("$PWD/$out")
    done
    node -e '
      const [name, ...files] = process.argv.slice(1);
      const runs = files.map((file) => require(file))
        .sort((x, y) => x.audits["largest-contentful-paint"].numericValue - y.audits["largest-contentful-paint"].numericValue);
      const r = runs[Math.floor(runs.length / 2)];
      const a = r.audits;
      const f = (x, d = 0) => x.toFixed(d);
      console.log([
        (name + (runs.length > 1 ? ` (median of ${runs.length})` : "")).padEnd(24),
        (f(a["largest-contentful-paint"].numericValue / 1000, 2) + " s").padStart(8),
        f(a["cumulative-layout-shift"].numericValue, 3).padStart(6),
        (a["total-byte-weight"].numericValue + " B").padStart(12),
        f(r.categories.accessibility.score * 100).padStart(6),
        f(r.categories.performance.score * 100).padStart(6),
      ].join(" "));
    ' "$name" "${reports[@]}"
  done
done
