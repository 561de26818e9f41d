// The measuring half of the first-figure benchmarks (not a test), shared by
// benches/web/first-figure.mjs (the consumer page) and benches/embed/first-figure.mjs (the
// partner embed): the command-line options, the sample bundle signed into a temp dir by the real
// CLI, the two throttling scenarios, one cold page under them through CDP (cache cleared and
// disabled, CPU throttled, network emulated, every finished response reported with its encoded
// size), the wait for a performance mark, and the loop that takes the median of each scenario
// and writes the JSON report. What is loaded and what is counted stays in each benchmark.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { cliPath, root } from "../../tests/js/helpers.mjs";

/** The value after `--name` on the command line, or `fallback`. */
export const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

/** `--runs` (cold loads per scenario, default 5) and `--json` (the report, default under bench-results/). */
export function options(defaultJsonName) {
  return { runs: Number(arg("--runs", "5")), jsonOut: arg("--json", join(root, "bench-results", defaultJsonName)) };
}

/** DevTools' "slow 4G": 1.6 Mbps down, 750 kbps up, 150 ms RTT. */
export const SLOW_4G = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };

/** 4x CPU throttling on loopback, then with slow 4G; the first one also serves as the warm-up. */
export const SCENARIOS = [
  { name: "4x CPU, loopback", cpu: 4, network: null },
  { name: "4x CPU + slow 4G, cold cache", cpu: 4, network: SLOW_4G },
];

/**
 * Signs data/sample-bundle.json with fresh keys into a temp dir (scripts/demo-bundle.sh with the
 * real CLI): `keys` holds root.json, `bundles` is the directory `puhui serve --bundles` takes.
 */
export function signedSample(prefix) {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const keys = join(work, "keys");
  const bundles = join(work, "bundles");
  execFileSync(join(root, "scripts", "demo-bundle.sh"), [cliPath(), join(root, "data", "sample-bundle.json")], {
    env: { ...process.env, PUHUI_KEYS_DIR: keys, PUHUI_BUNDLES_DIR: bundles },
    stdio: "pipe",
  });
  return { work, keys, bundles, remove: () => rmSync(work, { recursive: true, force: true }) };
}

/**
 * A new page of `browser` under `scenario`, not yet navigated: HTTP cache cleared and disabled,
 * CPU throttled, the network emulated when the scenario says so. `onFinished(url, encodedBytes)`
 * is called for every response that finishes loading (bytes as on the wire).
 */
export async function coldPage(browser, scenario, onFinished) {
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.clearBrowserCache");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: scenario.cpu });
  if (scenario.network) await cdp.send("Network.emulateNetworkConditions", scenario.network);
  const urls = new Map();
  cdp.on("Network.responseReceived", (e) => urls.set(e.requestId, e.response.url));
  cdp.on("Network.loadingFinished", (e) => onFinished(urls.get(e.requestId) ?? "", e.encodedDataLength));
  return { page, cdp };
}

/**
 * The startTime (ms after navigation start) of the page's performance mark `name`, waiting for
 * it. Waits through CDP on a PerformanceObserver in the page: Playwright's polling helpers inject
 * and compile their own script in the page, which at 4x CPU costs ~140 ms of the main thread in
 * the middle of the load being measured.
 */
export async function waitForMark(cdp, name) {
  const { result, exceptionDetails } = await cdp.send("Runtime.evaluate", {
    expression: `new Promise((resolve) => {
      const name = ${JSON.stringify(name)};
      const seen = () => performance.getEntriesByName(name)[0];
      if (seen()) return resolve(seen().startTime);
      new PerformanceObserver((list, observer) => {
        const mark = list.getEntriesByName(name)[0];
        if (mark) { observer.disconnect(); resolve(mark.startTime); }
      }).observe({ type: "mark", buffered: true });
    })`,
    awaitPromise: true,
    returnByValue: true,
  });
  if (exceptionDetails) throw new Error(`waiting for ${name}: ${exceptionDetails.text}`);
  return result.value;
}

/** The median (the upper one for an even count). */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/**
 * Runs `once(scenario)` once as a warm-up (compile caches of the browser process, not the page's
 * cache), then `runs` times per scenario. Each sample has `firstFigure` (ms); `summarize(samples)`
 * adds the benchmark's own fields to the row, and `line(row)` is what is printed for it.
 */
export async function measureScenarios({ runs, once, summarize, line }) {
  await once(SCENARIOS[0]);
  const results = [];
  for (const scenario of SCENARIOS) {
    const samples = [];
    for (let i = 0; i < runs; i++) samples.push(await once(scenario));
    const row = {
      scenario: scenario.name,
      runs,
      firstFigureMs: Math.round(median(samples.map((s) => s.firstFigure))),
      firstFigureSamplesMs: samples.map((s) => Math.round(s.firstFigure)),
      ...summarize(samples),
    };
    results.push(row);
    console.log(line(row));
  }
  return results;
}

/** Writes `{ measuredAt, ...report }` to `path` as indented JSON. */
export function writeReport(path, report) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify({ measuredAt: new Date().toISOString(), ...report }, null, 2)}\n`);
  console.log(`written ${path}`);
}
