// Offers and pre-eligibility in headless Chromium against the sample bundle signed by the real
// CLI: figures equal the native `puhui quote` / `puhui assess` on the same signed bundle and the
// APR vector; promotions show their saving and rate before → after; the subsidy its own
// before → after; parties when the bundle has them; answers never leave the page; bundle
// failures are told in words; axe-core finds no WCAG A/AA violation.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { vectors, root } from "../../tests/js/helpers.mjs";
import { setup, openPage, setField, yuan, percentOf } from "./setup.mjs";

let ctx;
before(async () => {
  ctx = await setup();
});
after(async () => {
  await ctx?.close();
});

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
};
const offerText = (page, figure) => page.textContent(`#offers-root [data-figure=${figure}]`);
async function openOffers(options) {
  const opened = await openPage(ctx, options);
  await opened.page.waitForSelector("#offers-root .offer-out[data-state=ready]", { timeout: 20000 });
  return opened;
}

test("the card installment offer discloses the APR vector's pair, the fee rate and passes its cap", async () => {
  const { page, errors } = await openOffers();
  const expected = vectors("apr.json").find((v) => v.request.method === "cn-irr" && v.request.advance === "12000.00").expected;
  await setField(page, "product", "card-installment", ".offers");
  await setField(page, "amount", "12,000", ".offers");
  await setField(page, "term", "12", ".offers");
  assert.equal(await offerText(page, "offer-apr"), `${percentOf(expected.rate)}%`);
  assert.match(await offerText(page, "offer-apr-compound"), new RegExp(`${percentOf(expected.effectiveRate).replace(".", "\\.")}%`));
  assert.match(await page.textContent("#offers-root .offer-rate-label"), /年化利率/);
  assert.equal(await page.getAttribute("#offers-root [data-cap=comprehensive-24]", "data-pass"), "true");
  assert.equal(await page.isHidden("#preview-banner"), true);
  // Signer and hash only inside the closed "details".
  assert.equal(await page.isVisible("#offers-root .tech-details .hash"), false);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a promotion changes first payment and total, shows its saving and rate before → after; the subsidy has its own before → after", async () => {
  const { page } = await openOffers();
  await setField(page, "product", "consumer-loan", ".offers");
  await setField(page, "amount", "10000", ".offers");
  await setField(page, "term", "12", ".offers");
  await setField(page, "band", "A", ".offers");
  const request = { productId: "consumer-loan", amount: "10000", termMonths: 12, method: "equal-installment", band: "A", startDate: today() };
  const plain = ctx.native("quote", request);
  assert.equal(await offerText(page, "offer-first-payment"), yuan(plain.subsidy.perPeriodDetail[0].netPayment));
  await page.check("#offers-root input[value=interest-free-30]");
  await page.waitForSelector(".offer-out[data-state=ready] [data-figure=promo-saving]");
  const promo = ctx.native("quote", { ...request, promotions: ["interest-free-30"] });
  assert.equal(await offerText(page, "promo-saving"), yuan(promo.subsidy.totals.promotionDiscount));
  assert.equal(await offerText(page, "offer-first-payment"), yuan(promo.subsidy.perPeriodDetail[0].netPayment));
  assert.notEqual(promo.subsidy.perPeriodDetail[0].netPayment, plain.subsidy.perPeriodDetail[0].netPayment, "the promotion must change the first payment");
  assert.equal(await offerText(page, "offer-total-paid"), yuan(promo.subsidy.totals.netPayment));
  const note = await page.textContent("#offers-root [data-note=promo-saving]");
  assert.match(note, new RegExp(`${promo.subsidy.grossApr.percent.replace(".", "\\.")}% → `));
  if (promo.subsidy.total !== "0.00") {
    assert.equal(await offerText(page, "subsidy"), yuan(promo.subsidy.total));
    assert.match(await page.textContent("#offers-root [data-note=subsidy]"), new RegExp(` → \\D*${promo.subsidy.netApr.percent.replace(".", "\\.")}%`));
  }
  // Parties (助贷): shown with what each is paid when the bundle has them, absent otherwise.
  const parties = promo.parties ?? [];
  assert.equal(await page.$$eval("#offers-root [data-party]", (els) => els.length), parties.length);
  for (const party of parties) {
    assert.equal(await page.textContent(`#offers-root [data-party="${party.id}"] [data-party-total]`), yuan(party.total));
    assert.match(await page.textContent(`#offers-root [data-party="${party.id}"] .party-name`), new RegExp(party.legalName["zh-CN"]));
  }
  await page.close();
});

