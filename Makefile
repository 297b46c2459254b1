# Zhinan: two commands.
#   make run   install what is missing, build, seed local KV, serve on http://127.0.0.1:8787
#   make test  fmt, clippy, unit tests, release build, end-to-end suite in headless Chromium
SHELL := /bin/bash
.DEFAULT_GOAL := run

export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export WRANGLER_SEND_METRICS := false
export CLOUDFLARE_CF_FETCH_ENABLED := false
# worker-build must use the local tools, never download them.
export WASM_BINDGEN_BIN := $(HOME)/.cargo/bin/wasm-bindgen
export WASM_OPT_BIN := $(CURDIR)/node_modules/.bin/wasm-opt
export ESBUILD_BIN := $(CURDIR)/node_modules/@esbuild/linux-x64/bin/esbuild

# `make run DATA=path/to/catalog PORT=8790` serves another catalog directory (the layout
# of data/) beside the default one: each port has its own seed file and local state.
PORT ?= 8787
DATA ?= data
SEED ?= target/seed/kv-$(PORT).json
PERSIST ?= .wrangler/state-$(PORT)

.PHONY: run test tools tools-test tools-bench build app edge seed check fmt-check clippy unit e2e bench bench-scale bench-hostile lighthouse dev-vars deploy embed-demo

run: tools build dev-vars
	DATA=$(DATA) PORT=$(PORT) bash scripts/run.sh

test: tools-test check build
	bash scripts/e2e.sh

tools:
	bash scripts/install-tools.sh

tools-test:
	NEED_CHROMIUM=1 bash scripts/install-tools.sh

tools-bench:
	NEED_BENCH=1 bash scripts/install-tools.sh

check: fmt-check clippy unit

fmt-check:
	cargo fmt --all -- --check

clippy:
	cargo clippy -p zhinan-domain -p zhinan-seed --all-targets -- -D warnings
	cargo clippy -p zhinan-ui --features ssr --all-targets -- -D warnings
	cargo clippy -p zhinan-app --target wasm32-unknown-unknown --all-targets -- -D warnings
	cargo clippy -p zhinan-staff --target wasm32-unknown-unknown --all-targets -- -D warnings
	cargo clippy -p zhinan-edge --target wasm32-unknown-unknown --all-targets -- -D warnings

unit:
	cargo test -p zhinan-domain -p zhinan-seed
	cargo test -p zhinan-ui --features ssr
	cargo test -p zhinan-edge --lib

build: app edge

# The app first: the edge embeds the bundle names from dist/index.html. The citizen
# build replaces dist/ wholesale, so the staff console (its own bundle, never loaded by
# citizens) goes into dist/staff/ after it.
app:
	trunk build --release --offline
	trunk build --release --offline --dist dist/staff --public-url /staff/ staff.html

edge: app
	cd edge && worker-build --release

# Production: checks PUBLIC_ORIGIN (https, not this machine) and the KV ids, then
# `wrangler deploy` (see README, Deploying).
deploy: tools build
	bash scripts/deploy.sh

seed:
	cargo run -q -p zhinan-seed -- $(DATA) $(SEED)
	wrangler kv bulk put --local --persist-to $(PERSIST) --binding CATALOG $(SEED)

# Local secrets for `wrangler dev`, never committed (.gitignore). Production uses
# `wrangler secret put`.
dev-vars:
	@touch .dev.vars && chmod 600 .dev.vars
	@grep -q '^SESSION_SECRET=' .dev.vars || printf 'SESSION_SECRET=%s\n' "$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" >> .dev.vars
	@grep -q '^HALL_API_KEYS=' .dev.vars || echo 'HALL_API_KEYS=xinxian=dev-xinxian-key,shangji=dev-shangji-key,guangming=dev-guangming-key' >> .dev.vars
	@grep -q '^ADMIN_PASSWORD=' .dev.vars || echo 'ADMIN_PASSWORD=dev-admin-password' >> .dev.vars
	@grep -q '^EDITOR_PASSWORD=' .dev.vars || echo 'EDITOR_PASSWORD=dev-editor-password' >> .dev.vars
	@grep -q '^CASE_MIGRATION_KEY=' .dev.vars || printf 'CASE_MIGRATION_KEY=%s\n' "$$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')" >> .dev.vars

bench: tools-bench build
	bash scripts/bench.sh

# A sample county website on http://localhost:8080 embedding guides, search and the
# progress lookup (iframes and custom elements); needs `make run` in another terminal.
embed-demo:
	bash scripts/embed-demo.sh

# Guide, catalog, search, lookups and sign-ins under rising loopback load, one client and
# many: requests/s, p99, refusals, and any 5xx (the goal: none).
bench-hostile: tools-bench build
	bash scripts/bench-hostile.sh

# Staff and citizen figures at 46, 1,062 and 20,000 items (generated catalogs), one run.
bench-scale: tools-test build
	bash scripts/bench-scale.sh

# Lighthouse (mobile) figures of a guide, home and search: LCP, CLS, bytes, accessibility.
lighthouse: tools-test build
	bash scripts/lighthouse.sh
