// Writes every package under pkg/ from the wasm-pack output staged in pkg/.stage/<module>-<target>
// (scripts/build-wasm.sh), driven by the folders of pkg-config/:
//   web/                 ES module for <script type="module">: puhui.js + puhui_calc.js, loader
//   bundler/             the same ES modules for Vite/webpack (new URL(..., import.meta.url) assets)
//   node/                CommonJS puhui.js + ESM puhui.mjs over the same wasm
//   miniprogram-wechat/  CommonJS ES2015 index.js, WXWebAssembly from a package path, .wasm.br
//   miniprogram-alipay/  page-side index.js + worker/index.js (MyWebAssembly inside the Worker)
// Each folder's package.json is an overlay; name, version (Cargo.toml), license, types and files
// are completed here. Then pkg/size-report.json is written and checked against size-budget.json
// (brotli and gzip per module, package sizes against the 2 MB mini-program limit): exit 1 above it.
// Usage: node pkg-config/assemble.mjs [puhui_calc] [puhui]
import { readFileSync, writeFileSync, existsSync, copyFileSync, mkdirSync, rmSync, readdirSync, statSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join, relative } from "node:path";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const config = join(root, "pkg-config");
const stage = join(root, "pkg", ".stage");
const cargo = readFileSync(join(root, "Cargo.toml"), "utf8");
const version = /\[workspace\.package\][^[]*?version\s*=\s*"([^"]+)"/s.exec(cargo)[1];
const license = /\[workspace\.package\][^[]*?license\s*=\s*"([^"]+)"/s.exec(cargo)[1];
const modules = process.argv.slice(2).length ? process.argv.slice(2) : ["puhui_calc", "puhui"];
const full = modules.includes("puhui");

const read = (path) => readFileSync(path, "utf8");
const json = (path) => JSON.parse(read(path));
const brotli = (bytes) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } });

function fresh(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}

function copy(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

/** Files of `dir`, recursively, relative to it. */
function listFiles(dir, base = dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path, base) : [relative(base, path)];
  });
}