test("every product's offer speaks the page's language: the engine's Chinese labels stay in zh, English pages get the translation", async () => {
  const { page, errors } = await openOffers();
  const cjk = /[\u3400-\u9fff\uff00-\uffef]/;
  const products = ctx.payload.products.map((p) => p.id);
  const daily = ctx.native("quote", { productId: "micro-daily", amount: "500", termMonths: 12, startDate: today() }).price.daily;
  assert.ok(cjk.test(daily.label), "the engine's daily label is the Chinese regulatory one");
  for (const lang of ["zh-CN", "en"]) {
    if (lang === "en") {
      await page.click("#lang-toggle");
      await page.waitForSelector("#offers-root .offer-out[data-state=ready]");
    }
    for (const product of products) {
      await setField(page, "product", product, ".offers");
      const offer = await page.evaluate(() => {
        const clone = document.querySelector("#offers-root .offer").cloneNode(true);
        clone.querySelectorAll(".tech-details").forEach((el) => el.remove());
        return clone.textContent;
      });
      if (lang === "en") assert.doesNotMatch(offer, cjk, `${product}: Chinese text on the English page: ${offer.match(/[\u3400-\u9fff\uff00-\uffef]+/g)}`);
      else assert.deepEqual(offer.match(/[A-Za-z]{4,}/g) ?? [], [], `${product}: English words on the Chinese page`);
    }
    await setField(page, "product", "micro-daily", ".offers");
    const line = await offerText(page, "offer-daily");
    if (lang === "en") assert.equal(line, `Annualized rate (simple, daily rate × ${daily.yearDays}) ${daily.percent}%`);
    else assert.equal(line, `${daily.label} ${daily.percent}%`, "zh keeps the engine's regulatory label");
  }
  await page.evaluate(() => localStorage.removeItem("puhui:lang"));
  assert.deepEqual(errors, []);
  await page.close();
});

test("offers are judged as of the chosen start date and re-quote on change; a refused amount is explained at its field", async () => {
  const { page } = await openOffers();
  await setField(page, "product", "consumer-loan", ".offers");
  await setField(page, "start", "2027-02-01", ".offers");
  const native = ctx.native("quote", { productId: "consumer-loan", amount: "1000.00", termMonths: 12, method: "equal-installment", band: "A", startDate: "2027-02-01" });
  assert.equal(native.caps.asOf, "2027-02-01");
  assert.equal(await offerText(page, "offer-first-payment"), yuan(native.subsidy ? native.subsidy.perPeriodDetail[0].netPayment : native.schedule.installments[0].payment));
  await setField(page, "amount", "999999999", ".offers");
  assert.equal(await page.getAttribute(".offers [name=amount]", "data-code"), "amount-out-of-range");
  const range = ctx.payload.products.find((p) => p.id === "consumer-loan").amount;
  assert.equal(await page.textContent(".offers [data-field=amount] .field-error"), `金额须在 ${yuan(range.min)} 到 ${yuan(range.max)} 之间。`);
  assert.equal(await page.$("#offers-root .offer"), null, "no stale offer beside the refused amount");
  await page.close();
});

