#!/usr/bin/env bash
# What each crate and puhui module costs in the shipped wasm (code bytes, names kept).
# Builds the module as scripts/build-wasm.sh does (release, wasm-bindgen, wasm-opt -Oz with the
# shipped feature flags) but keeps the name section, then runs pkg-config/size-attribution.mjs.
# The wasm-bindgen step matters: the raw cargo output still holds the `__wbindgen_describe_*`
# functions (~18 KB of code that wasm-bindgen removes), which would be billed to wasm-bindgen.
# Usage: scripts/size-attribution.sh [calc|full] [--top N] [--json]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
source scripts/wasm-env.sh
module=${1:-calc}
shift || true
features=()
case "$module" in
  calc) features=(--no-default-features) ;;
  full) ;;
  *) echo "usage: $0 [calc|full] [--top N] [--json]" >&2; exit 2 ;;
esac
out=$(mktemp -d)
trap 'cp "$out/named.wasm" /tmp/named-$module.wasm 2>/dev/null; rm -rf "$out"' EXIT
cargo build --quiet --release --target wasm32-unknown-unknown -p puhui-wasm "${features[@]}"
wasm-bindgen --target web --keep-debug --out-dir "$out" target/wasm32-unknown-unknown/release/puhui_wasm.wasm
# The flags of wasm/Cargo.toml's wasm-pack profile, plus --debuginfo to keep the names.
wasm-opt -Oz --converge --debuginfo --enable-reference-types --enable-bulk-memory --enable-sign-ext \
  --enable-mutable-globals --enable-nontrapping-float-to-int --enable-multivalue \
  "$out/puhui_wasm_bg.wasm" -o "$out/named.wasm"
node pkg-config/size-attribution.mjs "$out/named.wasm" "$@"
