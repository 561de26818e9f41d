// The product preview studio in headless Chromium, on the real `puhui serve`: the committed
// sample (data/sample-bundle.json) is signed with a fresh key and published as the live bundle;
// the draft (tests/fixtures/studio/draft.json, generated from the sample) changes one price row,
// adds one fee and adds one product that breaks the 24 % cap. Expected figures come from the
// shared vectors (tests/vectors) and the fixture author's list of edits (expected.json).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, launchBrowser } from "./harness.mjs";
import { cliPath, root, vectors } from "../../tests/js/helpers.mjs";

const fixtures = join(root, "tests", "fixtures", "studio");
const fixture = (name) => join(fixtures, name);
const expected = JSON.parse(readFileSync(fixture("expected.json"), "utf8"));

let server;
let browser;
let work;
before(async () => {
  assert.ok(existsSync(join(root, "pkg", "studio", "studio_bg.wasm")), "build the studio module first (make studio-wasm)");
  work = mkdtempSync(join(tmpdir(), "puhui-studio-"));
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
  if (work) rmSync(work, { recursive: true, force: true });
});

/** `0.072001` → `7.20`: the percent on the vector's own digits (half-up at 2 decimals). */
function percent(rate) {
  const [int, frac = ""] = rate.split(".");
  const digits = BigInt(int + frac.padEnd(6, "0").slice(0, 6)); // rate × 10^6
  const hundredths = (digits + 50n) / 100n; // rate × 10^4, half-up
  const text = hundredths.toString().padStart(3, "0");
  return `${BigInt(text.slice(0, -2))}.${text.slice(-2)}`;
}

const byName = (file, part) => vectors(file).find((v) => v.name.includes(part));

async function openStudio() {
  const page = await browser.context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${server.base}/studio.html`);
  await page.waitForSelector("#live-status[data-state=verified]");
  await page.waitForSelector("html[data-studio=ready]");
  return { page, errors };
}

async function loadDraftFile(page, name) {
  await page.setInputFiles("#draft-file", fixture(name));
  await page.waitForSelector(`#draft-status:has-text("${name}")`);
}

async function rows(page, selector) {
  return page.$$eval(selector, (trs) => trs.map((tr) => ({ ...tr.dataset, cells: [...tr.children].map((td) => td.textContent), fields: Object.fromEntries([...tr.children].filter((td) => td.dataset.field).map((td) => [td.dataset.field, td.textContent])), title: tr.querySelector("[data-field=percent]")?.title ?? "" })));
}

