// Screenshots of the pages as a person sees them (CJK fonts installed): the calculator, an offer
// with a promotion and the subsidy (and its parties when the bundle has them), a pre-eligibility
// result and the partner list at 375 px, the whole page at 1280 px (zh and en) and at 375 px in en.
// Usage: node benches/web/screenshots.mjs [outdir]   (default bench-results/screenshots)
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, cliPath, root } from "../../tests/js/helpers.mjs";
import { launchBrowser } from "../../www/tests/harness.mjs";

const out = process.argv[2] ?? join(root, "bench-results", "screenshots");
mkdirSync(out, { recursive: true });
const work = mkdtempSync(join(tmpdir(), "puhui-shots-"));
execFileSync(join(root, "scripts", "demo-bundle.sh"), [cliPath(), join(root, "data", "sample-bundle.json")], {
  env: { ...process.env, PUHUI_KEYS_DIR: join(work, "keys"), PUHUI_BUNDLES_DIR: join(work, "bundles") },
  stdio: "pipe",
});
const server = await startServer({ args: ["--bundles", join(work, "bundles")] });
const browser = await launchBrowser();
const settle = (page) => page.waitForTimeout(400);

try {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto(`${server.base}/`);
  await page.waitForSelector(".result[data-state=ready]");
  await page.waitForSelector("#offers-root .offer-out[data-state=ready]", { timeout: 30000 });
  await settle(page);
  await page.locator("#calculator").screenshot({ path: join(out, "375-calculator.png") });

  await page.selectOption(".offers [name=product]", "consumer-loan");
  await page.fill(".offers [name=amount]", "20000");
  await page.check(".offers input[value=interest-free-30]");
  await page.waitForSelector(".offer-out[data-state=ready] [data-figure=promo-saving]");
  await settle(page);
  await page.locator("#offers").screenshot({ path: join(out, "375-offer-promotion-subsidy.png") });

  await page.fill(".eligibility [name=age]", "45");
  await page.fill(".eligibility [name=income]", "8000");
  await page.fill(".eligibility [name=repay]", "500");
  await page.selectOption(".eligibility [name=housing]", "own");
  await page.selectOption(".eligibility [name=residency]", "CN");
  await page.click(".eligibility button[type=submit]");
  await page.waitForSelector(".eligibility [data-decision]");
  await settle(page);
  await page.locator("#eligibility").screenshot({ path: join(out, "375-eligibility.png") });
  await page.fill(".eligibility [name=repay]", "6000");
  await page.click(".eligibility button[type=submit]");
  await page.waitForSelector(".eligibility [data-reason=K03]");
  await page.locator("#eligibility").screenshot({ path: join(out, "375-eligibility-knockout.png") });

  const partners = await browser.context.newPage();
  await partners.setViewportSize({ width: 375, height: 812 });
  await partners.goto(`${server.base}/partners.html`);
  await partners.waitForSelector(".partners [data-updated]", { timeout: 30000 });
  await settle(partners);
  await partners.screenshot({ path: join(out, "375-partners.png"), fullPage: true });

  const wide = await browser.context.newPage();
  await wide.setViewportSize({ width: 1280, height: 800 });
  await wide.goto(`${server.base}/`);
  await wide.waitForSelector("#offers-root .offer-out[data-state=ready]", { timeout: 30000 });
  await settle(wide);
  await wide.screenshot({ path: join(out, "1280-page.png"), fullPage: true });
  await wide.click("#lang-toggle");
  await wide.waitForSelector("#offers-root .offer-out[data-state=ready]", { timeout: 30000 });
  await settle(wide);
  await wide.screenshot({ path: join(out, "1280-page-en.png"), fullPage: true });
  // The phone in English too (the language choice is kept in localStorage across pages).
  const narrowEn = await browser.context.newPage();
  await narrowEn.setViewportSize({ width: 375, height: 812 });
  await narrowEn.goto(`${server.base}/`);
  await narrowEn.waitForSelector("#offers-root .offer-out[data-state=ready]", { timeout: 30000 });
  await settle(narrowEn);
  await narrowEn.screenshot({ path: join(out, "375-page-en.png"), fullPage: true });
  await wide.evaluate(() => localStorage.removeItem("puhui:lang"));
  console.log(`screenshots in ${out}`);
} finally {
  await browser.close();
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}
