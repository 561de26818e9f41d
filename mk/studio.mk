# The product preview studio (issue 11): its own wasm module (crate studio/ → pkg/studio/),
# the page www/studio.html (+ www/src/pages/studio.ts, bundled by `make www`), Chromium tests
# and the grid-fill benchmark. The consumer package (pkg/web) never contains the studio.
.PHONY: studio-wasm studio-link check-studio test-studio bench-studio

# The served .br/.gz siblings follow (`make demo` builds the studio after `www` compressed).
studio-wasm:
	scripts/build-studio.sh
	node scripts/compress-assets.mjs --quiet

check-studio:
	cargo clippy -p puhui-studio-wasm --target wasm32-unknown-unknown -- -D warnings
	node tests/fixtures/studio/make-fixtures.mjs --check

test-studio: studio-wasm www
	cargo build -p puhui-cli --quiet
	node --test --test-concurrency=1 www/tests/studio.test.mjs

# Time to fill the grid (10 amounts × 12 terms × 5 bands × 3 methods, draft and live) in
# headless Chromium at 1× CPU; prints the median of several fills.
bench-studio: studio-wasm www
	cargo build -p puhui-cli --quiet
	node benches/studio/grid-fill.mjs

# `test-browser` runs every www/tests/*.test.mjs, www/tests/studio.test.mjs among them, so it
# needs the studio module first; `make test-studio` runs the studio's tests alone.
test-browser: studio-wasm
EXTRA_TESTS += check-studio
studio-link: studio-wasm
	@echo "puhui studio: http://$(ADDR)/studio.html (product preview: lint, grid, diff; nothing is signed there)"

EXTRA_DEMO += studio-wasm studio-link