test("the draft's grid shows the vector figures, the diff lists exactly the seeded changes, lint shows the cap break at its path", async () => {
  const { page, errors } = await openStudio();
  await loadDraftFile(page, "draft.json");
  assert.equal(await page.getAttribute("#draft-status", "data-state"), "loaded");

  // Lint: the seeded error at its path; clicking it highlights that place in the JSON view.
  const seeded = `#lint-list li[data-code="${expected.capBreaking.lintCode}"][data-path="${expected.capBreaking.lintPath}"]`;
  assert.equal(await page.getAttribute(seeded, "data-severity"), "error");
  assert.match(await page.textContent(seeded), /超过综合融资成本上限/);
  assert.match(await page.textContent(seeded), /breaks a cost cap/);
  await page.click(`${seeded} button`);
  assert.equal(await page.getAttribute("#json-text", "data-highlight"), expected.capBreaking.lintPath);
  assert.match(await page.textContent("#json-text mark"), /"dailyRate": "0\.0009"/);

  // Diff: exactly the three seeded content changes, with their paths.
  const diff = await rows(page, "#diff-table tbody tr:not([data-section=header])");
  assert.deepEqual(diff.map((r) => [r.kind, r.path]), expected.changes.map((c) => [c.kind, c.path]));
  for (const [i, change] of expected.changes.entries()) {
    if (change.before) assert.deepEqual(JSON.parse(diff[i].cells[3]), JSON.parse(change.before));
    if (change.after) assert.deepEqual(JSON.parse(diff[i].cells[4]), JSON.parse(change.after));
  }

  // Grid on 2026-01-01 (every period of a 12-month loan inside the 2026 subsidy window).
  await page.fill("#grid-date", "2026-01-01");
  await page.selectOption("#grid-product", "consumer-loan");
  await page.fill("#grid-amounts", "10000.00");
  await page.click("#grid-form button[type=submit]");
  const grid = await rows(page, "#grid-table tbody tr");
  assert.equal(grid.length, 3 * 4 * 2, "3 bands × 4 terms × 2 methods");
  const cell = grid.find((r) => r.band === "A" && r.term === "12" && r.method === "equal-installment");
  const schedule = byName("schedules.json", "equal-installment 10000 @7.2% 12m").expected.installments;
  const apr = byName("apr.json", "equal-installment 10000 @7.2%").expected;
  const subsidy = byName("subsidy.json", "10000 equal-installment 7.2% 12m").expected;
  const interestFen = schedule.reduce((sum, i) => sum + BigInt(i.interest.replace(".", "")), 0n);
  assert.equal(cell.fields.percent, `${percent(apr.rate)}%`);
  assert.match(cell.title, new RegExp(`${percent(apr.effectiveRate).replace(".", "\\.")}%`));
  assert.equal(cell.fields.firstPayment, schedule[0].payment);
  assert.equal(cell.fields.totalCost, `${interestFen / 100n}.${String(interestFen % 100n).padStart(2, "0")}`);
  assert.equal(cell.fields.subsidy, subsidy.total);
  assert.equal(cell.fields.netPercent, `${percent(subsidy.netRate)}%`);
  const principal = grid.find((r) => r.band === "A" && r.term === "12" && r.method === "equal-principal");
  assert.equal(principal.fields.firstPayment, byName("schedules.json", "equal-principal 10000 @7.2% 12m").expected.installments[0].payment);
  // Every draft-derived row carries the PREVIEW mark; only band B (the changed row) changed.
  for (const r of grid) {
    assert.equal(r.preview, "true");
    assert.equal(r.fields.mark, "PREVIEW");
    assert.equal(r.changed, String(r.band === "B"), `${r.band} ${r.term} ${r.method}`);
    if (r.band === "B") assert.match(r.fields.delta, /^\+\d+\.\d\d pt, \+¥\d+\.\d\d$/);
    else assert.equal(r.fields.delta, "=");
  }

  // The CSV export equals the grid shown (the downloaded file, byte for byte the same text).
  const download = page.waitForEvent("download");
  await page.click("#grid-csv");
  const csv = readFileSync(await (await download).path(), "utf8");
  assert.equal(csv, await page.evaluate(() => window.studioCsv.grid()));
  const lines = csv.trimEnd().split("\r\n").map((l) => l.split(","));
  const head = lines[0];
  const col = (name) => head.indexOf(name);
  assert.equal(lines.length - 1, grid.length);
  for (const [i, r] of grid.entries()) {
    const line = lines[i + 1];
    assert.deepEqual([line[col("product")], line[col("amount")], line[col("termMonths")], line[col("band")], line[col("method")]], [r.product, r.amount, r.term, r.band, r.method]);
    assert.equal(`${line[col("percent")]}%`, r.fields.percent);
    assert.equal(line[col("firstPayment")], r.fields.firstPayment);
    assert.equal(line[col("totalCost")], r.fields.totalCost);
    assert.equal(line[col("costPer10000")], r.fields.costPer10000);
    assert.equal(line[col("subsidy")], r.fields.subsidy);
    assert.equal(`${line[col("netPercent")]}%`, r.fields.netPercent);
    assert.equal(line[col("preview")], "PREVIEW");
  }

  // Cap-breaking cells: with every product on its own amounts, "only cells that break a cap"
  // shows exactly the new product's cells, each marked.
  await page.selectOption("#grid-product", "");
  await page.fill("#grid-amounts", "");
  await page.click("#grid-form button[type=submit]");
  await page.check("#only-cap");
  const over = await rows(page, "#grid-table tbody tr");
  assert.equal(over.length, 10 * 2, "quick-cash: 10 amounts × 2 terms");
  for (const r of over) {
    assert.equal(r.product, expected.capBreaking.productId);
    assert.equal(r.over, "true");
    assert.match(r.fields.caps, /✗ comprehensive-24 \d+\.\d\d% > 24\.00%/);
    assert.match(r.fields.delta, /^新 new \(unknown-product\)$/);
  }
  await page.uncheck("#only-cap");
  await page.check("#only-changed");
  const changed = await rows(page, "#grid-table tbody tr");
  assert.ok(changed.length > 0 && changed.every((r) => r.changed === "true"));
  assert.deepEqual([...new Set(changed.map((r) => r.product))].sort(), ["card-installment", "consumer-loan", "quick-cash"]);
  assert.deepEqual(errors, []);
  await page.close();
});

