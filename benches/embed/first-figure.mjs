// Benchmark (not a test): what a partner page pays for <puhui-offer>. A partner's page on its own
// origin (http://localhost:Q, a static server) includes /pkg/web/embed.js from the lender's real
// `puhui serve` (http://127.0.0.1:P, CORS-allowed) with the sample bundle signed into a temp dir.
// Measured over 5 cold loads (cache disabled, storage cleared), median: time from navigation to
// the element's first figure (`puhui:embed-first-figure` mark) at 4x CPU throttling, on loopback
// and with "slow 4G" (1.6 Mbps, 150 ms RTT); the bytes fetched from the lender's origin (encoded,
// as on the wire) per file; and the gzip -9 / brotli 11 sizes of the same files (what a
// compressing CDN would send). The throttling, the timing and the report are
// benches/web/cold-load.mjs's (shared with the consumer page's benchmark).
// Usage: node benches/embed/first-figure.mjs [--runs 5] [--json out.json]
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { writeFileSync, readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { join } from "node:path";
import { startServer, root, freePort } from "../../tests/js/helpers.mjs";
import { launchBrowser } from "../../www/tests/harness.mjs";
import { coldPage, measureScenarios, median, options, signedSample, waitForMark, writeReport } from "../web/cold-load.mjs";

const { runs, jsonOut } = options("embed-first-figure.json");

execFileSync(process.execPath, [join(root, "scripts", "build-embed.mjs")], { stdio: "inherit" });
const sample = signedSample("puhui-bench-embed-");
const rootText = readFileSync(join(sample.keys, "root.json"), "utf8").trim();
const partnerPort = await freePort();
const partnerOrigin = `http://localhost:${partnerPort}`;
const config = join(sample.work, "serve.json");
writeFileSync(config, JSON.stringify({ corsOrigins: [partnerOrigin], embed: { allowedOrigins: [partnerOrigin] } }));
const server = await startServer({ args: ["--bundles", sample.bundles, "--config", config] });
const html = `<!doctype html><html><head><meta charset="utf-8"><title>partner</title>
<script type="module" src="${server.base}/pkg/web/embed.js"></script></head>
<body><h1>checkout</h1><puhui-offer product="card-installment" amount="12000" term="12"><script type="application/json">${rootText}</script></puhui-offer></body></html>`;
const partner = createServer((req, res) => {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  res.end(html);
});
await new Promise((resolve) => partner.listen(partnerPort, "127.0.0.1", resolve));
const browser = await launchBrowser();

async function once(scenario) {
  const files = {};
  const { page, cdp } = await coldPage(browser, scenario, (url, encoded) => {
    if (url.startsWith(server.base)) {
      const path = new URL(url).pathname;
      files[path] = (files[path] ?? 0) + encoded;
    }
  });
  await page.goto(`${partnerOrigin}/`, { waitUntil: "commit" });
  await page.evaluate(() => localStorage.clear()).catch(() => {});
  const firstFigure = await waitForMark(cdp, "puhui:embed-first-figure");
  await page.waitForTimeout(200);
  await page.close();
  return { firstFigure, files, bytes: Object.values(files).reduce((a, b) => a + b, 0) };
}

// Compressed sizes of the package files the element loads.
const compressed = {};
for (const name of ["embed.js", "puhui.js", "puhui_bg.wasm", "loader.js"]) {
  const bytes = readFileSync(join(root, "pkg", "web", name));
  compressed[name] = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length };
}
const sum = (key) => Object.values(compressed).reduce((a, c) => a + c[key], 0);
compressed.total = { raw: sum("raw"), gzip: sum("gzip"), brotli: sum("brotli") };

try {
  const results = await measureScenarios({
    runs,
    once,
    summarize: (samples) => ({ bytesFromLender: median(samples.map((s) => s.bytes)), files: samples[0].files }),
    line: (row) => `${row.scenario}: first figure ${row.firstFigureMs} ms (median of ${runs}: ${row.firstFigureSamplesMs.join(", ")}), ${row.bytesFromLender} B from the lender's origin`,
  });
  console.log("package files (raw / gzip -9 / brotli 11):");
  for (const [name, c] of Object.entries(compressed)) console.log(`  ${name}: ${c.raw} / ${c.gzip} / ${c.brotli}`);
  writeReport(jsonOut, { results, compressed });
} finally {
  await browser.close();
  await server.stop();
  partner.close();
  sample.remove();
}
