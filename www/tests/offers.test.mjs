// The offers section in headless Chromium: the sample bundle is signed with a fresh key into a
// temp dir by the real CLI (scripts/demo-bundle.sh), served by the real `puhui serve`, fetched and
// verified by the shipped loader in wasm, and quoted by the wasm Engine. The 12,000 card
// installment must disclose the CN pair of the public APR vector, with its labels, and pass caps.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, launchBrowser } from "./harness.mjs";
import { cliPath, root, vectors } from "../../tests/js/helpers.mjs";

let server;
let browser;
let work;
before(async () => {
  work = mkdtempSync(join(tmpdir(), "puhui-offers-"));
  execFileSync(join(root, "scripts", "demo-bundle.sh"), [cliPath(), join(root, "data", "sample-bundle.json")], {
    env: { ...process.env, PUHUI_KEYS_DIR: join(work, "keys"), PUHUI_BUNDLES_DIR: join(work, "bundles") },
    stdio: "pipe",
  });
  server = await startServer({ args: ["--bundles", join(work, "bundles")] });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

test("the page verifies the signed bundle and quotes the card installment", async () => {
  const page = await browser.context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${server.base}/`);
  await page.waitForSelector("#bundle-status[data-state=verified]");
  assert.equal(await page.isHidden("#preview-banner"), true);
  const expected = vectors("apr.json").find((v) => v.request.method === "cn-irr" && v.request.advance === "12000.00").expected;
  await page.selectOption("#q-product", "card-installment");
  await page.fill("#q-amount", "12000.00");
  await page.selectOption("#q-term", "12");
  await page.click("#quote-form button[type=submit]");
  await page.waitForSelector("#quote-result:not([hidden])");
  const percent = (rate) => (Number.parseInt(rate.replace(".", ""), 10) / 10000).toFixed(2);
  assert.equal(await page.textContent("#q-rate"), `${percent(expected.rate)}%`);
  assert.match(await page.textContent("#q-effective"), new RegExp(`^${percent(expected.effectiveRate)}% 年化利率\\(复利\\)`));
  assert.match(await page.textContent("#q-rate-label"), /年化利率/);
  const caps = await page.$$eval("#caps-table tbody tr", (rows) => rows.map((r) => ({ id: r.dataset.cap, pass: r.dataset.pass })));
  assert.ok(caps.length > 0);
  assert.ok(caps.find((c) => c.id === "comprehensive-24")?.pass === "true");
  assert.deepEqual(errors, []);
  await page.close();
});

test("an amount outside the product's range shows the engine's code", async () => {
  const page = await browser.context.newPage();
  await page.goto(`${server.base}/`);
  await page.waitForSelector("#bundle-status[data-state=verified]");
  await page.selectOption("#q-product", "consumer-loan");
  await page.fill("#q-amount", "999999999.00");
  await page.click("#quote-form button[type=submit]");
  assert.match(await page.textContent("#quote-error"), /amount-out-of-range/);
  await page.close();
});

test("pre-eligibility runs on the device and matches the native engine on the same signed bundle", async () => {
  const page = await browser.context.newPage();
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(`${server.base}/`);
  await page.waitForSelector("#bundle-status[data-state=verified]");
  await page.waitForSelector("#eligibility:not([hidden])");
  await page.fill("#a-age", "45");
  await page.fill("#a-income", "8000");
  await page.fill("#a-repay", "500");
  await page.selectOption("#a-housing", "own");
  await page.selectOption("#a-residency", "CN");
  const before = requests.length;
  await page.click("#assess-form button[type=submit]");
  await page.waitForSelector("#assess-result:not([hidden])");
  assert.equal(requests.length, before, "assessing must not send anything over the network");
  const applicant = JSON.stringify({ residency: "CN", housing: "own", age: "45", monthlyIncome: "8000", existingRepayments: "500" });
  const native = JSON.parse(execFileSync(cliPath(), ["assess", "--bundle", join(work, "keys", "bundle.signed.json"), "--root", join(work, "keys", "root.json"), "-"], { input: applicant, encoding: "utf8" }));
  assert.equal(await page.getAttribute("#a-decision", "data-decision"), native.decision);
  const rows = await page.$$eval("#offers-table tbody tr", (trs) => trs.map((tr) => ({ id: tr.dataset.product, cells: [...tr.children].map((td) => td.textContent) })));
  const withQuotes = native.offers.filter((o) => o.indicative);
  assert.equal(rows.length, withQuotes.length);
  assert.ok(rows.length > 0, "a likely applicant gets indicative offers");
  for (const [idx, offer] of withQuotes.entries()) {
    assert.equal(rows[idx].id, offer.productId);
    assert.equal(rows[idx].cells[3], `${offer.indicative.percent}%`);
    assert.equal(rows[idx].cells[4], offer.indicative.firstPayment);
  }
  await page.close();
});
