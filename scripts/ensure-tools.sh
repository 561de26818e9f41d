#!/usr/bin/env bash
# Installs what a fresh machine lacks for building and testing puhui; a no-op when all is present.
# Usage: scripts/ensure-tools.sh [wasm] [node] [browser] [python]   (no argument = wasm node)
set -euo pipefail
cd "$(dirname "$0")/.."
want="${*:-wasm node}"
log() { printf '\033[1m[tools]\033[0m %s\n' "$*"; }
has() { command -v "$1" >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif has sudo; then sudo "$@"; else "$@"; fi; }

if [[ " $want " == *" wasm "* ]]; then
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  # The shipped modules rebuild std for size (scripts/wasm-env.sh): that needs std's sources.
  if ! rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
    log "adding the rust-src component (std rebuilt for the wasm modules)"
    rustup component add rust-src
  fi
  if ! has wasm-pack; then
    log "installing wasm-pack from crates.io (a few minutes, once)"
    cargo install wasm-pack --locked
  fi
  # wasm-pack uses a wasm-bindgen on PATH when its version matches the pinned crate; installing it
  # here once keeps parallel wasm-pack runs from each compiling their own copy.
  bindgen_version=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' wasm/Cargo.toml)
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $bindgen_version" ]; then
    log "installing wasm-bindgen-cli $bindgen_version from crates.io (a few minutes, once)"
    cargo install wasm-bindgen-cli --version "$bindgen_version" --locked
  fi
fi

if [[ " $want " == *" node "* || " $want " == *" wasm "* ]]; then
  # npm ci gives the exact locked tools, among them binaryen's wasm-opt 132
  # (Debian's binaryen 108 miscompiles what Rust 1.95 emits; see ARCHITECTURE.md).
  if [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "installing npm packages (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi

if [[ " $want " == *" browser "* ]]; then
  if ! has chromium && [ ! -x /usr/bin/chromium ]; then
    log "installing Debian chromium for the browser tests"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null
  fi
  # CJK fonts, so screenshots and visual checks show the Chinese text a person sees.
  if ! fc-list 2>/dev/null | grep -i 'Noto Sans CJK' >/dev/null; then
    log "installing Debian fonts-noto-cjk for the browser tests"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq fonts-noto-cjk >/dev/null
  fi
fi

if [[ " $want " == *" python "* ]]; then
  # The Python package's build and test tools, in a repo-local venv (git-ignored): maturin builds
  # the abi3 wheel; pyarrow, pyspark (local mode on the machine's OpenJDK 17) and pytest test it.
  if ! has java; then
    log "installing Debian's OpenJDK 17 for PySpark"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq openjdk-17-jre-headless >/dev/null
  fi
  if [ ! -x .venv/bin/python ]; then
    log "creating the Python venv .venv/"
    python3 -m venv .venv
  fi
  if ! .venv/bin/python -c "import maturin, pyarrow, pyspark, pytest, pandas" 2>/dev/null \
      || ! [ -x .venv/bin/maturin ]; then
    log "installing maturin, pyarrow, pyspark (with the pandas it requires) and pytest into .venv/ (once)"
    .venv/bin/pip install -q --disable-pip-version-check \
      "maturin>=1.7,<2" "pyarrow>=15,<23" "pyspark>=4.0,<4.2" "pandas>=2.2,<3" "pytest>=8,<9"
  fi
fi
