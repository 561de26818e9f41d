// The calculator-first module (pkg/web/puhui_calc.js, Cargo feature `full` off) against the
// shared vectors, side by side with the full module: the same JSON text for the same request, and
// the operations it does not carry refused with `operation-unavailable` (not `unknown-operation`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { puhui, root, vectors } from "./helpers.mjs";

const web = join(root, "pkg", "web");
const calc = await import(pathToFileURL(join(web, "puhui_calc.js")).href);
calc.initSync({ module: readFileSync(join(web, "puhui_calc_bg.wasm")) });

test("the calc module exports the page contract and nothing of the full engine", () => {
  for (const name of ["default", "schedule", "apr", "disclose", "engineVersion", "callJson", "call", "operations"]) {
    assert.equal(typeof calc[name], "function", name);
  }
  for (const name of ["Engine", "verifyBundle", "rotateRoot", "subsidy", "scoreLines"]) assert.equal(calc[name], undefined, name);
  assert.deepEqual(calc.operations(), ["schedule", "apr", "disclose"]);
  assert.equal(calc.engineVersion(), puhui.engineVersion());
});

test("every schedule vector matches through the calc module, as the same JSON text as the full module", () => {
  const cases = vectors("schedules.json");
  assert.ok(cases.length >= 11);
  for (const { name, request, expected } of cases) {
    const actual = calc.schedule(request);
    assert.equal(actual.installments.length, expected.installments.length, `${name}: rows`);
    expected.installments.forEach((row, idx) => {
      for (const [field, value] of Object.entries(row)) assert.equal(actual.installments[idx][field], value, `${name}: row ${idx + 1} ${field}`);
    });
    assert.deepEqual(actual.totals, expected.totals, `${name}: totals`);
    const text = JSON.stringify(request);
    assert.equal(calc.callJson("schedule", text), puhui.callJson("schedule", text), `${name}: calc and full differ`);
  }
});

test("every APR vector matches through the calc module, as the same JSON text as the full module", () => {
  const cases = vectors("apr.json");
  assert.ok(cases.length >= 11);
  for (const { name, request, expected } of cases) {
    const result = calc.apr(request);
    for (const [field, value] of Object.entries(expected)) assert.equal(result[field], value, `${name}: ${field}`);
    const text = JSON.stringify(request);
    assert.equal(calc.callJson("apr", text), puhui.callJson("apr", text), `${name}: calc and full differ`);
  }
});

test("disclose gives the same JSON from both modules for every schedule vector", () => {
  for (const { name, request } of vectors("schedules.json")) {
    const text = JSON.stringify({ schedule: request });
    const both = [calc, puhui].map((m) => {
      try {
        return m.callJson("disclose", text);
      } catch (error) {
        return `error ${error.code} ${error.path}`;
      }
    });
    assert.equal(both[0], both[1], name);
  }
  const card = vectors("schedules.json").find((v) => v.request.method === "flat-fee").request;
  assert.equal(calc.disclose({ schedule: card, institutionType: "card-issuer" }).cn.label, "年化利率(单利)");
});

test("errors carry the same code and path in both modules", () => {
  const bad = [
    ["schedule", { principal: "10000.001", annualRate: "0.072", termMonths: 12, method: "equal-installment" }],
    ["schedule", { principal: "10000", annualRate: "0.072", termMonths: 12, method: "nope" }],
    ["schedule", "{not json"],
    ["apr", { method: "cn-irr", advance: "100.00", payments: [] }],
    ["disclose", { schedule: { principal: "1", termMonths: 0, method: "bullet" } }],
  ];
  for (const [op, request] of bad) {
    const codes = [calc, puhui].map((m) => {
      try {
        m.call(op, request);
        return "no error";
      } catch (error) {
        return `${error.code} ${error.path}`;
      }
    });
    assert.notEqual(codes[0], "no error", `${op} ${JSON.stringify(request)}`);
    assert.equal(codes[0], codes[1], `${op} ${JSON.stringify(request)}`);
  }
});

test("operations of the full engine are refused with operation-unavailable; typos stay unknown-operation", () => {
  const { schedule, program, subsidyUsed } = vectors("subsidy.json")[0];
  for (const [op, request] of [["subsidy", { schedule, program, subsidyUsed }], ["score", {}], ["assess", {}]]) {
    assert.throws(() => calc.call(op, request), (e) => e.code === "operation-unavailable" && /full engine/.test(e.message), op);
    assert.throws(() => calc.callJson(op, JSON.stringify(request)), { code: "operation-unavailable" });
  }
  assert.throws(() => calc.call("schedul", {}), { code: "unknown-operation" });
  assert.throws(() => puhui.call("schedul", {}), { code: "unknown-operation" });
});
