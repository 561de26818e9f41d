// Benchmark (not a test): what a partner page pays for <puhui-offer>. A partner's page on its own
// origin (http://localhost:Q, a static server) includes /pkg/web/embed.js from the lender's real
// `puhui serve` (http://127.0.0.1:P, CORS-allowed) with the sample bundle signed into a temp dir.
// Measured over 5 cold loads (cache disabled, storage cleared), median: time from navigation to
// the element's first figure (`puhui:embed-first-figure` mark) at 4x CPU throttling, on loopback
// and with "slow 4G" (1.6 Mbps, 150 ms RTT); the bytes fetched from the lender's origin (encoded,
// as on the wire) per file; and the gzip -9 / brotli 11 sizes of the same files (what a
// compressing CDN would send).
// Usage: node benches/embed/first-figure.mjs [--runs 5] [--json out.json]
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { startServer, cliPath, root, freePort } from "../../tests/js/helpers.mjs";
import { launchBrowser } from "../../www/tests/harness.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const runs = Number(arg("--runs", "5"));
const jsonOut = arg("--json", join(root, "bench-results", "embed-first-figure.json"));

execFileSync(process.execPath, [join(root, "scripts", "build-embed.mjs")], { stdio: "inherit" });
const work = mkdtempSync(join(tmpdir(), "puhui-bench-embed-"));
execFileSync(join(root, "scripts", "demo-bundle.sh"), [cliPath(), join(root, "data", "sample-bundle.json")], {
  env: { ...process.env, PUHUI_KEYS_DIR: join(work, "keys"), PUHUI_BUNDLES_DIR: join(work, "bundles") },
  stdio: "pipe",
});
const rootText = readFileSync(join(work, "keys", "root.json"), "utf8").trim();
const partnerPort = await freePort();
const partnerOrigin = `http://localhost:${partnerPort}`;
const config = join(work, "serve.json");
writeFileSync(config, JSON.stringify({ corsOrigins: [partnerOrigin], embed: { allowedOrigins: [partnerOrigin] } }));
const server = await startServer({ args: ["--bundles", join(work, "bundles"), "--config", config] });
const html = `<!doctype html><html><head><meta charset="utf-8"><title>partner</title>
<script type="module" src="${server.base}/pkg/web/embed.js"></script></head>
<body><h1>checkout</h1><puhui-offer product="card-installment" amount="12000" term="12"><script type="application/json">${rootText}</script></puhui-offer></body></html>`;
const partner = createServer((req, res) => {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  res.end(html);
});
await new Promise((resolve) => partner.listen(partnerPort, "127.0.0.1", resolve));
const browser = await launchBrowser();

const SLOW_4G = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };
const scenarios = [
  { name: "4x CPU, loopback", cpu: 4, network: null },
  { name: "4x CPU + slow 4G, cold cache", cpu: 4, network: SLOW_4G },
];

async function once(scenario) {
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.clearBrowserCache");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: scenario.cpu });
  if (scenario.network) await cdp.send("Network.emulateNetworkConditions", scenario.network);
  const urls = new Map();
  const files = {};
  cdp.on("Network.responseReceived", (e) => urls.set(e.requestId, e.response.url));
  cdp.on("Network.loadingFinished", (e) => {
    const url = urls.get(e.requestId) ?? "";
    if (url.startsWith(server.base)) files[new URL(url).pathname] = (files[new URL(url).pathname] ?? 0) + e.encodedDataLength;
  });
  await page.goto(`${partnerOrigin}/`, { waitUntil: "commit" });
  await page.evaluate(() => localStorage.clear()).catch(() => {});
  await page.waitForFunction(() => performance.getEntriesByName("puhui:embed-first-figure").length > 0, null, { timeout: 120000, polling: 20 });
  const firstFigure = await page.evaluate(() => performance.getEntriesByName("puhui:embed-first-figure")[0].startTime);
  await page.waitForTimeout(200);
  await page.close();
  return { firstFigure, files, bytes: Object.values(files).reduce((a, b) => a + b, 0) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

// Compressed sizes of the package files the element loads.
const compressed = {};
for (const name of ["embed.js", "puhui.js", "puhui_bg.wasm", "loader.js"]) {
  const bytes = readFileSync(join(root, "pkg", "web", name));
  compressed[name] = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length };
}
const sum = (key) => Object.values(compressed).reduce((a, c) => a + c[key], 0);
compressed.total = { raw: sum("raw"), gzip: sum("gzip"), brotli: sum("brotli") };

const results = [];
try {
  await once(scenarios[0]); // warm-up of the browser process (not of the page cache)
  for (const scenario of scenarios) {
    const samples = [];
    for (let i = 0; i < runs; i++) samples.push(await once(scenario));
    const row = {
      scenario: scenario.name,
      runs,
      firstFigureMs: Math.round(median(samples.map((s) => s.firstFigure))),
      firstFigureSamplesMs: samples.map((s) => Math.round(s.firstFigure)),
      bytesFromLender: median(samples.map((s) => s.bytes)),
      files: samples[0].files,
    };
    results.push(row);
    console.log(`${row.scenario}: first figure ${row.firstFigureMs} ms (median of ${runs}: ${row.firstFigureSamplesMs.join(", ")}), ${row.bytesFromLender} B from the lender's origin`);
  }
  console.log("package files (raw / gzip -9 / brotli 11):");
  for (const [name, c] of Object.entries(compressed)) console.log(`  ${name}: ${c.raw} / ${c.gzip} / ${c.brotli}`);
  mkdirSync(dirname(jsonOut), { recursive: true });
  writeFileSync(jsonOut, `${JSON.stringify({ measuredAt: new Date().toISOString(), results, compressed }, null, 2)}\n`);
  console.log(`written ${jsonOut}`);
} finally {
  await browser.close();
  await server.stop();
  partner.close();
  rmSync(work, { recursive: true, force: true });
}
