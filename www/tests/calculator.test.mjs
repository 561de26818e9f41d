// The calculator in headless Chromium (real `puhui serve`, real optimized wasm): the vectors'
// figures on screen, honest payments per method, cap warnings, input normalization, field
// errors, the language toggle, the chart, phone widths without horizontal scroll, no reload.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { vectors, runWasm } from "../../tests/js/helpers.mjs";
import { setup, openPage, setField, yuan, percentOf } from "./setup.mjs";

let ctx;
before(async () => {
  ctx = await setup();
});
after(async () => {
  await ctx?.close();
});

const text = (page, figure) => page.textContent(`.calculator [data-figure=${figure}]`);
const schedules = vectors("schedules.json");
const undated = (method) => schedules.find((v) => v.request.method === method && !v.request.startDate && v.request.annualRate !== "0");

test("every method shows the vectors' figures; interest-only and bullet show first and last payments", async () => {
  const { page, errors } = await openPage(ctx);
  for (const method of ["equal-installment", "equal-principal", "interest-only", "bullet"]) {
    const v = undated(method);
    await setField(page, "method", method);
    await setField(page, "amount", v.request.principal);
    await setField(page, "term", String(v.request.termMonths));
    await setField(page, "rate", "7.2");
    const rows = v.expected.installments;
    assert.equal(await text(page, "first-payment"), yuan(rows[0].payment), method);
    assert.equal(await text(page, "total-interest"), yuan(v.expected.totals.interest), method);
    assert.equal(await text(page, "total-repaid"), yuan(v.expected.totals.payment), method);
    const lastShown = await page.isVisible(".calculator [data-block=last-payment]");
    if (method !== "equal-installment") {
      assert.ok(lastShown, `${method} must show the last payment`);
      assert.equal(await text(page, "last-payment"), yuan(rows[rows.length - 1].payment), method);
      assert.doesNotMatch(await page.textContent(".calculator [data-block=first-payment] dt"), /每期还款/, `${method} must not claim a level payment`);
    }
    // The collapsed table holds the first rows and the last one, from the same vector.
    const shown = await page.$$eval(".calculator table.schedule tbody tr[data-period]", (trs) => trs.map((tr) => [tr.dataset.period, tr.children[2].textContent]));
    assert.deepEqual(shown.at(-1), [String(rows.length), yuan(rows[rows.length - 1].payment)]);
    assert.deepEqual(shown[0], ["1", yuan(rows[0].payment)]);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test("a card installment shows the per-period fee rate and the annualized rate of the APR vector", async () => {
  const { page } = await openPage(ctx);
  const expected = vectors("apr.json").find((v) => v.request.method === "cn-irr" && v.request.advance === "12000.00").expected;
  const flat = schedules.find((v) => v.request.method === "flat-fee" && v.request.principal === "12000.00");
  await setField(page, "method", "flat-fee");
  await setField(page, "amount", "12000");
  await setField(page, "term", "12");
  await setField(page, "rate", "0.6");
  assert.equal(await text(page, "apr"), `${percentOf(expected.rate)}%`);
  assert.equal(await text(page, "apr-compound"), `${percentOf(expected.effectiveRate)}%`);
  assert.equal(await text(page, "fee-rate"), "0.6%");
  assert.equal(await text(page, "total-fee"), yuan(flat.expected.totals.fee));
  assert.match(await page.textContent(".calculator [data-field=rate] label"), /每期手续费率/);
  await page.close();
});

test("switching to a card installment never reads the yearly rate as a fee per period: the field resets to the fee default and back", async () => {
  const { page, errors } = await openPage(ctx);
  const rate = () => page.inputValue(".calculator [name=rate]");
  const label = () => page.textContent(".calculator [data-field=rate] label");
  const hint = () => page.textContent(".calculator [data-field=rate] .field-hint");
  assert.equal(await rate(), "7.2");
  assert.match(await hint(), /每年 7\.2%/);
  await setField(page, "rate", "5.5");
  await setField(page, "method", "flat-fee");
  assert.equal(await rate(), "0.6", "the card installment's fee default, not the yearly 5.5");
  assert.match(await label(), /每期手续费率/);
  assert.match(await hint(), /每期 0\.6%/);
  // The figures are those of a 0.6 % fee per period, judged by the engine itself.
  const start = await page.inputValue(".calculator [name=start]");
  const request = { principal: "10000", termMonths: 12, method: "flat-fee", feeRate: "0.006", startDate: start };
  const engine = runWasm("disclose", { schedule: request, asOf: start });
  assert.ok(engine.ok);
  assert.equal(await text(page, "apr"), `${engine.value.cn.percent}%`);
  const warned = (await page.$$eval(".calculator .warning", (ls) => ls.map((l) => l.textContent))).join("|");
  assert.doesNotMatch(warned, /超过 24%/, "an ordinary card fee is not above the 24 % cap");
  // What was typed for each meaning comes back with it.
  await setField(page, "rate", "0.75");
  await setField(page, "method", "equal-principal");
  assert.equal(await rate(), "5.5");
  assert.match(await label(), /年利率/);
  await setField(page, "method", "equal-installment");
  assert.equal(await rate(), "5.5", "same meaning: the value stays");
  await setField(page, "method", "flat-fee");
  assert.equal(await rate(), "0.75");
  assert.deepEqual(errors, []);
  await page.close();
});

test("rates above 24 % and above 4 × LPR are called out in plain words, judged as of the start date", async () => {
  const { page } = await openPage(ctx);
  await setField(page, "rate", "36");
  const warnings = await page.$$eval(".calculator .warning", (ls) => ls.map((l) => l.textContent));
  assert.ok(warnings.some((w) => /超过 24%/.test(w)), warnings.join("|"));
  assert.ok(warnings.some((w) => /LPR 的 4 倍/.test(w)), warnings.join("|"));
  await setField(page, "rate", "7.2");
  assert.equal(await page.$$eval(".calculator .warning", (ls) => ls.length), 0);
  await setField(page, "start", "2026-03-01");
  assert.match(await page.textContent(".calculator .as-of"), /2026年3月1日/);
  await page.close();
});

test("normalization table: what people type becomes the engine's plain decimal, the rest is refused at the field", async () => {
  const { page } = await openPage(ctx);
  const amounts = [
    ["１００００", "10000"], ["1万", "10000"], ["¥10,000", "10000"], ["10,000.00", "10000.00"], ["  10000  ", "10000"],
    ["10000元", "10000"], ["1.5万", "15000"], ["￥１２，０００", "12000"], ["0.5万元", "5000"],
  ];
  for (const [typed, plain] of amounts) {
    await setField(page, "amount", typed);
    assert.equal(await page.getAttribute(".calculator [name=amount]", "data-normalized"), plain, typed);
    assert.equal(await page.getAttribute(".calculator [name=amount]", "aria-invalid"), null, typed);
  }
  await setField(page, "amount", "10000");
  for (const [typed, plain] of [["7.2%", "0.072"], ["７．２", "0.072"], [" 7.2 ％", "0.072"], ["10", "0.1"]]) {
    await setField(page, "rate", typed);
    assert.equal(await page.getAttribute(".calculator [name=rate]", "data-normalized"), plain, typed);
  }
  await setField(page, "rate", "7.2");
  // Each field's own example: a rate or a term is never explained with an amount ("1万").
  const refused = [["amount", "abc", /请输入数字，例如 10000 或 1万/], ["amount", "1,00", /千位分隔符/], ["amount", "-5", /负数/], ["term", "12.5", /整数个月/], ["amount", "", /请填写/],
    ["rate", "abc", /^(?!.*1万).*例如 7\.2/], ["term", "abc", /^(?!.*1万).*例如 12/]];
  for (const [name, typed, message] of refused) {
    await setField(page, name, typed);
    const control = page.locator(`.calculator [name=${name}]`);
    assert.equal(await control.getAttribute("aria-invalid"), "true", typed);
    // The message is the field's error line, tied to the control by aria-describedby.
    const describedBy = (await control.getAttribute("aria-describedby")).split(" ");
    const errorText = await page.evaluate((ids) => ids.map((id) => document.getElementById(id)).find((el) => el?.classList.contains("field-error"))?.textContent ?? "", describedBy);
    assert.match(errorText, message, typed);
    assert.equal(await text(page, "apr"), "—", `no figure next to the refused ${typed}`);
    await setField(page, name, { term: "12", rate: "7.2" }[name] ?? "10000");
  }
  // The engine stays the judge: over-precision comes back as its code, shown at the field.
  await setField(page, "amount", "100.001");
  assert.equal(await page.getAttribute(".calculator [name=amount]", "data-code"), "over-precise-amount");
  assert.match(await page.textContent(".calculator [data-field=amount] .field-error"), /精确到分/);
  await setField(page, "amount", "10000");
  // A term past the engine's limit: its code, and a message naming the limit the engine applies.
  await setField(page, "term", "601");
  assert.equal(await page.getAttribute(".calculator [name=term]", "data-code"), "invalid-term");
  assert.match(await page.textContent(".calculator [data-field=term] .field-error"), /1 到 600 个月/);
  await setField(page, "term", "600");
  assert.equal(await page.getAttribute(".calculator [name=term]", "aria-invalid"), null, "600 months is a term the engine schedules");
  await page.close();
});

test("the English toggle switches every label and message; no Chinese leaks into English and no English into Chinese", async () => {
  const { page } = await openPage(ctx);
  await page.waitForSelector("#offers-root .offer", { timeout: 20000 });
  const mainText = () =>
    page.evaluate(() => {
      const clone = document.body.cloneNode(true);
      clone.querySelectorAll(".tech-details, #lang-toggle, [lang=en]:not(html), .u-legend").forEach((el) => el.remove());
      return clone.textContent.replace(/\s+/g, " ");
    });
  const zh = await mainText();
  const latinWords = (zh.match(/[A-Za-z]{4,}/g) ?? []).filter((w) => !["puhui"].includes(w));
  assert.deepEqual(latinWords, [], "English words in the Chinese page");
  await page.click("#lang-toggle");
  await page.waitForSelector(".result[data-state=ready]");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  await page.waitForSelector("#offers-root .offer");
  const en = await mainText();
  assert.deepEqual(en.match(/[\u3400-\u9fff\uff00-\uffef]+/g) ?? [], [], "Chinese text in the English page");
  assert.match(await page.textContent(".calculator [data-block=apr] dt"), /Annualized rate/);
  // The components carry lang="en" (so the check above skips them): read them on their own.
  for (const selector of [".calculator", ".offers"]) {
    const own = await page.textContent(selector);
    assert.deepEqual(own.match(/[\u3400-\u9fff\uff00-\uffef]+/g) ?? [], [], `Chinese text in the English ${selector}`);
  }
  assert.match(await page.textContent("[data-live=calculator]"), /^Annualized rate \(simple, IRR method\) [\d.]+%, Each payment ¥[\d,.]+\.$/);
  await setField(page, "term", "12.5");
  assert.match(await page.textContent(".calculator [data-field=term] .field-error"), /whole number/);
  await page.click("#lang-toggle");
  await page.waitForSelector(".result");
  assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
  assert.equal(await page.inputValue(".calculator [name=term]"), "12.5", "the toggle keeps what was typed");
  await page.evaluate(() => localStorage.removeItem("puhui:lang"));
  await page.close();
});

test("phone widths: no horizontal scroll at 320 and 375 px, a 360-month loan stays short, chart present", async () => {
  for (const width of [320, 375]) {
    const { page } = await openPage(ctx, { width, height: 812 });
    await setField(page, "term", "360");
    await page.click(".calculator [data-action=show-all]");
    assert.ok(await page.$(".calculator [data-chart=schedule] canvas"), "the chart draws");
    // At rest the legend shows a period's figures, never bare "label:" cells.
    await page.waitForSelector(".calculator .u-legend .u-value");
    const legend = await page.$$eval(".calculator .u-legend .u-value", (cells) => cells.map((c) => c.textContent.trim()));
    assert.ok(legend.length >= 3 && legend.every((v) => v !== ""), `${width}px legend: ${JSON.stringify(legend)}`);
    assert.equal(legend[0], "1", "the resting legend is period 1");
    await page.waitForSelector("#offers-root .offer", { timeout: 20000 });
    const size = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth, height: document.documentElement.scrollHeight }));
    assert.ok(size.scroll <= size.inner, `${width}px: scrollWidth ${size.scroll} > ${size.inner}`);
    assert.ok(size.height < 9000, `${width}px: page is ${size.height}px tall`);
    assert.equal(await page.$$eval(".calculator table.schedule tbody tr", (r) => r.length), 24, "paged 24 rows at a time");
    await page.close();
  }
});

