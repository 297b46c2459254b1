#!/usr/bin/env bash
# `make embed-demo`: a sample county website on http://localhost:8080 that embeds a guide,
# the search and the progress lookup both ways (iframes and custom elements), under host
# CSS that would break unscoped styles. Start Zhinan first (`make run`, which lists
# http://localhost:8080 in EMBED_ORIGINS); ZHINAN (default http://127.0.0.1:8787) names it.
set -euo pipefail
cd "$(dirname "$0")/.."
ZHINAN=${ZHINAN:-http://127.0.0.1:8787}
CODE=${CODE:-11411523005962416Q-000701001}
curl -fsS "$ZHINAN/api/v1/ping" >/dev/null || { echo "Zhinan is not answering on $ZHINAN: run 'make run' first" >&2; exit 1; }
mkdir -p target/embed-demo
sed -e "s#{{ZHINAN}}#$ZHINAN#g" -e "s#{{CODE}}#$CODE#g" examples/embed-demo/index.html >target/embed-demo/index.html
echo "==> the sample county website: http://localhost:8080/  (Ctrl-C to stop)"
exec python3 -m http.server 8080 --bind 127.0.0.1 --directory target/embed-demo
