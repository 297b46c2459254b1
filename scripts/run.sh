#!/usr/bin/env bash
# `make run`: serves the built app with freshly seeded local KV on http://127.0.0.1:$PORT,
# imports the demo cases once the server is up, and stays in the foreground.
# DATA (default data/) is the catalog directory; each PORT has its own local state, so two
# catalogs can run side by side from one checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8787}
DATA=${DATA:-data}
STATE=.wrangler/state-$PORT
[ -f "$DATA/halls.json" ] || { echo "DATA=$DATA: no halls.json there (see data/ for the layout)" >&2; exit 2; }
export PATH="$PWD/node_modules/.bin:$PATH" WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false
rm -rf "$STATE"
make --no-print-directory seed DATA="$DATA" PORT="$PORT" PERSIST="$STATE"
# The hall API keys of local dev come from .dev.vars (see README).
HALL_API_KEYS=$(sed -n 's/^HALL_API_KEYS=//p' .dev.vars)
ADMIN_PASSWORD=$(sed -n 's/^ADMIN_PASSWORD=//p' .dev.vars)
EDITOR_PASSWORD=$(sed -n 's/^EDITOR_PASSWORD=//p' .dev.vars)
CASE_MIGRATION_KEY=$(sed -n 's/^CASE_MIGRATION_KEY=//p' .dev.vars)
export HALL_API_KEYS ADMIN_PASSWORD EDITOR_PASSWORD CASE_MIGRATION_KEY BASE_URL="http://127.0.0.1:$PORT"

# QR codes and printed URLs name the origin this instance really answers on.
# COUNT_OPS: each answer carries its storage operations in X-Storage-Ops (local dev only).
wrangler dev --ip 127.0.0.1 --port "$PORT" --persist-to "$STATE" --var "PUBLIC_ORIGIN:$BASE_URL" --var "COUNT_OPS:1" --var "LOCAL_DEV:1" --var "EMBED_ORIGINS:http://localhost:8080" \
  --show-interactive-dev-session=false &
SERVER=$!
trap 'kill -INT $SERVER 2>/dev/null; wait $SERVER 2>/dev/null' EXIT INT TERM
for _ in $(seq 1 120); do
  curl -fsS "$BASE_URL/api/v1/ping" >/dev/null 2>&1 && break
  kill -0 "$SERVER" 2>/dev/null || exit 1
  sleep 0.5
done
# Demo cases refer to the demo catalog's items: another catalog brings its own or none.
if [ -f "$DATA/demo_cases.json" ]; then CASES_FILE="$DATA/demo_cases.json" node scripts/seed-cases.mjs; fi
node scripts/seed-staff.mjs
cat <<MSG

==> Zhinan is running on $BASE_URL with the catalog in $DATA/  (Ctrl-C to stop)
    home:      $BASE_URL/
    guide:     $BASE_URL/g/11411523MB1D00001A-000201001  (demo catalog)
    progress:  $BASE_URL/c   receipt number 5DW9-6MM4-M27R, query code 920499  (demo cases)
    staff:     $BASE_URL/staff   admin / $ADMIN_PASSWORD, editors jiaojing, shichang / $EDITOR_PASSWORD
MSG
wait "$SERVER"
