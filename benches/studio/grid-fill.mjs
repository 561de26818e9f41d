// Grid fill time in headless Chromium at 1× CPU (CDP Emulation.setCPUThrottlingRate 1): the
// benchmark bundle (tests/fixtures/studio/bench.json: one product of 12 terms × 5 bands ×
// 3 methods) is signed and published as live, and a draft with one rate changed is loaded, so each
// fill quotes 10 amounts × 12 terms × 5 bands × 3 methods = 1,800 cells on the draft AND 1,800 on
// live in one wasm call, then renders the 1,800 rows. Prints the median of the fills and the
// page's own figure (data-fill-ms: wasm call + render). A benchmark, not a test: nothing asserts
// a time. Also prints the main thread's CPU time per fill (CDP Performance ThreadTime). Usage: node benches/studio/grid-fill.mjs [runs]
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, launchBrowser } from "../../www/tests/harness.mjs";
import { cliPath, root } from "../../tests/js/helpers.mjs";

const runs = Number.parseInt(process.argv[2] ?? "9", 10);
const work = mkdtempSync(join(tmpdir(), "puhui-studio-bench-"));
const bench = readFileSync(join(root, "tests", "fixtures", "studio", "bench.json"), "utf8");
const draft = JSON.parse(bench);
draft.products[0].price[2].annualRate = "0.126";
writeFileSync(join(work, "draft.json"), JSON.stringify(draft, null, 2));
execFileSync(join(root, "scripts", "demo-bundle.sh"), [cliPath(), join(root, "tests", "fixtures", "studio", "bench.json")], {
  env: { ...process.env, PUHUI_KEYS_DIR: join(work, "keys"), PUHUI_BUNDLES_DIR: join(work, "bundles") },
  stdio: "pipe",
});
const server = await startServer({ args: ["--bundles", join(work, "bundles")] });
const browser = await launchBrowser();
try {
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
  // Bytes on the wire per file (headers and body as received, CDP encodedDataLength).
  const transferred = [];
  const urls = new Map();
  await cdp.send("Network.enable");
  cdp.on("Network.responseReceived", (e) => urls.set(e.requestId, new URL(e.response.url).pathname));
  cdp.on("Network.loadingFinished", (e) => transferred.push([urls.get(e.requestId) ?? "?", e.encodedDataLength]));
  // Pass 1: draft against live (one call quotes both); pass 2: the draft alone (a bundle id
  // with no live version), exactly 1,800 quotes.
  const measure = async (query) => {
    await page.goto(`${server.base}/studio.html${query}`);
    await page.waitForSelector("html[data-studio=ready]");
    await page.setInputFiles("#draft-file", join(work, "draft.json"));
    await page.waitForSelector("#draft-status[data-state=loaded]");
    await page.fill("#grid-date", "2026-06-01");
    const fills = [];
    await cdp.send("Performance.enable");
    const threadTime = async () => (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === "ThreadTime")?.value ?? Number.NaN;
    for (let i = 0; i < runs; i++) {
      const cpuBefore = await threadTime();
      const wall = await page.evaluate(async () => {
        const started = performance.now();
        document.querySelector("#grid-form button[type=submit]").click();
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
        return performance.now() - started;
      });
      const cpu = ((await threadTime()) - cpuBefore) * 1000;
      const own = Number.parseFloat(await page.getAttribute("#grid-table", "data-fill-ms"));
      fills.push({ own, wall, cpu });
    }
    return { fills, quotes: Number(await page.getAttribute("#grid-table", "data-quotes")), rows: (await page.$$("#grid-table tbody tr")).length };
  };
  const withLive = await measure("");
  const transferredFirst = [...transferred];
  const draftOnly = await measure("?bundle=no-such-bundle");
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const studioFiles = transferredFirst.filter(([p]) => !p.startsWith("/bundles/"));
  const bytes = studioFiles.reduce((sum, [, n]) => sum + n, 0);
  const result = {
    runs,
    ...Object.fromEntries([["draftAgainstLive", withLive], ["draftOnly", draftOnly]].map(([name, m]) => [name, {
      cells: m.rows, quotes: m.quotes,
      fillMsMedian: Number(median(m.fills.map((f) => f.own)).toFixed(1)),
      fillToPaintMsMedian: Number(median(m.fills.map((f) => f.wall)).toFixed(1)),
      fillMsAll: m.fills.map((f) => Number(f.own.toFixed(1))),
      // CPU time of the page's main thread over the fill (CDP ThreadTime): on a shared, loaded
      // machine this is the closer figure to "1× CPU" than wall time.
      fillCpuMsMedian: Number(median(m.fills.map((f) => f.cpu)).toFixed(1)),
    }])),
    studioTransferredBytes: bytes,
    studioFiles: Object.fromEntries(studioFiles),
    studioWasmRawBytes: statSync(join(root, "pkg", "studio", "studio_bg.wasm")).size,
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await browser.close();
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}