test("malformed drafts show their errors without breaking the page; drop and paste load drafts", async () => {
  const { page, errors } = await openStudio();
  const cases = [
    ["bad.json", "malformed"],
    ["unknown-field.json", "unknown-field"],
    ["duplicate-key.json", "duplicate-key"],
  ];
  for (const [name, code] of cases) {
    await page.fill("#draft-text", readFileSync(fixture(name), "utf8"));
    await page.click("#draft-load");
    await page.waitForSelector(`#lint-list li[data-code="${code}"]`);
    assert.equal(await page.getAttribute(`#lint-list li[data-code="${code}"]`, "data-severity"), "error", name);
    if (code === "unknown-field") assert.equal(await page.getAttribute(`#lint-list li[data-code="${code}"]`, "data-path"), "products[0].price[0].bandz");
    if (code === "duplicate-key") assert.equal(await page.getAttribute(`#lint-list li[data-code="${code}"]`, "data-path"), "version");
    // A draft with an unknown field never previews (the engine refuses it too); broken JSON neither.
    assert.equal(await page.getAttribute("#draft-status", "data-state"), "error", name);
    assert.match(await page.textContent("#draft-status"), new RegExp(`\\[${code}\\]`));
    assert.equal(await page.isHidden("#grid"), true, name);
  }
  // The page still works: drop the good draft onto the drop zone.
  const text = readFileSync(fixture("draft.json"), "utf8");
  await page.evaluate((content) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([content], "dropped-draft.json", { type: "application/json" }));
    document.getElementById("drop-zone").dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, text);
  await page.waitForSelector("#draft-status[data-state=loaded]:has-text('dropped-draft.json')");
  assert.equal(await page.isHidden("#grid"), false);
  assert.ok((await page.$$("#grid-table tbody tr")).length > 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test("with the sample bundle loaded, the grid controls never overlap and a 375 px phone does not scroll sideways", async () => {
  for (const width of [1280, 768, 375, 320]) {
    const { page, errors } = await openStudio();
    await page.setViewportSize({ width, height: 900 });
    await page.setInputFiles("#draft-file", join(root, "data", "sample-bundle.json"));
    await page.waitForSelector('#draft-status:has-text("sample-bundle.json")');
    await page.waitForSelector("#grid:not([hidden])");
    const layout = await page.evaluate(() => {
      const box = (el) => { const r = el.getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, name: el.id || el.textContent.trim().slice(0, 20) }; };
      const form = document.getElementById("grid-form");
      return {
        form: box(form),
        controls: [...form.querySelectorAll("input:not([type=checkbox]), select, button, label.check")].map(box),
        scroll: document.documentElement.scrollWidth,
        inner: window.innerWidth,
      };
    });
    const overlap = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
    for (const [i, a] of layout.controls.entries()) {
      assert.ok(a.left >= layout.form.left - 0.5 && a.right <= layout.form.right + 0.5, `${width}px: ${a.name} [${a.left}, ${a.right}] leaves the form [${layout.form.left}, ${layout.form.right}]`);
      for (const b of layout.controls.slice(i + 1)) assert.ok(!overlap(a, b), `${width}px: ${a.name} [${a.left}-${a.right}] overlaps ${b.name} [${b.left}-${b.right}]`);
    }
    assert.ok(layout.scroll <= layout.inner, `${width}px: the page is ${layout.scroll}px wide`);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test("sample applicants run through draft and live side by side, and stay in the page", async () => {
  const { page, errors } = await openStudio();
  await loadDraftFile(page, "draft.json");
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.fill("#applicant-text", "age,monthlyIncome,existingRepayments,housing,residency\n45,8000,500,own,CN\n17,2000,,free,CN\n30,6000,0,rent,US\n");
  await page.click("#applicant-run");
  await page.waitForSelector("#applicant-summary[data-changed]");
  const table = await rows(page, "#applicant-table tbody tr");
  assert.equal(table.length, 3);
  assert.equal(await page.getAttribute("#applicant-summary", "data-changed"), "0", "the draft leaves the model alone");
  assert.match(table[1].cells[2], /^unlikely .*PREVIEW$/);
  assert.match(table[1].cells[3], /K01/, "the under-18 knock-out");
  assert.match(table[2].cells[3], /K02/, "the residency knock-out");
  assert.equal(table[0].cells[1].split(" · ")[0], table[0].cells[2].split(" · ")[0]);
  assert.deepEqual(requests, [], "no applicant leaves the page");
  assert.deepEqual(errors, []);
  await page.close();
});

test("the consumer page never downloads the studio module", async () => {
  const page = await browser.context.newPage();
  const requests = [];
  page.on("request", (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(`${server.base}/`);
  await page.waitForLoadState("networkidle");
  assert.ok(requests.some((p) => p.endsWith(".wasm")), "the consumer page loads its wasm");
  assert.deepEqual(requests.filter((p) => p.startsWith("/pkg/studio/")), []);
  await page.close();
});
