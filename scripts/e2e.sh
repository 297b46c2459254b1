#!/usr/bin/env bash
# Runs the end-to-end suite (node:test + playwright-core + Debian Chromium) against
# `wrangler dev` with freshly seeded local KV, then stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=.wrangler/e2e-state
source scripts/serve-local.sh
node scripts/seed-cases.mjs >/dev/null
node scripts/seed-staff.mjs >/dev/null
node --test --test-concurrency=1 --test-timeout=180000 tests/
