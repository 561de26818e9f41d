// Shared by the page tests: the sample bundle signed with a fresh key into a temp dir by the real
// CLI (scripts/demo-bundle.sh), the real `puhui serve` over the repository with that bundle tree,
// and headless Debian Chromium. Also small helpers that format the vectors' decimal strings the
// way a reader expects them (written here, independent of the page's Intl formatting).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, launchBrowser } from "./harness.mjs";
import { cliPath, root } from "../../tests/js/helpers.mjs";

export async function setup({ payload = join(root, "data", "sample-bundle.json") } = {}) {
  const work = mkdtempSync(join(tmpdir(), "puhui-page-"));
  execFileSync(join(root, "scripts", "demo-bundle.sh"), [cliPath(), payload], {
    env: { ...process.env, PUHUI_KEYS_DIR: join(work, "keys"), PUHUI_BUNDLES_DIR: join(work, "bundles") },
    stdio: "pipe",
  });
  const server = await startServer({ args: ["--bundles", join(work, "bundles")] });
  const browser = await launchBrowser();
  return {
    work,
    server,
    browser,
    /** The signed payload as published (issuedAt etc.). */
    payload: JSON.parse(readFileSync(join(work, "keys", "payload.json"), "utf8")),
    /** Runs a native CLI command against the same signed bundle. */
    native(command, request) {
      const out = execFileSync(cliPath(), [command, "--bundle", join(work, "keys", "bundle.signed.json"), "--root", join(work, "keys", "root.json"), "-"], { input: JSON.stringify(request), encoding: "utf8" });
      return JSON.parse(out);
    },
    async close() {
      await browser.close();
      await server.stop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** "10394.28" → "¥10,394.28" (the yuan sign and thousands commas; digits untouched). */
export function yuan(decimal) {
  const [int, frac] = decimal.split(".");
  return `¥${int.replace(/\B(?=(\d{3})+$)/g, ",")}${frac === undefined ? "" : `.${frac}`}`;
}

/** A 6-decimal fraction rate "0.072001" → display percent "7.20" (half-up, on the digit string). */
export function percentOf(rate) {
  const [int, frac = ""] = rate.split(".");
  const digits = `${int}${frac.padEnd(6, "0")}`.replace(/^0+(?=\d)/, "");
  const basisPoints = BigInt(digits) * 100n; // fraction × 10^6 × 100 = percent × 10^6
  const scaled = (basisPoints + 5000n) / 10000n; // percent × 100, half-up
  const s = scaled.toString().padStart(3, "0");
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

/** Opens the page at `width` and waits for the first figure. */
export async function openPage(ctx, { width = 1280, height = 800, path = "/" } = {}) {
  const page = await ctx.browser.context.newPage();
  await page.setViewportSize({ width, height });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // Chromium logs every 4xx as a console error without its URL; the responses say which. None is
  // expected: the loader walks trust roots up to roots/latest.json and never probes for a root
  // that does not exist.
  page.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && errors.push(m.text()));
  page.on("response", (r) => r.status() >= 400 && errors.push(`HTTP ${r.status()} ${r.url()}`));
  await page.goto(`${ctx.server.base}${path}`);
  if (path === "/") await page.waitForSelector(".result[data-state=ready]");
  return { page, errors };
}

/** Sets a calculator field and waits for the re-computed result (debounced). */
export async function setField(page, name, value, scope = ".calculator") {
  const control = page.locator(`${scope} [name=${name}]`);
  if ((await control.evaluate((el) => el.tagName)) === "SELECT") await control.selectOption(value);
  else await control.fill(value);
  await page.waitForTimeout(50);
  if (scope === ".calculator") await page.waitForSelector(".result:not([data-state=pending])");
  else await page.waitForSelector(".offer-out:not([data-state=pending])");
}
