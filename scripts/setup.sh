#!/usr/bin/env bash
# Installs every tool the build, the demo and the tests need, skipping what is already there.
# Safe to run again: a warm run takes about a second. See ../shared/TOOLCHAIN.md for why each
# step is done this way.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export NODE_EXTRA_CA_CERTS="${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}"
export PATH="$HOME/.cargo/bin:$PATH"
log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

# 1. The wasm32 target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 1b. The standard library's source: the release SDK rebuilds std for size (scripts/build.sh).
if ! rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
  log "adding rust component rust-src"
  rustup component add rust-src || log "rust-src unavailable: the SDK will be built without the std rebuild (larger)"
fi

# 2. Debian packages: Chromium and its driver for the browser tests, brotli for size reports,
#    PostgreSQL for the collector's second backend.
need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
command -v brotli >/dev/null || need_apt+=(brotli)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# 3. wasm-bindgen-cli at exactly the version of the wasm-bindgen library (pinned with = in Cargo.toml).
WB_VERSION="$(sed -n 's/^wasm-bindgen = { version = "=\([0-9.]*\)".*/\1/p' Cargo.toml | head -1)"
[ -n "$WB_VERSION" ] || { echo "could not read the pinned wasm-bindgen version from Cargo.toml" >&2; exit 1; }
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WB_VERSION" ]; then
  log "cargo install wasm-bindgen-cli $WB_VERSION (about 3 minutes)"
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --locked \
    || cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi

# 4. npm tools from the lock file: wasm-opt (binaryen; Debian's is too old), esbuild (minifies
#    the JS that browsers download), playwright-core (end-to-end tests) and ajv (the wire
#    format schema test).
if [ ! -x tests/node_modules/.bin/wasm-opt ] || [ ! -d tests/node_modules/playwright-core ] \
   || [ ! -x tests/node_modules/.bin/esbuild ] || [ ! -d tests/node_modules/ajv ] \
   || [ tests/package-lock.json -nt tests/node_modules/.package-lock.json ]; then
  log "npm ci in tests/"
  (cd tests && npm ci --no-audit --no-fund --loglevel=error)
fi
log "tools ready: $(wasm-bindgen --version), wasm-opt $(tests/node_modules/.bin/wasm-opt --version | awk '{print $3}'), $(chromium --version 2>/dev/null | head -1)"
