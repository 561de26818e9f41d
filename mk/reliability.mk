# Reliability and security proof (issue 13): fuzzing, parity at scale, limits bench, load.
#   make test        runs test-fuzz-smoke (committed corpus through the target bodies) and
#                    test-parity-wasm (2,000 generated requests, wasm in Node vs native)
#   make fuzz        each cargo-fuzz target for FUZZ_SECONDS (default 600) one after another
#   make parity-100k 100,000 generated requests through both
#   make bench-limits  criterion bench over the worst inputs the limits allow
#   make load-test   wrk against the real server on 127.0.0.1 (bounded)
.PHONY: test-fuzz-smoke test-parity-wasm parity-100k fuzz fuzz-build bench-limits load-test

FUZZ_SECONDS ?= 600
FUZZ_TARGETS := bundle_verify json_ops engine_quote score_logic strict_json
PARITY_DIR := target/parity

EXTRA_TESTS += test-fuzz-smoke test-parity-wasm

test-fuzz-smoke:
	cargo test -p puhui --test fuzz_smoke

# Needs pkg/node (built by `make wasm`, which `make test` runs before EXTRA_TESTS).
test-parity-wasm:
	node tests/parity/gen.mjs 2000 $(PARITY_DIR)/cases-2k.jsonl
	PARITY_CASES=$(CURDIR)/$(PARITY_DIR)/cases-2k.jsonl cargo test -p puhui --test parity -- --nocapture

parity-100k: wasm
	node tests/parity/gen.mjs 100000 $(PARITY_DIR)/cases-100k.jsonl 100000
	PARITY_CASES=$(CURDIR)/$(PARITY_DIR)/cases-100k.jsonl cargo test --profile bench -p puhui --test parity -- --nocapture

# cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP=1 lets the stable toolchain accept them.
fuzz-build:
	scripts/ensure-fuzz.sh
	cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz build -O

fuzz: fuzz-build
	mkdir -p target/fuzz-logs
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p fuzz/corpus/$$t; \
	  (cd fuzz && RUSTC_BOOTSTRAP=1 nice cargo fuzz run -O $$t corpus/$$t -- \
	     -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -max_len=65536 -timeout=30 \
	     -print_final_stats=1) 2>&1 | tail -40 > target/fuzz-logs/$$t.log \
	     || echo "$$t: stopped on a finding (fuzz/artifacts/$$t/, target/fuzz-logs/$$t.log)"; \
	  grep -E 'stat::number_of_executed_units|Done|SUMMARY|ERROR' target/fuzz-logs/$$t.log || true; \
	done

bench-limits:
	cargo bench --bench limits

load-test: native wasm
	scripts/load-test.sh $(PUHUI_NATIVE) 10
