// The Engine class of the wasm package: the committed signed exemplar loads only through
// verification, and every quote is the same JSON value as `puhui quote` on the same request.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { puhui, root, cliPath, vectors } from "./helpers.mjs";

const dir = join(root, "tests", "fixtures", "bundle");
const fixture = (name) => readFileSync(join(dir, name));
const payload = JSON.parse(fixture("bundle.json"));
const now = payload.issuedAt;

const requests = [
  { productId: "consumer-loan", amount: "10000.00", termMonths: 12, band: "B" },
  { productId: "consumer-loan", amount: "20000.00", termMonths: 12, band: "C", startDate: "2026-12-01", promotions: ["interest-free-30", "rate-discount-20-3"] },
  { productId: "micro-daily", amount: "10000.00", termMonths: 12 },
  { productId: "card-installment", amount: "12000.00", termMonths: 12, method: "flat-fee" },
  { productId: "partner-loan", amount: "20000.00", termMonths: 24, startDate: "2026-11-20", promotions: ["interest-free-30"] },
];

function cliQuote(request) {
  try {
    const out = execFileSync(cliPath(), ["quote", "--bundle", join(dir, "bundle.signed.json"), "--root", join(dir, "root.json"), "--now", now, "-"], { input: JSON.stringify(request), encoding: "utf8" });
    return { status: 0, json: JSON.parse(out) };
  } catch (error) {
    if (typeof error.status !== "number" || !error.stdout) throw error;
    return { status: error.status, json: JSON.parse(error.stdout) };
  }
}

test("the signed exemplar loads through verification and lists its products", () => {
  const engine = puhui.Engine.load(fixture("bundle.signed.json"), fixture("root.json"), null, now, null);
  assert.equal(engine.preview, false);
  assert.equal(engine.summary.bundleId, payload.bundleId);
  assert.equal(engine.state.bundles.length, 1);
  const listed = engine.products();
  assert.equal(listed.preview, false);
  assert.deepEqual(listed.products.map((p) => p.id), payload.products.map((p) => p.id));
});

test("every quote equals the CLI's JSON value for the same request", () => {
  const engine = puhui.Engine.load(fixture("bundle.signed.json"), fixture("root.json"), null, now, null);
  for (const request of requests) {
    const wasm = engine.quote(request);
    const native = cliQuote(request);
    assert.equal(native.status, 0, JSON.stringify(native.json));
    assert.deepEqual(wasm, native.json, request.productId);
    // A JSON string request gives the same value.
    assert.deepEqual(engine.quote(JSON.stringify(request)), wasm);
  }
});

test("the card installment discloses the APR vector's rates", () => {
  const vector = vectors("apr.json").find((c) => c.name.startsWith("card installment 12000"));
  const engine = puhui.Engine.load(fixture("bundle.signed.json"), fixture("root.json"), null, now, null);
  const quote = engine.quote({ productId: "card-installment", amount: vector.request.advance, termMonths: vector.request.payments.length });
  assert.equal(quote.disclosure.cn.rate, vector.expected.rate);
  assert.equal(quote.disclosure.cn.effectiveRate, vector.expected.effectiveRate);
  assert.deepEqual(quote.caps.flagged, []);
});

test("refusals carry the same code and path as the CLI", () => {
  const engine = puhui.Engine.load(fixture("bundle.signed.json"), fixture("root.json"), null, now, null);
  for (const [request, code, path] of [
    [{ productId: "consumer-loan", amount: "999.00", termMonths: 12, band: "A" }, "amount-out-of-range", "amount"],
    [{ productId: "consumer-loan", amount: "10000.00", termMonths: 18, band: "A" }, "term-not-offered", "termMonths"],
    [{ productId: "nope", amount: "10000.00", termMonths: 12 }, "unknown-product", "productId"],
  ]) {
    assert.throws(() => engine.quote(request), (e) => e.code === code && e.path === path);
    const native = cliQuote(request);
    assert.notEqual(native.status, 0);
    assert.deepEqual([native.json.error.code, native.json.error.path], [code, path]);
  }
});

