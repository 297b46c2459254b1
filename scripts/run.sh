#!/usr/bin/env bash
# `make run`: serves the built app with freshly seeded local KV on http://127.0.0.1:$PORT,
# imports the demo cases once the server is up, and stays in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8787}
STATE=.wrangler/state
export PATH="$PWD/node_modules/.bin:$PATH" WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false
rm -rf "$STATE"
make --no-print-directory seed PERSIST="$STATE"
# The hall API keys of local dev come from .dev.vars (see README).
HALL_API_KEYS=$(sed -n 's/^HALL_API_KEYS=//p' .dev.vars)
ADMIN_PASSWORD=$(sed -n 's/^ADMIN_PASSWORD=//p' .dev.vars)
EDITOR_PASSWORD=$(sed -n 's/^EDITOR_PASSWORD=//p' .dev.vars)
export HALL_API_KEYS ADMIN_PASSWORD EDITOR_PASSWORD BASE_URL="http://127.0.0.1:$PORT"

wrangler dev --ip 127.0.0.1 --port "$PORT" --persist-to "$STATE" --show-interactive-dev-session=false &
SERVER=$!
trap 'kill -INT $SERVER 2>/dev/null; wait $SERVER 2>/dev/null' EXIT INT TERM
for _ in $(seq 1 120); do
  curl -fsS "$BASE_URL/api/v1/ping" >/dev/null 2>&1 && break
  kill -0 "$SERVER" 2>/dev/null || exit 1
  sleep 0.5
done
node scripts/seed-cases.mjs
node scripts/seed-staff.mjs
cat <<MSG

==> Zhinan is running on $BASE_URL  (Ctrl-C to stop)
    guide:     $BASE_URL/g/11411523MB1D00001A-000201001
    progress:  $BASE_URL/c   receipt number 5DW9-6MM4-M27R, query code 920499
    staff:     $BASE_URL/staff   admin / $ADMIN_PASSWORD, editors jiaojing, shichang / $EDITOR_PASSWORD
MSG
wait "$SERVER"
