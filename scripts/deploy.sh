#!/usr/bin/env bash
# `make deploy`: refuses to deploy what would print wrong addresses for years, then runs
# `wrangler deploy`. PUBLIC_ORIGIN is printed in every QR code, poster and receipt: it
# must be the official https origin, never the local default. The KV namespace ids must be
# real ones (`wrangler kv namespace create`), not the placeholders of local development.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
origin=$(sed -n 's/^PUBLIC_ORIGIN *= *"\(.*\)"/\1/p' wrangler.toml | head -1)
host=${origin#https://}
host=${host%%[:/]*}
if [[ "$origin" != https://* ]] || [ -z "$host" ] || [[ "$host" =~ ^(localhost|127\.0\.0\.1|0\.0\.0\.0|\[.*)$ ]]; then
  echo "deploy: PUBLIC_ORIGIN in wrangler.toml is \"$origin\": set it to the official https origin first (it is printed in every QR code)" >&2
  exit 2
fi
if grep -Eq '^id = "0{20,}[0-9]*"' wrangler.toml; then
  echo "deploy: wrangler.toml still has placeholder KV namespace ids: run \`wrangler kv namespace create\` and put the ids in" >&2
  exit 2
fi
if grep -q '^LOCAL_DEV' wrangler.toml; then
  echo "deploy: LOCAL_DEV belongs to local development only" >&2
  exit 2
fi
wrangler deploy
