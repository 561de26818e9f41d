// Builds the pages: every entry `www/src/pages/<name>.ts` is type-checked (tsc, strict, by
// `make test`) and bundled by esbuild into `www/dist/<name>.js` (ES module, minified).
// The engine package is not bundled: pages import it from `/pkg/web/…` at run time so the
// browser fetches (and caches) one wasm for every page.
// Usage: node scripts/build-www.mjs [--watch]
import { build, context } from "esbuild";
import { readdirSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pagesDir = join(root, "www", "src", "pages");
const entryPoints = readdirSync(pagesDir)
  .filter((name) => name.endsWith(".ts") && !name.endsWith(".d.ts"))
  .map((name) => join(pagesDir, name));
mkdirSync(join(root, "www", "dist"), { recursive: true });

const options = {
  entryPoints,
  outdir: join(root, "www", "dist"),
  bundle: true,
  format: "esm",
  target: ["es2020"],
  minify: true,
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  external: ["/pkg/*"],
  logLevel: "warning",
  legalComments: "none",
};

if (process.argv.includes("--watch")) {
  const ctx = await context(options);
  await ctx.watch();
  console.log("watching www/src for changes");
} else {
  await build(options);
}
