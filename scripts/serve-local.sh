# Sourced by e2e.sh and bench.sh: starts `wrangler dev` on a free loopback port with
# freshly seeded local KV under $STATE, sets $PORT and $BASE_URL, and stops it on exit.
export PATH="$PWD/node_modules/.bin:$PATH" WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
BASE_URL="http://127.0.0.1:$PORT"
export BASE_URL
LOG=target/${STATE##*/}-wrangler.log
rm -rf "$STATE"
mkdir -p target
# DATA: the catalog directory (data/ unless a benchmark names a generated one).
make --no-print-directory seed DATA="${DATA:-data}" SEED="target/seed/${STATE##*/}.json" PERSIST="$STATE" >/dev/null

# Fresh hall API keys for this server only; tests read them from the environment.
key() { head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
# One key per hall of the catalog served.
HALL_API_KEYS=$(for hall in $(python3 -c 'import json,sys; print(" ".join(h["id"] for h in json.load(open(sys.argv[1]))))' "${DATA:-data}/halls.json"); do
  printf '%s=%s,' "$hall" "$(key)"
done)
HALL_API_KEYS=${HALL_API_KEYS%,}
ADMIN_PASSWORD=$(key)
EDITOR_PASSWORD=$(key)
CASE_MIGRATION_KEY=$(key)
export HALL_API_KEYS ADMIN_PASSWORD EDITOR_PASSWORD CASE_MIGRATION_KEY

wrangler dev --ip 127.0.0.1 --port "$PORT" --persist-to "$STATE" \
  --var "PUBLIC_ORIGIN:$BASE_URL" --var "HALL_API_KEYS:$HALL_API_KEYS" --var "CASE_MIGRATION_KEY:$CASE_MIGRATION_KEY" \
  --var "ADMIN_PASSWORD:$ADMIN_PASSWORD" --var "SESSION_SECRET:$(key)$(key)" --var "FAULT_INJECTION:1" --var "COUNT_OPS:1" --var "LOCAL_DEV:1" --var "EMBED_ORIGINS:http://localhost:8080" \
  --show-interactive-dev-session=false >"$LOG" 2>&1 &
SERVER=$!
stop_server() {
  kill -INT "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
}
trap stop_server EXIT

for _ in $(seq 1 120); do
  if curl -fsS "$BASE_URL/api/v1/ping" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER" 2>/dev/null; then cat "$LOG"; echo "wrangler dev exited" >&2; exit 1; fi
  sleep 0.5
done
curl -fsS "$BASE_URL/api/v1/ping" >/dev/null || { cat "$LOG"; echo "wrangler dev did not come up" >&2; exit 1; }
