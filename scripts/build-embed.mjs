// Builds the partner embed into the web package: www/src/embed/index.ts → pkg/web/embed.js (one
// ES module, minified; the engine, loader and calculator module are not bundled: the element
// imports them from its own directory at run time) and www/src/embed/embed.d.ts → pkg/web/embed.d.ts.
// Writes pkg/web/embed-size.json (raw, gzip -9, brotli 11). Run after the wasm build (make embed).
// Usage: node scripts/build-embed.mjs
import { build } from "esbuild";
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "pkg", "web");
if (!existsSync(join(out, "puhui.js"))) {
  console.error("build-embed: pkg/web/puhui.js is missing; run the wasm build first (make wasm)");
  process.exit(1);
}
await build({
  entryPoints: [join(root, "www", "src", "embed", "index.ts")],
  outfile: join(out, "embed.js"),
  absWorkingDir: root,
  bundle: true,
  format: "esm",
  target: ["es2020", "chrome100", "safari15"],
  minify: true,
  legalComments: "none",
  charset: "utf8",
  logLevel: "warning",
});
copyFileSync(join(root, "www", "src", "embed", "embed.d.ts"), join(out, "embed.d.ts"));
const bytes = readFileSync(join(out, "embed.js"));
const size = {
  file: "embed.js",
  raw: bytes.length,
  gzip: gzipSync(bytes, { level: 9 }).length,
  brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
};
writeFileSync(join(out, "embed-size.json"), `${JSON.stringify(size, null, 2)}\n`);
console.log(`pkg/web/embed.js: ${size.raw} B raw, ${size.gzip} B gzip, ${size.brotli} B brotli`);
