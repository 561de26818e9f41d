# Packaging (issue 9): every host target from one build, their sandbox and install tests, and the
# calculator build's own lints. `make wasm` (scripts/build-wasm.sh) already fails above the size
# budgets in pkg-config/size-budget.json; `make size` prints the report.
.PHONY: test-packaging check-calc bench-side-by-side

# The calculator-first configuration (feature `full` off) must stay warning-free on its own.
check-calc:
	cargo clippy -p puhui --no-default-features --lib -- -D warnings
	cargo clippy -p puhui-wasm --target wasm32-unknown-unknown --no-default-features -- -D warnings

# Mini-program sandboxes (vm contexts without WebAssembly/TextEncoder/fetch/URL/...), and the
# packed tarballs installed into Node ESM/CJS, a plain HTML page and a Vite build in Chromium.
test-packaging: wasm
	cargo build -p puhui-cli --quiet
	node --test --test-concurrency=1 tests/miniprogram/ tests/packages/

bench-side-by-side: wasm
	node benches/node/bench.mjs

EXTRA_TESTS += check-calc test-packaging
