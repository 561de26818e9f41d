#!/usr/bin/env bash
# Installs cargo-fuzz (from crates.io, a few minutes) when missing; `make fuzz` calls this.
set -euo pipefail
export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
