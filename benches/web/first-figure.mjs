// Benchmark (not a test): time from navigation to the first computed figure on screen, median of 5
// cold loads, at 4× CPU throttling on loopback and at 4× CPU + "slow 4G" (1.6 Mbps down,
// 750 kbps up, 150 ms RTT), plus the bytes transferred (encoded, as on the wire) up to the first
// figure and until the offers are ready. Headless Debian Chromium, the real `puhui serve`, the
// sample bundle signed into a temp dir. The page marks `puhui:first-figure` (performance.mark)
// when the calculator renders its first result; its startTime is relative to navigation start.
// Usage: node benches/web/first-figure.mjs [--runs 5] [--json out.json]
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { startServer, cliPath, root } from "../../tests/js/helpers.mjs";
import { launchBrowser } from "../../www/tests/harness.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const runs = Number(arg("--runs", "5"));
const jsonOut = arg("--json", join(root, "bench-results", "web-first-figure.json"));

const work = mkdtempSync(join(tmpdir(), "puhui-bench-web-"));
execFileSync(join(root, "scripts", "demo-bundle.sh"), [cliPath(), join(root, "data", "sample-bundle.json")], {
  env: { ...process.env, PUHUI_KEYS_DIR: join(work, "keys"), PUHUI_BUNDLES_DIR: join(work, "bundles") },
  stdio: "pipe",
});
const server = await startServer({ args: ["--bundles", join(work, "bundles")] });
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
  let bytes = 0;
  let bytesAtFirst = null;
  const wasm = new Map();
  const urls = new Map();
  cdp.on("Network.responseReceived", (e) => urls.set(e.requestId, e.response.url));
  cdp.on("Network.loadingFinished", (e) => {
    bytes += e.encodedDataLength;
    const url = urls.get(e.requestId) ?? "";
    if (url.endsWith(".wasm")) wasm.set(url, e.encodedDataLength);
  });
  await page.evaluate(() => localStorage.clear()).catch(() => {});
  await page.goto(`${server.base}/`, { waitUntil: "commit" });
  // Waits through CDP on a PerformanceObserver in the page: Playwright's polling helpers inject
  // and compile their own script in the page, which at 4x CPU costs ~140 ms of the main thread
  // in the middle of the load being measured.
  const { result } = await cdp.send("Runtime.evaluate", {
    expression: `new Promise((resolve) => {
      const seen = () => performance.getEntriesByName("puhui:first-figure")[0];
      if (seen()) return resolve(seen().startTime);
      new PerformanceObserver((list, observer) => {
        const mark = list.getEntriesByName("puhui:first-figure")[0];
        if (mark) { observer.disconnect(); resolve(mark.startTime); }
      }).observe({ type: "mark", buffered: true });
    })`,
    awaitPromise: true,
    returnByValue: true,
  });
  const firstFigure = result.value;
  // The page's own first contentful paint: the floor a computed figure cannot beat.
  const fcp = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null);
  bytesAtFirst = bytes;
  await page.waitForSelector("#offers-root .offer-out[data-state=ready]", { timeout: 120000 });
  await page.waitForTimeout(300);
  const offersReady = await page.evaluate(() => performance.now());
  await page.close();
  return { firstFigure, fcp, offersReady, bytesAtFirst, bytesTotal: bytes, wasm: Object.fromEntries(wasm) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

const results = [];
try {
  await once(scenarios[0]); // warm-up: compile caches of the browser process, not the page's cache
  for (const scenario of scenarios) {
    const samples = [];
    for (let i = 0; i < runs; i++) samples.push(await once(scenario));
    const row = {
      scenario: scenario.name,
      runs,
      firstFigureMs: Math.round(median(samples.map((s) => s.firstFigure))),
      firstFigureSamplesMs: samples.map((s) => Math.round(s.firstFigure)),
      firstContentfulPaintMs: Math.round(median(samples.map((s) => s.fcp ?? 0))),
      offersReadyMs: Math.round(median(samples.map((s) => s.offersReady))),
      bytesToFirstFigure: median(samples.map((s) => s.bytesAtFirst)),
      bytesTotal: median(samples.map((s) => s.bytesTotal)),
      wasmBytes: samples[0].wasm,
    };
    results.push(row);
    console.log(`${row.scenario}: first figure ${row.firstFigureMs} ms (median of ${runs}: ${row.firstFigureSamplesMs.join(", ")}; first contentful paint ${row.firstContentfulPaintMs} ms), offers ${row.offersReadyMs} ms, ${row.bytesToFirstFigure} B to first figure, ${row.bytesTotal} B in all`);
  }
  mkdirSync(dirname(jsonOut), { recursive: true });
  writeFileSync(jsonOut, `${JSON.stringify({ measuredAt: new Date().toISOString(), results }, null, 2)}\n`);
  console.log(`written ${jsonOut}`);
} finally {
  await browser.close();
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}