test("figures update in reserved space: editing never shifts the layout", async () => {
  const { page } = await openPage(ctx, { width: 375, height: 812 });
  const top = () => page.evaluate(() => document.getElementById("offers").getBoundingClientRect().top + window.scrollY);
  const before = await top();
  await setField(page, "method", "interest-only");
  await setField(page, "amount", "1万");
  await setField(page, "method", "bullet");
  assert.equal(await top(), before);
  // While an edit is pending the figures are hidden in place: same box, no stale number visible.
  await page.fill(".calculator [name=amount]", "2万");
  assert.equal(await page.getAttribute(".calculator .result", "data-state"), "pending");
  assert.equal(await page.$eval(".calculator [data-figure=apr]", (el) => getComputedStyle(el).visibility), "hidden");
  await page.waitForSelector(".result[data-state=ready]");
  assert.equal(await top(), before);
  await page.close();
});

test("the calculate button never reloads the page, before or after the engine is ready", async () => {
  const page = await ctx.browser.context.newPage();
  let release;
  const held = new Promise((r) => (release = r));
  await page.route("**/*.wasm", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`${ctx.server.base}/`);
  await page.waitForSelector(".calculator button[type=submit]");
  await page.fill(".calculator [name=amount]", "20000");
  await page.click(".calculator button[type=submit]");
  await page.keyboard.press("Enter");
  assert.equal(new URL(page.url()).search, "");
  release();
  await page.waitForSelector(".result[data-state=ready]");
  assert.equal(await page.inputValue(".calculator [name=amount]"), "20000");
  await page.click(".calculator button[type=submit]");
  assert.equal(new URL(page.url()).search, "");
  assert.match(await text(page, "first-payment"), /^¥[\d,]+\.\d\d$/);
  await page.close();
});
