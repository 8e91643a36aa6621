#!/usr/bin/env bash
# Runs the cargo-fuzz targets (config parser, trace reader + detectors, collector batch decoder,
# stored outbox reader), each for SECONDS (default 60). Installs cargo-fuzz if missing.
# cargo-fuzz needs nightly features; RUSTC_BOOTSTRAP=1 enables them on the stable toolchain.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/fuzz"
export PATH="$HOME/.cargo/bin:$PATH" RUSTC_BOOTSTRAP=1
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked || cargo install cargo-fuzz
SECONDS_EACH="${1:-60}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(config trace batch outbox)
# Seed the trace corpus with the fixture traces.
mkdir -p corpus/trace
cp ../tests/fixtures/*.trace.jsonl corpus/trace/ 2>/dev/null || true
for t in "${TARGETS[@]}"; do
  echo "== fuzzing $t for ${SECONDS_EACH}s"
  cargo fuzz run "$t" -- -max_total_time="$SECONDS_EACH" 2>&1 | grep -E "^Done|panicked|ERROR|SUMMARY" || true
  if ls artifacts/"$t"/crash-* >/dev/null 2>&1; then
    echo "crash found: fuzz/artifacts/$t/" >&2
    exit 1
  fi
done
echo "no panics"
