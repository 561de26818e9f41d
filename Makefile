# puhui: two commands on a fresh machine.
#   make demo   installs what is missing, builds, signs the sample bundle, serves http://127.0.0.1:8080
#   make test   every check: fmt, clippy (host + wasm32), docs, Rust tests, wasm build, JS, browser, parity
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CARGO_TERM_COLOR ?= never

ADDR ?= 127.0.0.1:8080
PUHUI_NATIVE := target/release-native/puhui

.PHONY: demo-bundle demo test tools wasm cli native check-rust test-rust test-js test-browser test-parity bench bench-native bench-node size clean

demo: tools wasm native demo-bundle
	@echo "puhui demo: http://$(ADDR)"
	$(PUHUI_NATIVE) serve --dir . --addr $(ADDR)

test: tools check-rust test-rust wasm test-js test-browser test-parity
	@echo "make test: all checks passed"

demo-bundle: native
	scripts/demo-bundle.sh $(PUHUI_NATIVE)

tools:
	scripts/ensure-tools.sh wasm node browser

wasm:
	scripts/build-wasm.sh

native:
	cargo build --profile release-native -p puhui-cli

check-rust:
	scripts/sync-vectors.sh --check
	cargo fmt --all -- --check
	cargo clippy --workspace --exclude puhui-wasm --all-targets -- -D warnings
	cargo clippy -p puhui-wasm --target wasm32-unknown-unknown -- -D warnings
	RUSTDOCFLAGS="-D warnings" cargo doc --workspace --exclude puhui-wasm --no-deps --quiet

test-rust:
	cargo test --workspace --exclude puhui-wasm

test-js:
	cargo build -p puhui-cli --quiet
	tsc -p tests/ts/tsconfig.json --noEmit
	node --test tests/js/
	node tests/jsonlogic/compare.mjs

test-browser:
	cargo build -p puhui-cli --quiet
	node --test --test-concurrency=1 www/tests/

test-parity: native
	PUHUI=$(CURDIR)/$(PUHUI_NATIVE) bash tests/py/parity.sh

bench: bench-native bench-node

bench-native:
	cargo bench --bench engine

bench-node: wasm
	node bench/node/bench.mjs

size: wasm
	@cat pkg/size-report.json

clean:
	cargo clean
	rm -rf pkg node_modules
