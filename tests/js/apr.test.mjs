// Annualized rates through the wasm package: every public APR vector (rate to 6 decimals and the
// display percent exactly), and the disclosure figures the issue names.
import { test } from "node:test";
import assert from "node:assert/strict";
import { puhui, vectors } from "./helpers.mjs";

test("every public APR vector matches through wasm", () => {
  const cases = vectors("apr.json");
  assert.ok(cases.length >= 11);
  for (const { name, request, expected } of cases) {
    const result = puhui.apr(request);
    for (const [field, value] of Object.entries(expected)) assert.equal(result[field], value, `${name}: ${field}`);
  }
});

test("the 12,000 card installment discloses the CN pair with labels and flags no cap for a card issuer", () => {
  const schedule = vectors("schedules.json").find((v) => v.request.method === "flat-fee" && v.request.principal === "12000.00").request;
  const rate = vectors("apr.json").find((v) => v.request.method === "cn-irr" && v.request.advance === "12000.00").expected;
  const result = puhui.disclose({ schedule, institutionType: "card-issuer" });
  assert.equal(result.cn.rate, rate.rate);
  assert.equal(result.cn.effectiveRate, rate.effectiveRate);
  assert.equal(result.cn.label, "年化利率(单利)");
  assert.equal(result.cn.effectiveLabel, "年化利率(复利)");
  assert.equal(result.caps.compliant, true);
  assert.deepEqual(result.caps.flagged, []);
});

test("solver refusals are typed", () => {
  assert.throws(() => puhui.apr({ method: "cn-irr", advance: "100.00", payments: ["0.00", "0.00"] }), { code: "no-solution" });
  assert.throws(() => puhui.apr({ method: "cn-irr", advance: "100.00", payments: [] }), { code: "bad-flows" });
  assert.throws(() => puhui.apr({ method: "xx", advance: "100.00", payments: ["1.00"] }), (e) => e.code === "unknown-method" || e.code === "invalid-request");
});
