// Builds the pages: every entry `www/src/pages/<name>.ts` (type-checked strict by `make www`) and
// every stylesheet `www/src/styles/<name>.css` (the components' styles alone, for a shadow root) is bundled by esbuild into `www/dist/` under
// a content-hashed name (`<name>-<HASH>.js`, HASH = 8 chars of A-Z2-7), which `puhui serve` marks
// immutable. Each template `www/src/html/<page>.html` is then written to `www/<page>.html` with its
// `<!-- puhui:head <entry> -->` marker replaced by the hashed stylesheet, the script, modulepreload
// hints for its chunks and the engine module, and a preload of the engine's wasm, so the wasm
// download starts while the HTML parses. `www/dist/manifest.json` maps names to hashed files (the
// partner embed reads it); entries without a template also get an unhashed alias `dist/<name>.js`
// (a one-line re-export) so pages owned elsewhere keep a stable URL.
// The engine package is not bundled: pages import it from `/pkg/web/…` at run time.
// Usage: node scripts/build-www.mjs [--watch]
import { build, context } from "esbuild";
import { readdirSync, mkdirSync, rmSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join, relative, basename } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const www = join(root, "www");
const src = join(www, "src");
const dist = join(www, "dist");
const list = (dir, test) => (existsSync(dir) ? readdirSync(dir).filter(test).map((name) => join(dir, name)) : []);
const pageEntries = list(join(src, "pages"), (n) => n.endsWith(".ts") && !n.endsWith(".d.ts"));
const styleEntries = list(join(src, "styles"), (n) => n.endsWith(".css"));

const entrySet = new Set([...pageEntries, ...styleEntries]);
const options = {
  entryPoints: [...pageEntries, ...styleEntries],
  absWorkingDir: root,
  outdir: dist,
  outbase: src,
  entryNames: "[name]-[hash]",
  chunkNames: "chunks/[name]-[hash]",
  assetNames: "assets/[name]-[hash]",
  bundle: true,
  format: "esm",
  target: ["es2020", "chrome100", "safari15"],
  minify: true,
  splitting: true,
  metafile: true,
  external: ["/pkg/*"],
  logLevel: "warning",
  legalComments: "none",
  charset: "utf8",
};

/** Writes manifest, aliases and the HTML pages from an esbuild metafile. */
function finish(metafile) {
  const manifest = { entries: {}, styles: {} };
  for (const [out, info] of Object.entries(metafile.outputs)) {
    if (!info.entryPoint || !entrySet.has(join(root, info.entryPoint))) continue; // dynamic-import chunks are not entries
    const url = `/${relative(www, join(root, out)).split("\\").join("/")}`;
    const entry = basename(info.entryPoint).replace(/\.css$|\.ts$/, "");
    if (out.endsWith(".js")) {
      const chunks = info.imports.filter((i) => i.kind === "import-statement" && !i.external).map((i) => `/${relative(www, join(root, i.path)).split("\\").join("/")}`);
      const css = info.cssBundle ? `/${relative(www, join(root, info.cssBundle)).split("\\").join("/")}` : null;
      manifest.entries[entry] = { js: url, css, chunks };
    } else if (out.endsWith(".css")) {
      manifest.styles[entry] = url;
    }
  }
  // The engine module the calculator starts on: the calculator-first module when the package
  // has it, else the full module (engine.ts falls back the same way at run time).
  const calc = existsSync(join(root, "pkg", "web", "puhui_calc.js")) ? "puhui_calc" : "puhui";
  manifest.engine = { module: `/pkg/web/${calc}.js`, wasm: `/pkg/web/${calc}_bg.wasm` };
  writeFileSync(join(dist, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);

  const templates = list(join(src, "html"), (n) => n.endsWith(".html"));
  const templated = new Set();
  for (const template of templates) {
    let html = readFileSync(template, "utf8");
    html = html.replace(/<!--\s*puhui:head\s+([\w-]+)(\s+engine)?\s*-->/g, (_m, name, engine) => {
      const entry = manifest.entries[name];
      if (!entry) throw new Error(`${basename(template)}: no page entry "${name}"`);
      templated.add(name);
      const lines = [];
      if (entry.css) lines.push(`<link rel="stylesheet" href="${entry.css}">`);
      if (engine) {
        lines.push(`<link rel="preload" href="${manifest.engine.wasm}" as="fetch" type="application/wasm" crossorigin>`);
        lines.push(`<link rel="modulepreload" href="${manifest.engine.module}" data-puhui-calc>`);
      }
      for (const chunk of entry.chunks) lines.push(`<link rel="modulepreload" href="${chunk}">`);
      lines.push(`<script type="module" src="${entry.js}"></script>`);
      return lines.join("\n  ");
    });
    writeFileSync(join(www, basename(template)), html);
  }
  for (const [name, entry] of Object.entries(manifest.entries)) {
    if (templated.has(name)) continue;
    writeFileSync(join(dist, `${name}.js`), `export * from "./${basename(entry.js)}";\nimport "./${basename(entry.js)}";\n`);
    if (entry.css) writeFileSync(join(dist, `${name}.css`), `@import url("./${basename(entry.css)}");\n`);
  }
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
if (process.argv.includes("--watch")) {
  const ctx = await context({ ...options, plugins: [{ name: "finish", setup: (b) => b.onEnd((r) => r.metafile && finish(r.metafile)) }] });
  await ctx.watch();
  console.log("watching www/src for changes");
} else {
  const result = await build(options);
  finish(result.metafile);
}
