// The wasm package in Node: every public schedule vector row by row, errors with codes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { puhui, vectors } from "./helpers.mjs";

test("every public schedule vector matches row by row through wasm", () => {
  const cases = vectors("schedules.json");
  assert.ok(cases.length >= 11, `expected the 11 public vectors, found ${cases.length}`);
  for (const { name, request, expected } of cases) {
    const actual = puhui.schedule(request);
    assert.equal(actual.installments.length, expected.installments.length, `${name}: rows`);
    expected.installments.forEach((row, idx) => {
      for (const [field, value] of Object.entries(row)) {
        assert.equal(actual.installments[idx][field], value, `${name}: row ${idx + 1} ${field}`);
      }
    });
    assert.deepEqual(actual.totals, expected.totals, `${name}: totals`);
  }
});

test("money crosses the boundary as decimal strings, never numbers", () => {
  const { request } = vectors("schedules.json")[0];
  const result = puhui.schedule(request);
  for (const row of result.installments) {
    for (const field of ["payment", "principal", "interest", "fee", "balance"]) {
      assert.equal(typeof row[field], "string");
      assert.match(row[field], /^\d+\.\d{2}$/);
    }
  }
});

test("bad input throws an Error with a stable code and path", () => {
  const base = { principal: "10000.00", annualRate: "0.072", termMonths: 12, method: "equal-installment" };
  const cases = [
    [{ principal: "100.001" }, "over-precise-amount", "principal"],
    [{ principal: 10000 }, "invalid-request", "principal"],
    [{ termMonths: 0 }, "invalid-term", "termMonths"],
    [{ method: "balloon" }, "unknown-method", "method"],
    [{ annualRate: "-0.01" }, "invalid-rate", "annualRate"],
    [{ dayCount: "act/365" }, "missing-start-date", "startDate"],
    [{ principal: Number.NaN }, "invalid-request", "principal"],
  ];
  for (const [patch, code, path] of cases) {
    assert.throws(() => puhui.schedule({ ...base, ...patch }), (error) => {
      assert.ok(error instanceof Error);
      assert.equal(error.code, code, JSON.stringify(patch));
      assert.equal(error.path, path, JSON.stringify(patch));
      return true;
    });
  }
  assert.throws(() => puhui.schedule(undefined), { code: "invalid-request" });
  assert.throws(() => puhui.callJson("schedule", "{"), { code: "malformed-json" });
});

test("JSON-text entry point gives the same answer as the object one", () => {
  const { request } = vectors("schedules.json")[7];
  assert.deepEqual(JSON.parse(puhui.callJson("schedule", JSON.stringify(request))), puhui.schedule(request));
});
