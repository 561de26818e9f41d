#!/usr/bin/env node
// Writes precompressed siblings (`x.br`, brotli quality 11; `x.gz`, gzip level 9) next to the
// assets `puhui serve` sends, so the server never compresses per request:
//   pkg/**/*.{wasm,js,mjs}, www/dist/** (text and wasm), www/*.html, www/**/*.css
// (dot directories, node_modules and tests are skipped).
//
// Idempotent and fast on a re-run: a sibling that already decompresses to the current file is
// kept (decompressing is milliseconds; brotli 11 on the wasm is seconds). A sibling that does
// not match is rewritten (atomically: temp file + rename); a sibling whose source is gone, or
// that would not be smaller than its source, is removed. The server checks every sibling
// against its source anyway and falls back to the plain file, so a stale sibling costs bytes,
// never correctness.
//
// Usage: node scripts/compress-assets.mjs [--root DIR] [--quiet]
import { readdirSync, readFileSync, writeFileSync, renameSync, rmSync, statSync, existsSync } from "node:fs";
import { join, relative, dirname, extname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

const args = process.argv.slice(2);
const rootArg = args.indexOf("--root");
const root = resolve(rootArg >= 0 ? args[rootArg + 1] : join(dirname(fileURLToPath(import.meta.url)), ".."));
const quiet = args.includes("--quiet");

const TEXT = new Set([".js", ".mjs", ".css", ".html", ".htm", ".json", ".map", ".svg", ".txt", ".wasm"]);
const MIN_BYTES = 256; // below this the headers cost more than compression saves
// npm packages that are installed, not served (the mini-program packages ship their own
// `puhui_bg.wasm.br` with no `.wasm` beside it, which the stale-sibling sweep must not touch).
const SKIP_DIRS = new Set(["node_modules", "tests", "node", "bundler", "miniprogram-wechat", "miniprogram-alipay"]);

function walk(dir, accept, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(path, accept, out);
    } else if (entry.isFile() && accept(entry.name, path)) {
      out.push(path);
    }
  }
  return out;
}

const isSibling = (name) => name.endsWith(".br") || name.endsWith(".gz");
const sources = new Set([
  ...walk(join(root, "pkg"), (name) => [".wasm", ".js", ".mjs"].includes(extname(name))),
  ...walk(join(root, "www", "dist"), (name) => !isSibling(name) && TEXT.has(extname(name))),
  ...walk(join(root, "www"), (name, path) => extname(name) === ".html" && dirname(path) === join(root, "www")),
  ...walk(join(root, "www"), (name) => extname(name) === ".css"),
]);

const codings = [
  {
    suffix: ".br",
    compress: (bytes, path) =>
      zlib.brotliCompressSync(bytes, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
          [zlib.constants.BROTLI_PARAM_MODE]: extname(path) === ".wasm" ? zlib.constants.BROTLI_MODE_GENERIC : zlib.constants.BROTLI_MODE_TEXT,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        },
      }),
    decompress: (bytes) => zlib.brotliDecompressSync(bytes),
  },
  {
    suffix: ".gz",
    compress: (bytes) => zlib.gzipSync(bytes, { level: 9 }),
    decompress: (bytes) => zlib.gunzipSync(bytes),
  },
];

function matches(siblingPath, coding, source) {
  try {
    return coding.decompress(readFileSync(siblingPath)).equals(source);
  } catch {
    return false;
  }
}

let written = 0;
let kept = 0;
let removed = 0;
let before = 0;
let afterBr = 0;
for (const path of [...sources].sort()) {
  const source = readFileSync(path);
  before += source.length;
  for (const coding of codings) {
    const sibling = path + coding.suffix;
    if (source.length < MIN_BYTES) {
      if (existsSync(sibling)) (rmSync(sibling), removed++);
      continue;
    }
    if (existsSync(sibling) && statSync(sibling).isFile() && matches(sibling, coding, source)) {
      kept++;
      if (coding.suffix === ".br") afterBr += statSync(sibling).size;
      continue;
    }
    const compressed = coding.compress(source, path);
    if (compressed.length >= source.length) {
      if (existsSync(sibling)) (rmSync(sibling), removed++);
      if (coding.suffix === ".br") afterBr += source.length;
      continue;
    }
    const temp = `${dirname(sibling)}/.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(temp, compressed);
    renameSync(temp, sibling);
    written++;
    if (coding.suffix === ".br") afterBr += compressed.length;
  }
}

// Siblings whose source is gone (a renamed, content-hashed asset) would only waste space.
for (const dir of [join(root, "pkg"), join(root, "www")]) {
  for (const sibling of walk(dir, isSibling)) {
    const source = sibling.slice(0, -3);
    if (!existsSync(source)) (rmSync(sibling), removed++);
  }
}

if (!quiet) {
  console.log(
    `compress-assets: ${sources.size} files under ${relative(process.cwd(), root) || "."}: ` +
      `${written} siblings written, ${kept} kept, ${removed} removed; ` +
      `${before} bytes → ${afterBr} with brotli`,
  );
}
