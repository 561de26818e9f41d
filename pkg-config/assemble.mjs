// Finishes the wasm-pack output: package.json per target (from the overlays here, version from
// Cargo.toml), the JS client loader for the web package, and a size report checked against the
// budget. Run by scripts/build-wasm.sh; prints the report and exits 1 when over budget.
import { readFileSync, writeFileSync, existsSync, copyFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cargo = readFileSync(join(root, "Cargo.toml"), "utf8");
const version = /\[workspace\.package\][^[]*?version\s*=\s*"([^"]+)"/s.exec(cargo)[1];

for (const [target, overlay] of [["web", "package.web.json"], ["node", "package.node.json"]]) {
  const dir = join(root, "pkg", target);
  const pkg = JSON.parse(readFileSync(join(root, "pkg-config", overlay), "utf8"));
  pkg.version = version;
  pkg.license = "Apache-2.0";
  writeFileSync(join(dir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
  for (const extra of ["loader.js", "loader.d.ts"]) {
    const source = join(root, "pkg-config", "js", extra);
    if (target === "web" && existsSync(source)) copyFileSync(source, join(dir, extra));
  }
}

const wasm = readFileSync(join(root, "pkg", "web", "puhui_bg.wasm"));
const gzip = gzipSync(wasm, { level: 9 }).length;
const brotli = brotliCompressSync(wasm, {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: wasm.length },
}).length;
const budget = JSON.parse(readFileSync(join(root, "pkg-config", "size-budget.json"), "utf8"));
const report = { version, wasmRawBytes: wasm.length, wasmGzipBytes: gzip, wasmBrotliBytes: brotli, budgetGzipBytes: budget.wasmGzipMaxBytes };
writeFileSync(join(root, "pkg", "size-report.json"), JSON.stringify(report, null, 2) + "\n");
console.log(`wasm size: ${(wasm.length / 1024).toFixed(1)} KiB raw, ${(gzip / 1024).toFixed(1)} KiB gzip, ${(brotli / 1024).toFixed(1)} KiB brotli (budget ${(budget.wasmGzipMaxBytes / 1024).toFixed(0)} KiB gzip)`);
if (gzip > budget.wasmGzipMaxBytes) {
  console.error("wasm is over the size budget in pkg-config/size-budget.json");
  process.exit(1);
}
