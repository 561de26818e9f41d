// First-load delivery as the browser sees it: each wasm module requested exactly once (one
// instance per page), the engine requested while the HTML parses (preload hints), compressed
// transfer of the wasm and scripts, content-hashed assets cached immutable, HTML revalidated.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { setup } from "./setup.mjs";

let ctx;
before(async () => {
  ctx = await setup();
});
after(async () => {
  await ctx?.close();
});

test("one request per wasm module, preloaded from the HTML, compressed, hashed assets immutable", async () => {
  const page = await ctx.browser.context.newPage();
  const cdp = await ctx.browser.context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  const responses = [];
  page.on("response", async (r) => responses.push({ url: r.url(), status: r.status(), headers: await r.allHeaders(), initiator: r.request().resourceType() }));
  await page.goto(`${ctx.server.base}/`);
  await page.waitForSelector(".result[data-state=ready]");
  await page.waitForSelector("#offers-root .offer-out[data-state=ready]", { timeout: 20000 });
  await page.waitForTimeout(200);
  const wasm = responses.filter((r) => new URL(r.url).pathname.endsWith(".wasm"));
  const perUrl = new Map();
  for (const r of wasm) perUrl.set(r.url, (perUrl.get(r.url) ?? 0) + 1);
  assert.ok(wasm.length >= 1);
  for (const [url, count] of perUrl) assert.equal(count, 1, `${url} requested ${count} times`);
  const instances = await page.evaluate(() => performance.getEntriesByType("resource").filter((e) => e.name.endsWith(".wasm")).length);
  assert.equal(instances, perUrl.size);
  const html = await (await fetch(`${ctx.server.base}/`)).text();
  assert.match(html, /<link rel="preload" href="\/pkg\/web\/[\w]+_bg\.wasm" as="fetch" type="application\/wasm" crossorigin>/);
  assert.match(html, /<script type="module" src="\/dist\/index-[A-Z2-7]{8}\.js"><\/script>/);
  for (const r of wasm) {
    assert.match(r.headers["content-encoding"] ?? "", /^(br|gzip)$/, `${r.url} is sent compressed`);
    assert.match(r.headers.vary ?? "", /accept-encoding/i);
  }
  const hashed = responses.filter((r) => /-[A-Z2-7]{8}\.(js|css|wasm)$/.test(new URL(r.url).pathname));
  assert.ok(hashed.length >= 2);
  for (const r of hashed) {
    assert.match(r.headers["cache-control"] ?? "", /immutable/, r.url);
    if (/\.(js|css)$/.test(r.url)) assert.match(r.headers["content-encoding"] ?? "", /^(br|gzip)$/, `${r.url} compressed`);
  }
  const page0 = responses.find((r) => new URL(r.url).pathname === "/");
  assert.doesNotMatch(page0.headers["cache-control"] ?? "", /immutable/);
  await page.close();
});

test("a first visit requests nothing that is not there: no 404 and no console error (trust roots walked by their pointer)", async () => {
  const ready = async (page, path) => {
    if (path === "/") await page.waitForSelector("#offers-root .offer-out[data-state=ready]", { timeout: 20000 });
    if (path === "/embed.html") await page.waitForSelector("puhui-offer .embed[data-state=ready]", { timeout: 20000 });
    if (path === "/partners.html") await page.waitForSelector(".partners [data-updated]", { timeout: 20000 });
  };
  for (const path of ["/", "/embed.html", "/partners.html"]) {
    const page = await ctx.browser.context.newPage();
    await page.goto(`${ctx.server.base}${path}`);
    await ready(page, path);
    await page.evaluate(() => localStorage.clear()); // then a first visit: no stored bundle or root state
    const problems = [];
    const requested = [];
    page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()} at ${m.location().url}`));
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("response", (r) => (requested.push(new URL(r.url()).pathname), r.status() >= 400 && problems.push(`HTTP ${r.status()} ${r.url()}`)));
    await page.reload();
    await ready(page, path);
    await page.waitForTimeout(200);
    assert.deepEqual(problems, [], path);
    assert.ok(requested.includes("/bundles/roots/latest.json"), `${path}: the loader still looks for a rotated trust root`);
    await page.close();
  }
});
