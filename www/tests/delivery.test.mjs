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
