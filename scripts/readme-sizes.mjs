#!/usr/bin/env node
// Writes the README's size line (between <!-- sizes:start --> and <!-- sizes:end -->) from
// pkg/size-report.json, which scripts/build-wasm.sh writes. tests/js/readme.test.mjs fails when
// the README's figures drift more than 2 % from the build, so run this after a size change:
//   scripts/build-wasm.sh && node scripts/readme-sizes.mjs
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The README block for a size report. */
export function sizeBlock(report) {
  const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
  const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;
  const module = (name) => {
    const m = report.modules[name];
    return `\`${name}\` ${kib(m.brotliBytes)} / ${kib(m.gzipBytes)} / ${kib(m.rawBytes)}`;
  };
  const p = report.packages;
  return [
    "Sizes (brotli 11 / gzip -9 / raw, from `pkg/size-report.json`; budgets in",
    "`pkg-config/size-budget.json`, history in [docs/size.md](docs/size.md)):",
    `${module("puhui_calc")}; ${module("puhui")}. Packages: web`,
    `and bundler ${mb(p.web.bytes)} (both modules), node ${mb(p.node.bytes)}, WeChat ${mb(p["miniprogram-wechat"].bytes)}, Alipay ${mb(p["miniprogram-alipay"].bytes)} (2 MB limit).`,
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const report = JSON.parse(readFileSync(join(root, "pkg/size-report.json"), "utf8"));
  const path = join(root, "README.md");
  const readme = readFileSync(path, "utf8");
  const marked = /(<!-- sizes:start -->\n)[\s\S]*?(\n<!-- sizes:end -->)/;
  if (!marked.test(readme)) throw new Error("README.md has no sizes block");
  writeFileSync(path, readme.replace(marked, (_, open, close) => `${open}${sizeBlock(report)}${close}`));
  console.log(sizeBlock(report));
}
