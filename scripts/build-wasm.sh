#!/usr/bin/env bash
# Builds the wasm package twice from one compile: pkg/web (ES module for browsers and bundlers)
# and pkg/node (CommonJS for Node), both optimized by binaryen 132's wasm-opt from node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh wasm
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
for target in web nodejs; do
  out=pkg/${target/nodejs/node}
  wasm-pack build wasm --release --target "$target" --out-dir "../$out" --out-name puhui --no-pack 2>&1 \
    | grep -vE '^\s*$|Compiling|Checking' || true
  test -s "$out/puhui_bg.wasm" || { echo "wasm build failed for $target" >&2; exit 1; }
done
node pkg-config/assemble.mjs
