// The partner embed in headless Chromium, across two loopback origins: the real `puhui serve` on
// http://127.0.0.1:P (the lender, with the sample bundle signed by the real CLI) and a partner's
// static server on http://localhost:Q (allowed in serve.json `embed.allowedOrigins` and
// `corsOrigins`), which is also reachable as http://127.0.0.1:Q: a different, disallowed origin.
// Figures are compared with the APR vector and with the native `puhui quote` on the same signed
// bundle; the tampered bundle's code with the native `puhui verify`.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, rmSync, readFileSync, writeFileSync, readdirSync, cpSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, launchBrowser, freePort } from "./harness.mjs";
import { cliPath, root, vectors, runCli } from "../../tests/js/helpers.mjs";
import { percentOf, yuan } from "./setup.mjs";

let work, lender, tampered, partner, browser, rootText, partnerPort;
const partnerOrigin = () => `http://localhost:${partnerPort}`;
const otherOrigin = () => `http://127.0.0.1:${partnerPort}`;

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
};

function native(request) {
  const out = execFileSync(cliPath(), ["quote", "--bundle", join(work, "keys", "bundle.signed.json"), "--root", join(work, "keys", "root.json"), "-"], { input: JSON.stringify(request), encoding: "utf8" });
  return JSON.parse(out);
}

/** The partner's pages, written the way a partner would (inline script is theirs to allow). */
function partnerPage(url) {
  const base = url.searchParams.get("lender") ?? lender.base;
  const attrs = url.searchParams.get("attrs") ?? 'product="card-installment" amount="12000" term="12"';
  if (url.pathname === "/element.html") {
    return `<!doctype html><html><head><meta charset="utf-8"><title>partner</title>
<style>
  body { font-family: serif; line-height: 3; letter-spacing: 5px; color: blue; }
  p { color: blue; } .offer-rate { color: red !important; } button { background: yellow; }
</style>
<script>
  window.events = [];
  for (const type of ["puhui-ready", "puhui-quote", "puhui-apply", "puhui-error"]) {
    document.addEventListener(type, (e) => window.events.push({ type, detail: JSON.parse(JSON.stringify(e.detail)) }));
  }
</script>
<script type="module" src="${base}/pkg/web/embed.js"></script></head>
<body><p class="figure" id="outside">partner text</p>
<puhui-offer id="offer" ${attrs}><script type="application/json">${rootText}</script></puhui-offer>
</body></html>`;
  }
  if (url.pathname === "/frame.html") {
    const query = url.searchParams.get("query") ?? "product=card-installment&amount=12000&term=12&lang=en";
    return `<!doctype html><html><head><meta charset="utf-8"><title>partner frame</title>
<script>
  window.messages = [];
  window.addEventListener("message", (e) => {
    if (e.origin !== "${lender.base}") return;
    window.messages.push(e.data);
    if (e.data.type === "puhui:resize") document.getElementById("f").style.height = e.data.height + "px";
  });
</script></head>
<body style="margin:0"><iframe id="f" style="width:360px;height:200px;border:0" src="${lender.base}/embed.html?${query}"></iframe>
<iframe id="sibling" src="${otherOrigin()}/sibling.html"></iframe></body></html>`;
  }
  if (url.pathname === "/blank.html") return "<!doctype html><title>blank</title><script>localStorage.clear()</script>";
  if (url.pathname === "/sibling.html") {
    return `<!doctype html><html><body><script>
  window.sendSet = (amount) => parent.frames[0].postMessage({ type: "puhui:set", amount }, "${lender.base}");
</script></body></html>`;
  }
  return null;
}

