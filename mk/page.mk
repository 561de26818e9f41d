# The consumer pages (www/): TypeScript components bundled by esbuild into content-hashed files,
# HTML written from www/src/html templates. Their browser tests run in `test-browser`
# (node --test www/tests/); these targets add the page benchmark and the screenshots.
.PHONY: bench-web screenshots

# Navigation → first figure (median of 5) at 4× CPU and at 4× CPU + slow 4G, bytes transferred.
bench-web: www
	cargo build -p puhui-cli --quiet
	node benches/web/first-figure.mjs

# 375 px and 1280 px screenshots into bench-results/screenshots/.
screenshots: www
	cargo build -p puhui-cli --quiet
	node benches/web/screenshots.mjs
