// /partners.html lists every party of the current signed bundle once, searchable, with the
// bundle's signed issue date as "updated on"; expected entries come from the payload that was signed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { setup, openPage } from "./setup.mjs";

let ctx;
before(async () => {
  ctx = await setup();
});
after(async () => {
  await ctx?.close();
});

test("the partner list shows every party of the bundle, searchable, dated by the signed issue date", async () => {
  const { page, errors } = await openPage(ctx, { path: "/partners.html", width: 375, height: 812 });
  await page.waitForSelector(".partners [data-updated]", { timeout: 20000 });
  assert.equal(await page.getAttribute(".partners [data-updated]", "data-updated"), ctx.payload.issuedAt);
  const [y, m, d] = ctx.payload.issuedAt.slice(0, 10).split("-").map(Number);
  assert.match(await page.textContent(".partners [data-updated]"), new RegExp(`更新于 ${y}年${m}月${d}日`));
  const parties = new Map();
  for (const product of ctx.payload.products) for (const party of product.parties ?? []) parties.set(party.id, party);
  const shown = await page.$$eval(".partners [data-party]", (els) => els.map((el) => el.dataset.party));
  assert.deepEqual([...shown].sort(), [...parties.keys()].sort());
  if (parties.size === 0) {
    assert.match(await page.textContent(".partners [data-count]"), /没有合作机构信息/);
  } else {
    const [first] = parties.values();
    await page.fill(".partners input[type=search]", first.legalName["zh-CN"]);
    const filtered = await page.$$eval(".partners [data-party]", (els) => els.map((el) => el.dataset.party));
    assert.ok(filtered.includes(first.id));
    assert.ok(filtered.length <= parties.size);
    await page.fill(".partners input[type=search]", "no-such-institution-zzz");
    assert.equal(await page.$$eval(".partners [data-party]", (els) => els.length), 0);
    assert.match(await page.textContent(".partners [data-count]"), /没有找到/);
  }
  const size = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  assert.ok(size.scroll <= size.inner);
  assert.deepEqual(errors, []);
  await page.close();
});

test("the front page links the staff pages from its footer", async () => {
  const { page } = await openPage(ctx);
  const links = await page.$$eval("footer nav a", (as) => as.map((a) => a.getAttribute("href")));
  assert.deepEqual(links, ["/partners.html", "/studio.html", "/partner-demo.html"]);
  await page.close();
});
