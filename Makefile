# puhui: two commands on a fresh machine.
#   make demo   installs what is missing, builds, signs the sample bundle, serves http://127.0.0.1:8080
#   make test   every check: fmt, clippy (host + wasm32), docs, Rust tests, wasm build, JS, browser, parity
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CARGO_TERM_COLOR ?= never

ADDR ?= 127.0.0.1:8080
PUHUI_NATIVE := target/release-native/puhui

.PHONY: demo-bundle demo test tools wasm www cli native check-rust test-rust test-js test-browser test-parity bench bench-native bench-node size clean

# Each capability keeps its own targets in mk/<topic>.mk and adds its checks to EXTRA_TESTS
# (and its demo steps to EXTRA_DEMO), so the two entry points stay short.
.DEFAULT_GOAL := demo
EXTRA_TESTS :=
EXTRA_DEMO :=
-include mk/*.mk

demo: tools wasm www native demo-bundle $(EXTRA_DEMO)
	@echo "puhui demo: http://$(ADDR)"
	$(PUHUI_NATIVE) serve --dir . --addr $(ADDR)

test: tools check-rust test-rust wasm www test-js test-browser test-parity $(EXTRA_TESTS)
	@echo "make test: all checks passed"

demo-bundle: native
	scripts/demo-bundle.sh $(PUHUI_NATIVE)

tools:
	scripts/ensure-tools.sh wasm node browser

wasm:
	scripts/build-wasm.sh

# The pages: TypeScript (strict) bundled by esbuild into www/dist/.
www: wasm
	if compgen -G 'www/src/pages/*.ts' >/dev/null; then tsc -p www/tsconfig.json --noEmit; fi
	node scripts/build-www.mjs
	if [ -f scripts/compress-assets.mjs ]; then node scripts/compress-assets.mjs; fi

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
	tsc -p pkg-config/js/tsconfig.json
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
	node benches/node/bench.mjs

size: wasm
	@cat pkg/size-report.json

clean:
	cargo clean
	rm -rf pkg node_modules
