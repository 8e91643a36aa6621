#!/usr/bin/env bash
# Builds the SDK into pkg/ and prints the size of every artifact (raw / gzip / brotli):
#   pkg/web/     ES module build for <script type="module"> (target web)
#   pkg/npm/     npm package (web target glue as readable modules), with package.json, README and types from pkg-config/
#   pkg/script/  classic script-tag build: vitrina.js loads the ES module next to it and replays
#                the calls queued in window.vitrina by the snippet (pkg/script/snippet.html)
# Usage: scripts/build.sh [--check-size]   (--check-size fails when the budget is exceeded)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/tests/node_modules/.bin:$PATH"
CHECK=0; [ "${1:-}" = "--check-size" ] && CHECK=1

# The SDK is built with std rebuilt for size and panics as immediate traps: this drops std's
# panic-message formatting (core::fmt, Debug for str/char, Unicode printable tables), measured
# -6.9 KB brotli of wasm. A trap is caught by the JS wrapper (pkg-config/vitrina.js), which
# switches the SDK off with one warning. It needs nightly-only flags (RUSTC_BOOTSTRAP on the
# stable toolchain) and rust-src; if that build fails, the plain release build is used instead.
# -Zcross-crate-inline-threshold=always lets LLVM see every std and crate function at its call
# sites (fewer, smaller instantiations once LTO and -Oz are done): measured -4.8 KB brotli of
# wasm. -Zmerge-functions=
# trampolines gave -0.3 KB alone and nothing on top of it; -Zmir-opt-level=1 +32 B on top.
WASM=target/sdk/wasm32-unknown-unknown/release/vitrina.wasm
if ! RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none -Zcross-crate-inline-threshold=always" \
     cargo build --release --target wasm32-unknown-unknown -p vitrina --quiet --target-dir target/sdk \
       -Z build-std=std,panic_abort -Z build-std-features=optimize_for_size; then
  echo "build.sh: the size-optimized build failed; building the plain release (larger)" >&2
  cargo build --release --target wasm32-unknown-unknown -p vitrina --quiet
  WASM=target/wasm32-unknown-unknown/release/vitrina.wasm
fi

rm -rf pkg && mkdir -p pkg
build_target() { # $1 = wasm-bindgen target, $2 = out dir
  wasm-bindgen "$WASM" --target "$1" --out-dir "$2" --out-name vitrina_raw
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    --converge --strip-producers --strip-target-features \
    "$2/vitrina_raw_bg.wasm" -o "$2/vitrina_raw_bg.wasm"
}
build_target web pkg/web
# Short import/export names in the wasm and its glue (see the script): -1.1 KB brotli.
node scripts/minify-glue.mjs pkg/web/vitrina_raw.js pkg/web/vitrina_raw_bg.wasm
cp pkg-config/vitrina.js pkg-config/reviews.js pkg-config/personalize.js pkg-config/vitrina.d.ts pkg/web/
# What browsers download directly is one minified ES module (wrapper, widget, wasm-bindgen glue
# and JS helpers bundled: one request, and brotli sees them together, -0.9 KB) next to the wasm.
esbuild --bundle --minify --charset=utf8 --format=esm --target=es2022 --log-level=error pkg/web/vitrina.js --outfile=pkg/web/vitrina.bundle.js
rm -rf pkg/web/snippets pkg/web/vitrina_raw.js pkg/web/vitrina_raw.d.ts pkg/web/vitrina_raw_bg.wasm.d.ts pkg/web/reviews.js pkg/web/personalize.js
mv pkg/web/vitrina.bundle.js pkg/web/vitrina.js

# The npm package: the same web-target glue as separate, readable modules for the shop's bundler
# to bundle and minify; the glue finds the wasm with new URL("vitrina_raw_bg.wasm",
# import.meta.url), which Vite, webpack 5, Parcel and Rollup plugins follow (esbuild: copy the
# file next to the bundle). Import names shortened as above.
build_target web pkg/npm
node scripts/minify-glue.mjs pkg/npm/vitrina_raw.js pkg/npm/vitrina_raw_bg.wasm
rm -f pkg/npm/vitrina_raw.d.ts pkg/npm/vitrina_raw_bg.wasm.d.ts
cp pkg-config/vitrina.js pkg-config/reviews.js pkg-config/personalize.js pkg-config/vitrina.d.ts pkg-config/package.json pkg-config/README.md pkg/npm/

mkdir -p pkg/script
cp pkg/web/vitrina_raw_bg.wasm pkg/script/
cp pkg/web/vitrina.js pkg/script/vitrina.esm.js
cp pkg/web/vitrina.d.ts pkg/script/vitrina.esm.d.ts
esbuild --minify --target=es2020 --log-level=warning pkg-config/script.js --outfile=pkg/script/vitrina.js
cp pkg-config/snippet.html pkg/script/snippet.html

# Sizes.
gz() { gzip -9 -c "$1" | wc -c; }
br() { brotli -q 11 -c "$1" | wc -c; }
printf '\n%-44s %10s %10s %10s\n' "artifact" "raw B" "gzip B" "brotli B"
while IFS= read -r f; do
  printf '%-44s %10d %10d %10d\n' "$f" "$(wc -c <"$f")" "$(gz "$f")" "$(br "$f")"
done < <(find pkg -type f \( -name '*.js' -o -name '*.wasm' -o -name '*.html' \) | sort)
# The SDK as a browser downloads it with the script tag: loader + wrapper + glue + snippets + wasm.
SDK_FILES=$(find pkg/script -type f \( -name '*.js' -o -name '*.wasm' \) | sort)
tot() { local s=0; for f in $SDK_FILES; do s=$((s + $($1 "$f"))); done; echo $s; }
raw_total=0; for f in $SDK_FILES; do raw_total=$((raw_total + $(wc -c <"$f"))); done
SDK_BR=$(tot br)
SNIPPET_BR=$(br pkg/script/snippet.html)
LOADER_BR=$(br pkg/script/vitrina.js)
printf '%-44s %10d %10d %10d\n' "SDK total (pkg/script, JS + wasm)" "$raw_total" "$(tot gz)" "$SDK_BR"
echo "budget: SDK <= 61440 B brotli (goal 35840): $SDK_BR B; snippet + loader <= 1024 B brotli: $SNIPPET_BR + $LOADER_BR B"
if [ "$CHECK" = 1 ]; then
  [ "$SDK_BR" -le 61440 ] || { echo "SIZE BUDGET EXCEEDED: SDK is $SDK_BR B brotli (> 61440)" >&2; exit 1; }
  [ "$SNIPPET_BR" -le 1024 ] && [ "$LOADER_BR" -le 1024 ] || { echo "SIZE BUDGET EXCEEDED: snippet/loader over 1024 B brotli" >&2; exit 1; }
fi
