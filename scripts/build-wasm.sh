#!/usr/bin/env bash
# The one build command for every package: two wasm modules from one core (Cargo features) and
# every host target from them, driven by pkg-config/<target>/ (see pkg-config/README.md).
#   puhui       the full engine       (wasm crate, default feature `full`)
#   puhui_calc  the calculator module (wasm crate, --no-default-features: schedule, apr, disclose)
# wasm-pack builds the web glue of both modules and the nodejs glue of the full one with
# binaryen 132's wasm-opt (node_modules); the bundler package reuses the web glue;
# pkg-config/assemble.mjs then writes pkg/<target>/ for web, bundler, node, miniprogram-wechat and
# miniprogram-alipay, and checks pkg/size-report.json against pkg-config/size-budget.json.
# Usage: scripts/build-wasm.sh [--calc-only]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh wasm
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# std rebuilt for size, panics abort at once (the file says why).
source scripts/wasm-env.sh
stage=pkg/.stage
mkdir -p "$stage"

# Inputs of a wasm build: a stage whose stamp matches is reused (the wasm-opt pass alone takes
# minutes on a shared machine; `make test` and `make demo` both call this script).
inputs=$( { find src wasm data -type f | LC_ALL=C sort | xargs sha256sum; sha256sum Cargo.toml Cargo.lock wasm/Cargo.toml scripts/wasm-env.sh; wasm-pack --version; } | sha256sum | cut -c1-64)

build() { # <module name> <wasm-pack target> <extra cargo args...>
  local name=$1 target=$2
  shift 2
  local out="$stage/$name-$target"
  local stamp="$inputs $* $(command -v wasm-opt)"
  if [ -s "$out/${name}_bg.wasm" ] && [ "$(cat "$out/.stamp" 2>/dev/null)" = "$stamp" ]; then
    echo "wasm: $name ($target) is up to date"
    return
  fi
  rm -rf "$out"
  wasm-pack build wasm --release --target "$target" --out-dir "../$out" --out-name "$name" --no-pack \
    -- "$@" 2>&1 | grep -vE '^\s*$|Compiling|Checking' || true
  test -s "$out/${name}_bg.wasm" || { echo "wasm build failed: $name ($target)" >&2; exit 1; }
  echo "$stamp" > "$out/.stamp"
}

modules=(puhui_calc puhui)
[ "${1:-}" = --calc-only ] && modules=(puhui_calc)
for module in "${modules[@]}"; do
  args=()
  [ "$module" = puhui_calc ] && args=(--no-default-features)
  targets=(web)
  [ "$module" = puhui ] && targets=(web nodejs)
  for target in "${targets[@]}"; do
    build "$module" "$target" "${args[@]}"
  done
done
node pkg-config/assemble.mjs "${modules[@]}"
# The served siblings (`pkg/web/*.wasm.br`, …) follow the new modules at once: a hand-run
# `make size` or `make wasm` used to leave the page's wasm without a matching `.br` until the
# next `make www`, so `puhui serve` sent it uncompressed (291 KB instead of 120 KB to the first
# figure). Idempotent: unchanged files keep their siblings (milliseconds).
node scripts/compress-assets.mjs --quiet