test("pre-eligibility asks for missing answers, refuses impossible ones, and never sends the answers", async () => {
  const { page } = await openOffers();
  const requests = [];
  page.on("request", (r) => requests.push({ url: r.url(), body: r.postData() }));
  await page.click(".eligibility button[type=submit]");
  for (const name of ["age", "income", "repay", "housing", "residency"]) {
    assert.equal(await page.getAttribute(`.eligibility [name=${name}]`, "aria-invalid"), "true", name);
  }
  assert.equal(await page.$(".eligibility [data-decision]"), null, "empty answers are not scored");
  await page.fill(".eligibility [name=age]", "200");
  await page.fill(".eligibility [name=income]", "-1");
  await page.click(".eligibility button[type=submit]");
  assert.match(await page.textContent(".eligibility [data-field=age] .field-error"), /1 到 120/);
  assert.match(await page.textContent(".eligibility [data-field=income] .field-error"), /负数/);
  assert.equal(await page.$(".eligibility [data-decision]"), null);
  await page.fill(".eligibility [name=age]", "45");
  await page.fill(".eligibility [name=income]", "8,000");
  await page.fill(".eligibility [name=repay]", "500");
  await page.selectOption(".eligibility [name=housing]", "own");
  await page.selectOption(".eligibility [name=residency]", "CN");
  await page.click(".eligibility button[type=submit]");
  await page.waitForSelector(".eligibility [data-decision]");
  const native = ctx.native("assess", { residency: "CN", housing: "own", age: "45", monthlyIncome: "8000", existingRepayments: "500" });
  assert.equal(await page.getAttribute(".eligibility [data-decision]", "data-decision"), native.decision);
  const colour = await page.$eval(".eligibility .decision", (el) => getComputedStyle(el).color);
  if (native.decision === "likely") assert.equal(colour, "rgb(30, 107, 58)", "a yes is green, never the error red");
  const offers = await page.$$eval(".eligibility .indicative li", (lis) => lis.map((li) => ({ id: li.dataset.product, percent: li.dataset.percent, first: li.dataset.firstPayment })));
  const withQuotes = native.offers.filter((o) => o.indicative);
  assert.ok(withQuotes.length > 0);
  assert.deepEqual(offers, withQuotes.map((o) => ({ id: o.productId, percent: o.indicative.percent, first: o.indicative.firstPayment })));
  // A knock-out explains what to do, in words.
  await page.fill(".eligibility [name=repay]", "6000");
  await page.click(".eligibility button[type=submit]");
  await page.waitForSelector(".eligibility [data-reason=K03]");
  assert.match(await page.textContent(".eligibility [data-reason=K03]"), /减少部分负债/);
  assert.deepEqual(requests.filter((r) => /45|8000|6000/.test(`${r.url}${r.body ?? ""}`)), []);
  assert.deepEqual(requests, [], "assessing sends nothing over the network");
  await page.close();
});

test("offline and tampered bundles are told in consumer words, with the code only in details", async () => {
  const offline = await ctx.browser.context.newPage();
  await offline.route("**/bundles/**", (route) => route.abort("internetdisconnected"));
  await offline.goto(`${ctx.server.base}/`);
  await offline.evaluate(() => localStorage.clear());
  await offline.reload();
  await offline.waitForSelector("#offers-status[data-state=offline]", { timeout: 20000 });
  assert.match(await offline.textContent("#offers-status > span"), /无法连接网络/);
  assert.doesNotMatch(await offline.textContent("#offers-status > span"), /http|[A-Za-z]{5,}/);
  assert.ok(await offline.isVisible(".result[data-state=ready]"), "the calculator still works offline");
  await offline.close();

  const tampered = await ctx.browser.context.newPage();
  await tampered.route(/\/bundles\/puhui-sample\/.*\/\d+\.json$/, async (route) => {
    const response = await route.fetch();
    const body = JSON.parse(await response.text());
    body.payload = body.payload.slice(0, 20) + (body.payload[20] === "A" ? "B" : "A") + body.payload.slice(21);
    await route.fulfill({ response, body: JSON.stringify(body) });
  });
  await tampered.goto(`${ctx.server.base}/`);
  await tampered.evaluate(() => localStorage.clear());
  await tampered.reload();
  await tampered.waitForSelector("#offers-status[data-state=unverifiable]", { timeout: 20000 });
  assert.match(await tampered.textContent("#offers-status > span"), /安全校验/);
  assert.equal(await tampered.$("#offers-root .offer"), null);
  await tampered.close();
});

test("axe-core: no WCAG 2.1 A/AA violations on the page with results, offers and a decision (375 px and 1280 px)", async () => {
  const axeSource = readFileSync(join(root, "node_modules", "axe-core", "axe.min.js"), "utf8");
  for (const width of [375, 1280]) {
    const { page } = await openOffers({ width, height: 812 });
    await page.fill(".eligibility [name=age]", "30");
    await page.fill(".eligibility [name=income]", "3000");
    await page.fill(".eligibility [name=repay]", "0");
    await page.selectOption(".eligibility [name=housing]", "rent");
    await page.selectOption(".eligibility [name=residency]", "CN");
    await page.click(".eligibility button[type=submit]");
    await page.waitForSelector(".eligibility [data-decision]");
    await page.evaluate(axeSource); // evaluated through the devtools protocol: the page's CSP forbids inline scripts
    const result = await page.evaluate(async () => (globalThis).axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
    const violations = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    assert.deepEqual(violations, [], `${width}px`);
    await page.close();
  }
});
