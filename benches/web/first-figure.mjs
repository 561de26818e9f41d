// Benchmark (not a test): time from navigation to the first computed figure on screen, median of 5
// cold loads, at 4× CPU throttling on loopback and at 4× CPU + "slow 4G" (1.6 Mbps down,
// 750 kbps up, 150 ms RTT), plus the bytes transferred (encoded, as on the wire) up to the first
// figure and until the offers are ready. Headless Debian Chromium, the real `puhui serve`, the
// sample bundle signed into a temp dir. The page marks `puhui:first-figure` (performance.mark)
// when the calculator renders its first result; its startTime is relative to navigation start.
// The throttling, the timing and the report are cold-load.mjs's (shared with benches/embed/).
// Usage: node benches/web/first-figure.mjs [--runs 5] [--json out.json]
import { startServer } from "../../tests/js/helpers.mjs";
import { launchBrowser } from "../../www/tests/harness.mjs";
import { coldPage, measureScenarios, median, options, signedSample, waitForMark, writeReport } from "./cold-load.mjs";

const { runs, jsonOut } = options("web-first-figure.json");
const sample = signedSample("puhui-bench-web-");
const server = await startServer({ args: ["--bundles", sample.bundles] });
const browser = await launchBrowser();

async function once(scenario) {
  let bytes = 0;
  const wasm = new Map();
  const { page, cdp } = await coldPage(browser, scenario, (url, encoded) => {
    bytes += encoded;
    if (url.endsWith(".wasm")) wasm.set(url, encoded);
  });
  await page.evaluate(() => localStorage.clear()).catch(() => {});
  await page.goto(`${server.base}/`, { waitUntil: "commit" });
  const firstFigure = await waitForMark(cdp, "puhui:first-figure");
  // The page's own first contentful paint: the floor a computed figure cannot beat.
  const fcp = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null);
  const bytesAtFirst = bytes;
  await page.waitForSelector("#offers-root .offer-out[data-state=ready]", { timeout: 120000 });
  await page.waitForTimeout(300);
  const offersReady = await page.evaluate(() => performance.now());
  await page.close();
  return { firstFigure, fcp, offersReady, bytesAtFirst, bytesTotal: bytes, wasm: Object.fromEntries(wasm) };
}

try {
  const results = await measureScenarios({
    runs,
    once,
    summarize: (samples) => ({
      firstContentfulPaintMs: Math.round(median(samples.map((s) => s.fcp ?? 0))),
      offersReadyMs: Math.round(median(samples.map((s) => s.offersReady))),
      bytesToFirstFigure: median(samples.map((s) => s.bytesAtFirst)),
      bytesTotal: median(samples.map((s) => s.bytesTotal)),
      wasmBytes: samples[0].wasm,
    }),
    line: (row) =>
      `${row.scenario}: first figure ${row.firstFigureMs} ms (median of ${runs}: ${row.firstFigureSamplesMs.join(", ")}; first contentful paint ${row.firstContentfulPaintMs} ms), offers ${row.offersReadyMs} ms, ${row.bytesToFirstFigure} B to first figure, ${row.bytesTotal} B in all`,
  });
  writeReport(jsonOut, { results });
} finally {
  await browser.close();
  await server.stop();
  sample.remove();
}
