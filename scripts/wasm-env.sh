# Sourced by the scripts that build the shipped wasm modules (build-wasm.sh, size-attribution.sh):
# the standard library is rebuilt with the release profile (opt-level "z", LTO across std and the
# engine) and panics abort at once (`-C panic=immediate-abort`): no panic message formatting, no
# location strings, no `core::fmt` reached from a panic. A panic in the wasm was already a trap
# (`panic = "abort"`, no panic hook: a host never saw its message), and the engine is built not to
# panic on any input (tests/reliability.rs, fuzz), so nothing observable changes; the modules
# shrink by ~3-6 % (docs/size.md, session 8). Both are unstable cargo/rustc options on the
# stable toolchain, enabled with RUSTC_BOOTSTRAP=1 as the fuzz build does (mk/reliability.mk);
# they need the `rust-src` component (scripts/ensure-tools.sh adds it). Only the wasm32 target
# sees the flags: native builds, build scripts and proc macros are untouched.
export RUSTC_BOOTSTRAP=1
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
# `-reference-types`: wasm-bindgen then keeps JS values in a JS-side heap array instead of an
# `externref` table, which drops the table's allocator, its lazily built slab and the externref
# shims from both modules (calc −724 B brotli, full −940 B; the glue grows 32 B) and lets the
# modules run on engines without reference types (older mini-program hosts).
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Ctarget-feature=-reference-types"