function writePackage(target, extra) {
  const dir = join(root, "pkg", target);
  const overlay = json(join(config, target, "package.json"));
  const pkg = { name: overlay.name, version, license, ...overlay, ...extra };
  pkg.version = version;
  pkg.license = license;
  pkg.files = listFiles(dir).filter((f) => f !== "package.json" && !f.startsWith(".")).sort();
  writeFileSync(join(dir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
  return pkg;
}

/** The export names of a staged ES-module glue (imported in Node; it does no IO at import). */
async function exportNames(module) {
  const glue = await import(pathToFileURL(join(stage, `${module}-web`, `${module}.js`)).href);
  return Object.keys(glue).filter((name) => name !== "default" && name !== "initSync").sort();
}

/**
 * The web glue with its instantiation internals exported (for hosts that instantiate themselves)
 * and the one line that refers to the default init cut, so a bundler can drop the default init
 * and with it `fetch`, `URL`, `import.meta` and `WebAssembly.*`.
 */
function hostGlue(module) {
  let glue = read(join(stage, `${module}-web`, `${module}.js`));
  const cut = glue.replace(/^\s*__wbg_init\.__wbindgen_wasm_module = module;\s*$/m, "");
  if (cut === glue) throw new Error(`${module}.js: the wasm-bindgen glue changed shape (no __wbindgen_wasm_module line)`);
  for (const name of ["__wbg_get_imports", "__wbg_finalize_init"]) {
    if (!new RegExp(`function ${name}\\(`).test(cut)) throw new Error(`${module}.js: no ${name} in the glue`);
  }
  const out = join(stage, `${module}-host.js`);
  writeFileSync(out, cut + "\nexport { __wbg_get_imports, __wbg_finalize_init };\n");
  return out;
}

/** CommonJS, ES2015, UTF-8 codec injected for TextEncoder/TextDecoder; checked for host gaps. */
async function bundleForMiniProgram(entry, outfile, glue, replacements = {}) {
  let source = read(entry);
  for (const [key, value] of Object.entries(replacements)) source = source.split(key).join(value);
  const result = await build({
    stdin: { contents: source, resolveDir: dirname(entry), sourcefile: relative(root, entry) },
    bundle: true,
    format: "cjs",
    target: "es2015",
    platform: "neutral",
    write: false,
    inject: [join(config, "js", "utf8.js")],
    plugins: glue
      ? [{ name: "glue", setup(b) { b.onResolve({ filter: /^puhui-glue$/ }, () => ({ path: glue })); } }]
      : [],
    legalComments: "none",
    logLevel: "error",
  });
  const code = result.outputFiles[0].text;
  // What a mini-program engine lacks must not be referenced at all.
  // (Global uses only: `config.fetch(...)`, a host-provided function, is fine.)
  for (const banned of [/import\.meta/, /(?<![.\w])fetch\(/, /\bnew URL\(/, /(?<![.\w])performance\./, /(?<![.\w])crypto\./, /(?<![.\w])WebAssembly\./, /\?\?/, /\?\.[^\d]/]) {
    if (banned.test(code)) throw new Error(`${relative(root, outfile)}: uses ${banned} (not available in mini-programs)`);
  }
  mkdirSync(dirname(outfile), { recursive: true });
  writeFileSync(outfile, code);
}

/**
 * The client loader (pkg-config/js/loader.js and its modules under loader/) as one ES module, so
 * `<pkg>/loader.js` stays one file a page can `import()` at runtime without a bundler.
 */
async function bundleLoaderEsm(outfile) {
  const entry = join(config, "js", "loader.js");
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    target: "es2020",
    platform: "neutral",
    write: false,
    banner: { js: "// The puhui client loader, bundled by pkg-config/assemble.mjs from pkg-config/js/loader.js and loader/*.js; types in loader.d.ts." },
    legalComments: "none",
    logLevel: "error",
  });
  mkdirSync(dirname(outfile), { recursive: true });
  writeFileSync(outfile, result.outputFiles[0].text);
}

/** The web .d.ts without its init section: the shared request/response types and exports. */
function sharedTypes(module) {
  const dts = read(join(stage, `${module}-web`, `${module}.d.ts`));
  const at = dts.indexOf("export type InitInput");
  if (at < 0) throw new Error(`${module}.d.ts: the wasm-bindgen types changed shape`);
  return dts.slice(0, at).trimEnd() + "\n";
}

/** The same declarations with every function and method answering a Promise (Alipay page side). */
function promised(types) {
  return types
    .replace(/^(export function \w+\([^;]*\)): ([^;]+);$/gm, "$1: Promise<$2>;")
    .replace(/^(  (?:static )?(?!constructor|private)\w+\([^;]*\)): ([^;]+);$/gm, "$1: Promise<$2>;")
    .replace(/^  (readonly )?(summary|state|preview): /gm, "  readonly $2: ")
    .replace(/^  free\(\): Promise<void>;$/m, "  free(): Promise<void>;");
}

const report = { version, modules: {}, packages: {} };

// ---- web and bundler: the ES-module glue of both modules -----------------------------------
for (const target of ["web", "bundler"]) {
  const dir = join(root, "pkg", target);
  fresh(dir);
  for (const module of modules) {
    for (const suffix of [".js", ".d.ts", "_bg.wasm", "_bg.wasm.d.ts"]) {
      copy(join(stage, `${module}-web`, module + suffix), join(dir, module + suffix));
    }
  }
  await bundleLoaderEsm(join(dir, "loader.js"));
  copy(join(config, "js", "loader.d.ts"), join(dir, "loader.d.ts"));
  writePackage(target);
}

// ---- node: CommonJS (wasm-pack nodejs) plus an ESM wrapper ---------------------------------
if (full) {
  const dir = join(root, "pkg", "node");
  fresh(dir);
  for (const suffix of [".js", ".d.ts", "_bg.wasm", "_bg.wasm.d.ts"]) copy(join(stage, "puhui-nodejs", "puhui" + suffix), join(dir, "puhui" + suffix));
  const names = await exportNames("puhui");
  writeFileSync(join(dir, "puhui.mjs"), `// ESM entry over the CommonJS build (one wasm instance for both).\nimport engine from "./puhui.js";\nexport const { ${names.join(", ")} } = engine;\nexport default engine;\n`);
  copy(join(dir, "puhui.d.ts"), join(dir, "puhui.d.mts"));
  writePackage("node");
}

// ---- mini-programs -------------------------------------------------------------------------
if (full) {
  const names = await exportNames("puhui");
  const glue = hostGlue("puhui");
  const wasm = readFileSync(join(stage, "puhui-web", "puhui_bg.wasm"));
  const wasmBr = brotli(wasm);
  const initTypes = "\n/** Options of `init`. */\nexport interface InitOptions {\n  /** A path inside the mini-program package to puhui_bg.wasm.br. */\n  wasmPath?: string;\n}\n";

  // WeChat: miniprogram_dist/ is what the mini-program npm build copies to /miniprogram_npm/<name>/.
  const wechat = join(root, "pkg", "miniprogram-wechat");
  fresh(wechat);
  const wechatName = json(join(config, "miniprogram-wechat", "package.json")).name;
  const dist = join(wechat, "miniprogram_dist");
  await bundleForMiniProgram(join(config, "miniprogram-wechat", "entry.js"), join(dist, "index.js"), glue, { "/*EXPORTS*/": names.join(", "), "/*NAME*/": wechatName });
  writeFileSync(join(dist, "puhui_bg.wasm.br"), wasmBr);
  writeFileSync(join(dist, "index.d.ts"), sharedTypes("puhui") + initTypes + "/** Where the mini-program npm build puts the wasm. */\nexport const DEFAULT_WASM_PATH: string;\n/** Loads the engine with WXWebAssembly from a package path; call once before anything else. */\nexport function init(options?: InitOptions): Promise<void>;\nexport default init;\n");
  await bundleForMiniProgram(join(config, "js", "loader.js"), join(dist, "loader.js"));
  writeFileSync(join(dist, "loader.d.ts"), read(join(config, "js", "loader.d.ts")).replace('from "./puhui.js"', 'from "./index.js"'));
  copy(join(config, "miniprogram-wechat", "README.md"), join(wechat, "README.md"));
  writePackage("miniprogram-wechat");

  // Alipay: page-side index.js, worker/ (copied into the app's workers folder), same types as promises.
  const alipay = join(root, "pkg", "miniprogram-alipay");
  fresh(alipay);
  await bundleForMiniProgram(join(config, "miniprogram-alipay", "page.js"), join(alipay, "index.js"));
  await bundleForMiniProgram(join(config, "miniprogram-alipay", "worker.js"), join(alipay, "worker", "index.js"), glue);
  writeFileSync(join(alipay, "worker", "puhui_bg.wasm.br"), wasmBr);
  writeFileSync(join(alipay, "index.d.ts"), promised(sharedTypes("puhui")) + initTypes.replace("  wasmPath?: string;\n", "  wasmPath?: string;\n  /** An existing Worker; otherwise `my.createWorker(workerPath)`. */\n  worker?: { postMessage(message: object): void; onMessage(listener: (message: any) => void): void };\n  /** Default DEFAULT_WORKER_PATH. */\n  workerPath?: string;\n") + "/** Where my.createWorker finds the worker copied from worker/. */\nexport const DEFAULT_WORKER_PATH: string;\n/** Any operation of the JSON contract by name. */\nexport function call(operation: string, request: object | string): Promise<unknown>;\n/** Starts the engine Worker and loads the wasm inside it; call once before anything else. */\nexport function init(options?: InitOptions): Promise<void>;\nexport default init;\n");
  await bundleForMiniProgram(join(config, "js", "loader.js"), join(alipay, "loader.js"));
  writeFileSync(join(alipay, "loader.d.ts"), read(join(config, "js", "loader.d.ts")).replace('from "./puhui.js"', 'from "./index.js"'));
  copy(join(config, "miniprogram-alipay", "README.md"), join(alipay, "README.md"));
  writePackage("miniprogram-alipay");
}

// ---- sizes ---------------------------------------------------------------------------------
const budget = json(join(config, "size-budget.json"));
const failures = [];
for (const module of modules) {
  const wasm = readFileSync(join(root, "pkg", "web", `${module}_bg.wasm`));
  const sizes = { rawBytes: wasm.length, gzipBytes: gzipSync(wasm, { level: 9 }).length, brotliBytes: brotli(wasm).length };
  report.modules[module] = sizes;
  const limit = budget.modules[module];
  if (!limit) failures.push(`${module}: no budget in pkg-config/size-budget.json`);
  else {
    if (sizes.brotliBytes > limit.brotliMaxBytes) failures.push(`${module}: ${sizes.brotliBytes} B brotli > ${limit.brotliMaxBytes}`);
    if (sizes.gzipBytes > limit.gzipMaxBytes) failures.push(`${module}: ${sizes.gzipBytes} B gzip > ${limit.gzipMaxBytes}`);
  }
  console.log(`${module}: ${(sizes.rawBytes / 1024).toFixed(1)} KiB raw, ${(sizes.gzipBytes / 1024).toFixed(1)} KiB gzip, ${(sizes.brotliBytes / 1024).toFixed(1)} KiB brotli (budget ${limit ? (limit.brotliMaxBytes / 1024).toFixed(0) : "?"} KiB brotli)`);
}
for (const target of ["web", "bundler", "node", "miniprogram-wechat", "miniprogram-alipay"]) {
  const dir = join(root, "pkg", target);
  if (!existsSync(join(dir, "package.json"))) continue;
  const bytes = listFiles(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
  report.packages[target] = { bytes };
  if (bytes > budget.packageMaxBytes) failures.push(`pkg/${target}: ${bytes} B > ${budget.packageMaxBytes}`);
}
writeFileSync(join(root, "pkg", "size-report.json"), JSON.stringify(report, null, 2) + "\n");
console.log(`packages: ${Object.entries(report.packages).map(([t, { bytes }]) => `${t} ${(bytes / 1024).toFixed(0)} KiB`).join(", ")}`);
if (failures.length) {
  console.error("over the size budget in pkg-config/size-budget.json:\n  " + failures.join("\n  "));
  process.exit(1);
}
