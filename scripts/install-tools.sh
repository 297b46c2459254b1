#!/usr/bin/env bash
# Installs every build/test tool the project needs, from crates.io, npm and Debian only.
# Idempotent: each tool is skipped when the pinned version is already present.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WORKER_BUILD_VERSION=0.8.7
# wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock, or Trunk/worker-build reject it.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)

have() { command -v "$1" >/dev/null 2>&1; }
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if ! rustup component list --installed 2>/dev/null | grep -q '^clippy'; then
  rustup component add clippy rustfmt
fi

if ! (have trunk && trunk --version | grep -q " $TRUNK_VERSION"); then
  say "trunk $TRUNK_VERSION (several minutes, once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if ! (have worker-build && worker-build --version 2>/dev/null | grep -q "$WORKER_BUILD_VERSION"); then
  say "worker-build $WORKER_BUILD_VERSION (several minutes, once)"
  cargo install worker-build --version "$WORKER_BUILD_VERSION" --locked
fi

if ! (have wasm-bindgen && wasm-bindgen --version | grep -q " $WASM_BINDGEN_VERSION"); then
  say "wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Without --locked: its own lock pins a crate version crates.io no longer serves.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ ! -x node_modules/.bin/wrangler ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm packages (wrangler, node 22, binaryen, playwright-core)"
  npm ci --no-audit --no-fund
fi

# wrk (the load generator) and brotli (compressed sizes) for `make bench`.
if [ "${NEED_BENCH:-0}" = 1 ] && ! (have wrk && have brotli); then
  say "Debian wrk and brotli"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk brotli >/dev/null
fi

# Chromium for the end-to-end suite, and a CJK font so pages render as people see them.
if [ "${NEED_CHROMIUM:-0}" = 1 ] && ! dpkg -s chromium fonts-wqy-microhei >/dev/null 2>&1; then
  say "Debian chromium and a Chinese font"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
fi
