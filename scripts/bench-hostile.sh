#!/usr/bin/env bash
# `make bench-hostile`: bounded loopback load (wrk) at rising concurrency on what a
# hostile or simply busy internet sends — guide pages, the catalog, search, progress
# lookups and sign-ins, from one address and from many — printing per endpoint and
# concurrency: requests/s, p99, answers that were fine / refused (429) / other 4xx /
# failed (5xx) / socket errors, and the ratio to an empty handler at the same concurrency.
# The goal is zero 5xx and zero socket errors everywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=.wrangler/bench-hostile-state
source scripts/serve-local.sh
node scripts/seed-cases.mjs >/dev/null
node scripts/seed-staff.mjs >/dev/null

DURATION=${DURATION:-5s}
LEVELS=${LEVELS:-"1 8 32"}
CODE=$(curl -fsS --compressed "$BASE_URL/api/v1/catalog" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["code"])')
Q=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("营业执照"))')
LOOKUP='{"number":"5DW9-6MM4-M27R","query_code":"000001"}'
SIGN_IN='{"username":"admin","password":"not-the-password"}'

# name | method | path | body | rotate addresses
ENDPOINTS=(
  "empty handler (floor)|GET|/api/v1/ping||0"
  "guide page|GET|/g/$CODE||0"
  "item API|GET|/api/v1/items/$CODE||0"
  "catalog page of 100|GET|/api/v1/catalog?limit=100||0"
  "search page|GET|/s?q=$Q||0"
  "lookup, one client|POST|/api/v1/cases/lookup|$LOOKUP|0"
  "lookup, many clients|POST|/api/v1/cases/lookup|$LOOKUP|1"
  "sign-in, one client|POST|/api/v1/staff/login|$SIGN_IN|0"
  "sign-in, many clients|POST|/api/v1/staff/login|$SIGN_IN|1"
)

printf '%-24s %4s %9s %9s %7s %7s %6s %5s %5s %7s\n' endpoint c 'req/s' 'p99 ms' ok 429 4xx 5xx sock 'ratio'
declare -A FLOOR
for c in $LEVELS; do
  for spec in "${ENDPOINTS[@]}"; do
    IFS='|' read -r name method path body rotate <<<"$spec"
    line=$(METHOD=$method BODY=$body ROTATE=$rotate wrk -t1 -c"$c" -d"$DURATION" \
      -s scripts/bench-hostile.lua "$BASE_URL$path" | awk '/^COUNTS/ {print $2, $3, $4, $5, $6, $7, $8}')
    read -r ok refused other failed sock rps p99 <<<"$line"
    [ "$name" = "empty handler (floor)" ] && FLOOR[$c]=$rps
    ratio=$(python3 -c "print(f'{$rps / ${FLOOR[$c]}:.2f}')")
    printf '%-24s %4d %9s %9s %7d %7d %6d %5d %5d %7s\n' "$name" "$c" "$rps" "$p99" "$ok" "$refused" "$other" "$failed" "$sock" "$ratio"
  done
done
