// The consumer page in headless Chromium, served by the real `puhui serve`, running the real
// optimized wasm: typing 10,000 / 12 months / 7.2 % / equal installment shows 866.19 and 394.28
// (domain-math §4.1, the first schedule vector).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launchBrowser } from "./harness.mjs";
import { vectors } from "../../tests/js/helpers.mjs";

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

test("the calculator shows the published equal-installment figures", async () => {
  const page = await browser.context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${server.base}/`);
  await page.waitForSelector("#engine-status[data-ready=true]");
  const vector = vectors("schedules.json").find((v) => v.request.method === "equal-installment" && !v.request.startDate && v.request.annualRate !== "0");
  await page.fill("#amount", "10,000");
  await page.fill("#term", String(vector.request.termMonths));
  await page.fill("#rate", "7.2");
  await page.selectOption("#method", "equal-installment");
  await page.click("button[type=submit]");
  assert.equal(await page.textContent("#monthly-payment"), vector.expected.installments[0].payment);
  assert.equal(await page.textContent("#total-interest"), vector.expected.totals.interest);
  const rows = await page.$$eval("#schedule-table tbody tr", (trs) => trs.length);
  assert.equal(rows, vector.expected.installments.length);
  assert.deepEqual(errors, []);
  await page.close();
});

test("bad input shows the engine's error code instead of numbers", async () => {
  const page = await browser.context.newPage();
  await page.goto(`${server.base}/`);
  await page.waitForSelector("#engine-status[data-ready=true]");
  await page.fill("#amount", "100.001");
  await page.click("button[type=submit]");
  assert.match(await page.textContent("#calc-error"), /over-precise-amount/);
  assert.equal(await page.isHidden("#result"), true);
  await page.close();
});