test("a forged bundle never becomes an engine; a preview draft marks every output", () => {
  const envelope = JSON.parse(fixture("bundle.signed.json"));
  const forged = Buffer.from(envelope.payload, "base64").toString("utf8").replace('"0.072"', '"0.062"');
  envelope.payload = Buffer.from(forged).toString("base64");
  assert.throws(() => puhui.Engine.load(JSON.stringify(envelope), fixture("root.json"), null, now, null), { code: "bad-signature" });
  const draft = fixture("bundle.json");
  assert.throws(() => puhui.Engine.load(draft, fixture("root.json"), null, now, null), { code: "unsigned" });
  const preview = puhui.Engine.load(draft, fixture("root.json"), null, now, { previewAllowed: true });
  assert.equal(preview.preview, true);
  assert.equal(preview.summary.preview, true);
  assert.equal(preview.products().preview, true);
  for (const request of requests) assert.equal(preview.quote(request).preview, true);
});

test("assess through the bundle equals the CLI and offers quotable products", () => {
  const engine = puhui.Engine.load(fixture("bundle.signed.json"), fixture("root.json"), null, now, null);
  const applicant = { age: 45, residency: "CN", monthlyIncome: 8000, housing: "own" };
  const wasm = engine.assess(applicant);
  const out = execFileSync(cliPath(), ["assess", "--bundle", join(dir, "bundle.signed.json"), "--root", join(dir, "root.json"), "--now", now, "-"], { input: JSON.stringify(applicant), encoding: "utf8" });
  assert.deepEqual(wasm, JSON.parse(out));
  assert.ok(wasm.offers.length > 0);
  const offer = wasm.offers[0];
  const product = payload.products.find((p) => p.id === offer.productId);
  const quote = engine.quote({ productId: offer.productId, amount: offer.minAmount, termMonths: product.terms[0], band: offer.band });
  assert.equal(quote.productId, offer.productId);
});

// Exact decimal strings as BigInt fractions, for expected figures computed from the bundle's rules.
function fraction(text) {
  const [int, frac = ""] = text.split(".");
  return { num: BigInt(int + frac), den: 10n ** BigInt(frac.length) };
}
/** round_half_up(a · b / divisor) in cents, a and b decimal strings (non-negative). */
function centsOfProduct(a, b, divisor = 1n) {
  const x = fraction(a);
  const y = fraction(b);
  const num = x.num * y.num * 100n;
  const den = x.den * y.den * divisor;
  return (2n * num + den) / (2n * den);
}
const money = (cents) => `${cents / 100n}.${String(cents % 100n).padStart(2, "0")}`;

test("parties: listed as signed, each fee charged by its party, funder's interest after the promotion", () => {
  const engine = puhui.Engine.load(fixture("bundle.signed.json"), fixture("root.json"), null, now, null);
  const listed = engine.products();
  for (const product of payload.products) {
    assert.deepEqual(listed.products.find((p) => p.id === product.id).parties, product.parties, product.id);
  }
  assert.equal(engine.summary.issuedAt, payload.issuedAt);

  const wire = payload.products.find((p) => p.id === "partner-loan");
  const request = requests.find((r) => r.productId === "partner-loan");
  const quote = engine.quote(request);
  assert.deepEqual(quote.parties.map((p) => p.id), wire.parties.map((p) => p.id));
  const n = BigInt(request.termMonths);
  for (const fee of wire.fees) {
    const party = quote.parties.find((p) => p.id === fee.party);
    const charge = party.charges.find((c) => c.item === fee.kind);
    // A per-period rate r on the principal P over n periods: n · round(P · r).
    assert.equal(charge.total, money(n * centsOfProduct(request.amount, fee.rate)), fee.kind);
  }
  // 30 free days on a first period of 30 days (Nov 20 → Dec 20, 30/360): P · rate / 12 waived.
  const waived = centsOfProduct(request.amount, wire.price[0].annualRate, 12n);
  assert.equal(quote.subsidy.totals.promotionDiscount, money(waived));
  const funder = quote.parties.find((p) => p.role === "funder");
  const interest = fraction(quote.schedule.totals.interest).num;
  assert.equal(funder.charges.find((c) => c.item === "interest").total, money(interest - waived));
  assert.equal(funder.charges.find((c) => c.item === "installment-fee").total, "0.00");
  // Every party's total is the sum of its charges; together they are the cost of credit less the promotion.
  let paid = 0n;
  for (const party of quote.parties) {
    const sum = party.charges.reduce((acc, c) => acc + fraction(c.total).num, 0n);
    assert.equal(party.total, money(sum), party.id);
    paid += sum;
  }
  assert.equal(money(paid), money(fraction(quote.schedule.totalCost).num - waived));
  assert.equal(quote.caps.compliant, true);
});
