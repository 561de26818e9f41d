// Annualized rates through the wasm package: every public APR vector (rate to 6 decimals and the
// display percent exactly), and the disclosure figures the issue names.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { puhui, vectors, root } from "./helpers.mjs";

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

// Issue 12: the independent 50-digit references (tests/independent/apr_reference.py) through
// wasm — negative rates from 80 regular periods up and near −100 % for every method, one case per
// Appendix J (b)(5) rule (yearly unit: 78.34 %), and a rate in the billions with exact integer digits.
test("every independent APR reference matches through wasm", () => {
  const cases = JSON.parse(readFileSync(join(root, "tests", "independent", "apr_reference.json"), "utf8"));
  const failures = [];
  for (const { name, op, request, expected } of cases.filter((c) => c.op === "apr")) {
    let result;
    try {
      result = puhui[op](request);
    } catch (error) {
      failures.push(`${name}: ${error.code} ${error.message}`);
      continue;
    }
    for (const [field, value] of Object.entries(expected)) {
      if (result[field] !== value) failures.push(`${name}: ${field} ${result[field]} != ${value}`);
    }
  }
  assert.deepEqual(failures, []);
  const names = cases.map((c) => c.name);
  for (const required of ["cn-irr 120 payments of 825.00 on 100000.00 (negative)", "cn-irr 0% loan rounded down, 120 x 833.33",
    "us-regz yearly unit, odd part in days (b)(5)(v)(B)", "us-regz one day at 999999900% a day"]) {
    assert.ok(names.includes(required), required);
  }
});
