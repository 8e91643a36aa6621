#!/usr/bin/env bash
# Runs the demo: installs what is missing, builds the SDK, starts the reference collector, and
# serves the demo shop at http://127.0.0.1:8080 (override with PORT=...). Ctrl-C stops everything.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
scripts/setup.sh
scripts/build.sh
cargo build --release -p vitrina-collector --quiet
PORT="${PORT:-8080}"
echo
echo "Demo shop: http://127.0.0.1:$PORT/   (dashboard: http://127.0.0.1:$PORT/dashboard, events: http://127.0.0.1:$PORT/v1/events — Ctrl-C stops)"
# Reviews are approved at once in the demo (a real shop moderates them: --admin-token); the
# demo surveys (examples/demo-surveys.json): NPS after an order, help on a checkout rage click.
exec target/release/vitrina-collector --listen "127.0.0.1:$PORT" --db "${DB:-$ROOT/vitrina.db}" --www www --pkg pkg --auto-approve --surveys examples/demo-surveys.json
