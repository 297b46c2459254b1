#!/usr/bin/env bash
# Runs the end-to-end suite (node:test + playwright-core + Debian Chromium) against
# `wrangler dev` with freshly seeded local KV, then stops the server. Then the same worker
# at a prefecture's size: a generated catalog of SCALE_ITEMS (20,000) items, where every
# route must stay within the per-request storage bound (tests/scale/).
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=.wrangler/e2e-state
source scripts/serve-local.sh
node scripts/seed-cases.mjs >/dev/null
node scripts/seed-staff.mjs >/dev/null
node --test --test-concurrency=1 --test-timeout=180000 tests/*.test.mjs
stop_server

SCALE_ITEMS=${SCALE_ITEMS:-20000}
DATA=target/catalog-$SCALE_ITEMS
# Always regenerated (a few seconds): a copy left by an older generator would test old data.
cargo run -q --release -p zhinan-seed --bin gen-catalog -- --items "$SCALE_ITEMS" --out "$DATA"
STATE=.wrangler/e2e-scale-state
source scripts/serve-local.sh
node scripts/seed-staff.mjs >/dev/null
node --test --test-concurrency=1 --test-timeout=600000 tests/scale/