before(async () => {
  execFileSync(process.execPath, [join(root, "scripts", "build-embed.mjs")], { stdio: "pipe" });
  work = mkdtempSync(join(tmpdir(), "puhui-embed-"));
  execFileSync(join(root, "scripts", "demo-bundle.sh"), [cliPath()], {
    env: { ...process.env, PUHUI_KEYS_DIR: join(work, "keys"), PUHUI_BUNDLES_DIR: join(work, "bundles") },
    stdio: "pipe",
  });
  rootText = readFileSync(join(work, "keys", "root.json"), "utf8").trim();
  partnerPort = await freePort();
  partner = createServer((req, res) => {
    const body = partnerPage(new URL(req.url, "http://partner"));
    res.writeHead(body === null ? 404 : 200, { "content-type": "text/html; charset=utf-8" });
    res.end(body ?? "not found");
  });
  await new Promise((resolve) => partner.listen(partnerPort, "127.0.0.1", resolve));
  const config = join(work, "serve.json");
  writeFileSync(config, JSON.stringify({ corsOrigins: [partnerOrigin()], embed: { allowedOrigins: [partnerOrigin()] } }));
  lender = await startServer({ args: ["--bundles", join(work, "bundles"), "--config", config] });

  // A second lender tree whose newest bundle has its payload altered after signing (the pointer's
  // hash updated to match, so the verifier, not the download check, is what refuses it).
  const bad = join(work, "bundles-tampered");
  cpSync(join(work, "bundles"), bad, { recursive: true });
  const dir = join(bad, "puhui-sample", "production");
  const pointer = JSON.parse(readFileSync(join(dir, "latest.json"), "utf8"));
  const envelope = JSON.parse(readFileSync(join(dir, pointer.path), "utf8"));
  const payload = Buffer.from(envelope.payload, "base64").toString("utf8").replace('"0.0060"', '"0.0050"');
  envelope.payload = Buffer.from(payload, "utf8").toString("base64");
  const bytes = Buffer.from(JSON.stringify(envelope));
  writeFileSync(join(dir, pointer.path), bytes);
  writeFileSync(join(work, "tampered.json"), bytes);
  pointer.sha256 = createHash("sha256").update(bytes).digest("hex");
  writeFileSync(join(dir, "latest.json"), JSON.stringify(pointer));
  assert.ok(readdirSync(dir).length >= 2);
  tampered = await startServer({ args: ["--bundles", bad, "--config", config] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await lender?.stop();
  await tampered?.stop();
  partner?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function openElement(query = "") {
  const page = await browser.context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${partnerOrigin()}/element.html${query}`);
  await page.waitForFunction(() => window.events.some((e) => e.type === "puhui-quote" || e.type === "puhui-error"), null, { timeout: 20000 });
  return { page, errors };
}

/** The first payment the offer shows: after subsidy and promotions when the quote has them. */
const firstPayment = (quote) => quote.subsidy?.perPeriodDetail[0]?.netPayment ?? quote.schedule.installments[0].payment;
const figure = (page, name) => page.locator(`puhui-offer [data-figure=${name}]`).textContent();
const lastQuote = (page) => page.evaluate(() => window.events.filter((e) => e.type === "puhui-quote").at(-1)?.detail);

test("the element renders the APR vector's figures and the native quote, and fires ready and quote with the full quote JSON", async () => {
  const { page, errors } = await openElement();
  const expected = vectors("apr.json").find((v) => v.request.method === "cn-irr" && v.request.advance === "12000.00").expected;
  assert.equal(await figure(page, "offer-apr"), `${percentOf(expected.rate)}%`);
  const request = { productId: "card-installment", amount: "12000", termMonths: 12, method: "flat-fee", startDate: today() };
  const quote = native(request);
  assert.equal(await figure(page, "offer-first-payment"), yuan(firstPayment(quote)));
  assert.equal(await figure(page, "offer-total-paid"), yuan(quote.subsidy ? quote.subsidy.totals.netPayment : quote.disclosure.totalRepaid));
  const events = await page.evaluate(() => window.events);
  const ready = events.find((e) => e.type === "puhui-ready");
  assert.equal(ready.detail.bundle.bundleId, "puhui-sample");
  assert.ok(ready.detail.products.includes("card-installment"));
  const detail = await lastQuote(page);
  assert.deepEqual(detail.request, request);
  assert.deepEqual(detail.quote, quote, "the event carries the engine's quote JSON, equal to the native CLI's");
  assert.equal(typeof detail.quote.disclosure.cn.percent, "string");
  assert.deepEqual(errors, []);
  await page.close();
});

test("changing the amount attribute re-quotes; apply sends what the person chose; no event carries answers", async () => {
  const { page } = await openElement();
  await page.evaluate(() => document.getElementById("offer").setAttribute("amount", "2万"));
  await page.waitForFunction(() => window.events.filter((e) => e.type === "puhui-quote").at(-1)?.detail.request.amount === "20000");
  const quote = native({ productId: "card-installment", amount: "20000", termMonths: 12, method: "flat-fee", startDate: today() });
  assert.equal(await figure(page, "offer-first-payment"), yuan(firstPayment(quote)));
  await page.locator("puhui-offer button[part=apply]").click();
  const apply = await page.evaluate(() => window.events.find((e) => e.type === "puhui-apply")?.detail);
  assert.deepEqual(apply, {
    productId: "card-installment",
    amount: "20000",
    termMonths: 12,
    method: "flat-fee",
    startDate: today(),
    aprPercent: quote.disclosure.cn.percent,
    firstPayment: quote.schedule.installments[0].payment,
    totalRepaid: quote.disclosure.totalRepaid,
    bundle: quote.bundle,
  });
  const text = JSON.stringify(await page.evaluate(() => window.events));
  for (const answer of ["applicant", "answers", "income", "age"]) assert.equal(text.includes(`"${answer}"`), false, answer);
  // A refused amount: error state, puhui-error with the engine's code.
  await page.evaluate(() => document.getElementById("offer").setAttribute("amount", "100"));
  await page.waitForFunction(() => window.events.at(-1).type === "puhui-error");
  const error = await page.evaluate(() => window.events.at(-1).detail);
  assert.equal(error.code, "amount-out-of-range");
  assert.equal(await page.locator("puhui-offer .embed").getAttribute("data-state"), "error");
  await page.close();
});

test("the bare /embed.html is usable: a product priced by grade gets a grade picker, and the offer follows the grade picked", async () => {
  for (const [query, label] of [["", /信用等级/], ["?lang=en", /Credit grade/]]) {
    const page = await browser.context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("response", (r) => r.status() >= 400 && errors.push(`HTTP ${r.status()} ${r.url()}`));
    await page.goto(`${lender.base}/embed.html${query}`);
    await page.waitForSelector("puhui-offer .embed[data-state=ready]", { timeout: 20000 });
    const product = native({ productId: "consumer-loan", amount: "1000.00", termMonths: 12, band: "A", startDate: today() });
    const picker = page.locator("puhui-offer [part=grade] select");
    assert.match(await page.locator("puhui-offer [part=grade] label").textContent(), label);
    assert.deepEqual(await picker.evaluate((s) => [...s.options].map((o) => o.value)), ["A", "B", "C"]);
    assert.equal(await picker.inputValue(), "A");
    assert.equal(await figure(page, "offer-apr"), `${product.disclosure.cn.percent}%`);
    // Picking another grade re-quotes with it; apply tells the partner which grade was shown.
    await picker.selectOption("C");
    const gradeC = native({ productId: "consumer-loan", amount: "1000.00", termMonths: 12, band: "C", startDate: today() });
    await page.waitForFunction((want) => document.querySelector("puhui-offer").shadowRoot.querySelector("[data-figure=offer-apr]")?.textContent === want, `${gradeC.disclosure.cn.percent}%`);
    assert.equal((await page.evaluate(() => document.querySelector("puhui-offer").quote.request)).band, "C");
    assert.equal(await page.locator("puhui-offer [part~=error]").count(), 0);
    // A partner that sets the grade gets no picker.
    await page.evaluate(() => document.querySelector("puhui-offer").setAttribute("band", "B"));
    await page.waitForFunction(() => document.querySelector("puhui-offer").quote?.request.band === "B");
    assert.equal(await page.locator("puhui-offer [part=grade]").isHidden(), true);
    assert.deepEqual(errors, [], query);
    await page.close();
  }
});

test("an amount the page cannot read is refused with the engine's code, listed in docs/errors.md, never the normalizer's own", async () => {
  const listed = new Set([...readFileSync(join(root, "docs", "errors.md"), "utf8").matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]));
  const { page } = await openElement();
  const cases = [["abc", "malformed-decimal", /请输入数字/], ["1,00", "malformed-decimal", /请输入数字/], ["-5", "amount-out-of-range", /金额须在 ¥600\.00 到 ¥50,000\.00 之间/]];
  for (const [typed, code, message] of cases) {
    await page.evaluate(() => (window.events = []));
    await page.evaluate((value) => document.getElementById("offer").setAttribute("amount", value), typed);
    await page.waitForFunction(() => window.events.some((e) => e.type === "puhui-error"));
    const error = await page.evaluate(() => window.events.find((e) => e.type === "puhui-error").detail);
    assert.equal(error.code, code, typed);
    assert.ok(listed.has(error.code), `${error.code} is not in docs/errors.md`);
    assert.equal(error.path, "amount", typed);
    assert.equal(error.source, "input", typed);
    // The same code the engine answers for that text at the CLI door.
    const cli = runCli(["quote", "--bundle", join(work, "keys", "bundle.signed.json"), "--root", join(work, "keys", "root.json")], { productId: "card-installment", amount: typed, termMonths: 12 });
    assert.equal(cli.json.error?.code, code, `${typed}: the CLI door answers the same code`);
    assert.match(await page.locator("puhui-offer [part~=error]").textContent(), message, typed);
  }
  await page.close();
});

test("theme variables change the computed style inside the shadow root; the partner's styles neither get in nor are touched", async () => {
  const { page } = await openElement();
  const style = (selector, property) => page.locator(`puhui-offer ${selector}`).evaluate((el, p) => getComputedStyle(el)[p], property);
  const before = await style(".offer-rate", "color");
  assert.equal(before, "rgb(179, 38, 30)");
  await page.evaluate(() => {
    const offer = document.getElementById("offer");
    offer.style.setProperty("--puhui-accent", "rgb(0, 128, 0)");
    offer.style.setProperty("--puhui-radius", "3px");
    offer.style.setProperty("--puhui-font", "monospace");
  });
  assert.equal(await style(".offer-rate", "color"), "rgb(0, 128, 0)");
  assert.equal(await style("button[part=apply]", "backgroundColor"), "rgb(0, 128, 0)");
  assert.equal(await style("button[part=apply]", "borderTopLeftRadius"), "3px");
  assert.equal(await style(".offer-name", "fontFamily"), "monospace");
  // Nothing inherited from the partner's body (serif, line-height 3, letter-spacing 5px, blue).
  assert.equal(await style(".offer-name", "letterSpacing"), "normal");
  assert.notEqual(await style(".offer-name", "color"), "rgb(0, 0, 255)");
  // The components' rules stay inside: the partner's own .figure is untouched.
  assert.equal(await page.locator("#outside").evaluate((el) => getComputedStyle(el).borderTopStyle), "none");
  // ::part() hooks reach the exposed parts.
  await page.addStyleTag({ content: "puhui-offer::part(apply) { text-transform: uppercase; }" });
  assert.equal(await style("button[part=apply]", "textTransform"), "uppercase");
  await page.close();
});

async function openFrame(origin, query) {
  const page = await browser.context.newPage();
  page.on("console", (m) => process.env.DEBUG_EMBED && console.log("console:", m.type(), m.text()));
  page.on("pageerror", (e) => process.env.DEBUG_EMBED && console.log("pageerror:", e.message));
  await page.setViewportSize({ width: 420, height: 900 });
  await page.goto(`${origin}/frame.html${query ? `?query=${encodeURIComponent(query)}` : ""}`);
  return page;
}
const frameOf = (page) => page.frames().find((f) => f.url().startsWith(`${lender.base}/embed.html`));

test("the iframe answers puhui:set from an allowed origin, ignores it from another origin, and reports its content height", async () => {
  const page = await openFrame(partnerOrigin());
  await page.waitForFunction(() => window.messages.some((m) => m.type === "puhui:quote"), null, { timeout: 20000 });
  const first = await page.evaluate(() => window.messages.find((m) => m.type === "puhui:quote"));
  assert.equal(first.quote.disclosure.cn.percent, native({ productId: "card-installment", amount: "12000", termMonths: 12, method: "flat-fee", startDate: today() }).disclosure.cn.percent);
  assert.ok(await page.evaluate(() => window.messages.some((m) => m.type === "puhui:ready" && m.bundle.bundleId === "puhui-sample")));

  // From another origin (a sibling frame at 127.0.0.1:Q): ignored.
  const sibling = page.frames().find((f) => f.url().startsWith(`${otherOrigin()}/sibling.html`));
  await sibling.evaluate(() => window.sendSet("30000"));
  // From the allowed parent: answered with a new quote.
  await page.evaluate((target) => document.getElementById("f").contentWindow.postMessage({ type: "puhui:set", amount: "24000", term: 24 }, target), lender.base);
  await page.waitForFunction(() => window.messages.some((m) => m.type === "puhui:quote" && m.request.amount === "24000"));
  const quotes = await page.evaluate(() => window.messages.filter((m) => m.type === "puhui:quote").map((m) => m.request));
  assert.equal(quotes.some((r) => r.amount === "30000"), false, "a message from a disallowed origin was obeyed");
  assert.deepEqual(quotes.at(-1), { productId: "card-installment", amount: "24000", termMonths: 24, method: "flat-fee", startDate: today() });
  const frame = frameOf(page);
  assert.equal(await frame.locator("puhui-offer").getAttribute("amount"), "24000");

  // puhui:resize: the last height equals the frame's content height; sized to it, no overflow.
  await page.waitForTimeout(300);
  const resize = await page.evaluate(() => window.messages.filter((m) => m.type === "puhui:resize").at(-1));
  const content = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
  assert.ok(content > 100, `content height ${content}`);
  assert.equal(resize.height, content);
  const { scroll, client } = await frame.evaluate(() => ({ scroll: document.documentElement.scrollHeight, client: document.documentElement.clientHeight }));
  assert.equal(scroll, client, "the frame sized by puhui:resize has nothing to scroll");
  await page.close();
});

test("frame-ancestors refuses a parent that is not on the allow-list; other pages keep refusing to be framed", async () => {
  const page = await openFrame(otherOrigin());
  await page.waitForTimeout(1500);
  assert.deepEqual(await page.evaluate(() => window.messages), []);
  const child = page.frames().find((f) => f !== page.mainFrame() && !f.url().includes("sibling"));
  const loaded = await child.evaluate(() => document.querySelector("puhui-offer") !== null).catch(() => false);
  assert.equal(loaded, false, "the frame rendered under a disallowed parent");
  await page.close();
  const embed = await fetch(`${lender.base}/embed.html`);
  assert.match(embed.headers.get("content-security-policy"), new RegExp(`frame-ancestors 'self' ${partnerOrigin()}$`));
  for (const path of ["/", "/partner-demo.html", "/embed-config.json"]) {
    const other = await fetch(`${lender.base}${path}`);
    assert.doesNotMatch(other.headers.get("content-security-policy"), /localhost/, path);
    assert.notEqual(other.headers.get("x-frame-options"), null, path);
  }
});

test("a tampered bundle puts the element in its error state and emits puhui-error with the verifier's refusal code", async () => {
  let expected;
  try {
    execFileSync(cliPath(), ["verify", "--root", join(work, "keys", "root.json"), join(work, "tampered.json")], { encoding: "utf8", stdio: "pipe" });
  } catch (error) {
    expected = JSON.parse(error.stdout).error.code;
  }
  assert.ok(expected, "the native verifier must refuse the tampered bundle");
  // The partner origin keeps the last good bundle from the tests above; start without it.
  const blank = await browser.context.newPage();
  await blank.goto(`${partnerOrigin()}/blank.html`);
  await blank.close();
  const { page } = await openElement(`?lender=${encodeURIComponent(tampered.base)}`);
  const events = await page.evaluate(() => window.events);
  assert.equal(events.some((e) => e.type === "puhui-quote" || e.type === "puhui-ready"), false);
  const error = events.find((e) => e.type === "puhui-error").detail;
  assert.equal(error.code, expected);
  assert.equal(error.source, "bundle");
  assert.equal(error.state, "unverifiable");
  assert.equal(await page.locator("puhui-offer .embed").getAttribute("data-state"), "error");
  assert.match(await page.locator("puhui-offer [part~=error]").textContent(), /安全校验/);
  assert.equal(await page.locator("puhui-offer [data-figure]").count(), 0);
  await page.close();
});
