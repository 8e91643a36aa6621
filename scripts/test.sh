#!/usr/bin/env bash
# Runs every test: installs what is missing, then
#   1. formatting and clippy (-D warnings) on the host and on wasm32,
#   2. native tests: the core's unit tests, the collector's API tests (on SQLite, then again on
#      a private PostgreSQL server), the platform-free check,
#   3. browser tests (wasm-bindgen-test in headless Chromium),
#   4. the release build with the size budget,
#   5. end-to-end tests: the demo shop in Chromium against the real collector and SQLite.
# Prints cargo's and node's summary lines; exits non-zero on the first failure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$ROOT/tests/node_modules/.bin:$PATH"
export NODE_EXTRA_CA_CERTS="${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}"
step() { printf '\n\033[1;34m== %s ==\033[0m\n' "$*"; }

step "format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy -p vitrina --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings

step "native tests (core, collector on SQLite)"
cargo test --workspace

step "the collector's tests again, on PostgreSQL"
# A private server from Debian's packages (scripts/postgres.sh), stopped when this script ends.
PG_DIR="$ROOT/target/pg-test"
scripts/postgres.sh stop "$PG_DIR"
trap 'scripts/postgres.sh stop "$PG_DIR"' EXIT
pgenv="$(scripts/postgres.sh start "$PG_DIR")"
eval "$pgenv"
cargo test -p vitrina-collector
unset VITRINA_TEST_PG
scripts/postgres.sh stop "$PG_DIR"

step "replay tool on the fixtures"
for trace in tests/fixtures/*.trace.jsonl; do
  expected="${trace%.trace.jsonl}.expected.jsonl"
  [ -f "$expected" ] || continue
  cargo run --quiet --example replay -- "$trace" | diff -u "$expected" - || { echo "replay mismatch: $trace" >&2; exit 1; }
done
set +e
err=$(cargo run --quiet --example replay -- tests/fixtures/malformed.trace.jsonl 2>&1 >/dev/null); code=$?
set -e
[ "$code" = 2 ] && [[ "$err" == *"line 3: invalid JSON"* ]] || { echo "malformed trace: expected exit 2 and 'line 3', got $code: $err" >&2; exit 1; }
echo "replay: every fixture matches; a malformed line exits 2 naming line 3"

step "browser tests (wasm-bindgen-test, headless Chromium)"
# tests/wasm-runner.mjs serves the test page with wasm-bindgen-test-runner and drives Chromium
# through playwright-core (why not the runner's chromedriver mode: see that file). A normal run
# takes ~9 s once compiled; 3 minutes is the hard stop.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="node $ROOT/tests/wasm-runner.mjs"
export WASM_BINDGEN_TEST_TIMEOUT=90
cargo test --target wasm32-unknown-unknown --lib --no-run --quiet
timeout --kill-after=10 180 cargo test --target wasm32-unknown-unknown --lib

step "release build and size budget"
scripts/build.sh --check-size

step "end-to-end tests (Chromium + collector + SQLite)"
cargo build -p vitrina-collector --quiet
(cd tests && node --test --test-concurrency=1 e2e/)

step "all tests passed"
