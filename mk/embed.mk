# The partner embed (issue 10): <puhui-offer> as pkg/web/embed.js (+ embed.d.ts), the iframe page
# /embed.html and /partner-demo.html (built with the other pages by `make www`), their Chromium
# tests, and the weight/first-figure benchmark. The packaging step will fold `embed` into the
# package build later; until then it runs after `wasm` and `www` here.
.PHONY: embed test-embed bench-embed

# The served .br/.gz siblings follow (embed.js is built after `www` compressed the rest, so
# `make demo` served it uncompressed: 47 KB instead of 14.5 KB brotli).
embed: wasm www
	node scripts/build-embed.mjs
	node scripts/compress-assets.mjs --quiet

# The Chromium tests (www/tests/embed.test.mjs) run with the other browser tests in test-browser
# (they rebuild embed.js first); this target type-checks a partner's use of embed.d.ts.
test-embed: embed
	tsc -p www/tests/embed-types/tsconfig.json --noEmit

# Bytes a partner page pays for the element and time to first figure at 4x CPU (median of 5).
bench-embed: embed
	cargo build -p puhui-cli --quiet
	node benches/embed/first-figure.mjs

EXTRA_TESTS += test-embed
EXTRA_DEMO += embed
