#!/usr/bin/env bash
# Builds the studio's own wasm module (crate `studio/`, puhui-studio-wasm) into pkg/studio/ as an
# ES module for the browser, optimized by binaryen 132's wasm-opt like the consumer package, and
# writes pkg/studio/size-report.json (raw, gzip -9, brotli 11) beside the consumer's
# pkg/size-report.json, so both sizes are measured on every build.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh wasm
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# The studio is a work page for product teams: it is tuned for speed (a grid is thousands of
# quotes), not for size like the consumer module. opt-level 3 through cargo's profile override,
# in its own target dir so the consumer's size-tuned release artifacts are not rebuilt, and
# wasm-opt -O3 (studio/Cargo.toml).
export CARGO_PROFILE_RELEASE_OPT_LEVEL=3
export CARGO_TARGET_DIR="$PWD/target/studio"
wasm-pack build studio --release --target web --out-dir ../pkg/studio --out-name studio --no-pack 2>&1 \
  | grep -vE '^\s*$|Compiling|Checking' || true
test -s pkg/studio/studio_bg.wasm || { echo "studio wasm build failed" >&2; exit 1; }
node --input-type=module -e '
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
const sizes = (file) => {
  const bytes = readFileSync(file);
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }).length,
  };
};
const report = { studioWasm: sizes("pkg/studio/studio_bg.wasm"), studioGlue: sizes("pkg/studio/studio.js") };
if (existsSync("pkg/web/puhui_bg.wasm")) report.consumerWasm = sizes("pkg/web/puhui_bg.wasm");
writeFileSync("pkg/studio/size-report.json", JSON.stringify(report, null, 2) + "\n");
const kib = (n) => (n / 1024).toFixed(1);
const s = report.studioWasm;
console.log(`studio wasm: ${kib(s.raw)} KiB raw, ${kib(s.gzip)} KiB gzip, ${kib(s.brotli)} KiB brotli` +
  (report.consumerWasm ? ` (consumer wasm: ${kib(report.consumerWasm.gzip)} KiB gzip, unchanged by the studio)` : ""));
'
