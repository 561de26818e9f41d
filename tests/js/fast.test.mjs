// The fen fast path (scheduleFen, cnIrrFen) in both modules against the shared vectors: the same
// figures as the JSON path, as whole fen; non-integer fen refused with invalid-amount; the JSON
// path's codes for everything else.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { puhui, root, vectors } from "./helpers.mjs";

const calc = await import(pathToFileURL(join(root, "pkg", "web", "puhui_calc.js")).href);
calc.initSync({ module: readFileSync(join(root, "pkg", "web", "puhui_calc_bg.wasm")) });

/** "866.19" → 86619, by string surgery (no float arithmetic on money). */
const fen = (text) => {
  const [whole, frac = ""] = text.split(".");
  return Number(whole + (frac + "00").slice(0, 2));
};
const FIELDS = ["payment", "principal", "interest", "fee", "balance"];

test("scheduleFen gives every plain schedule vector row by row in whole fen, in both modules", () => {
  const plain = vectors("schedules.json").filter(({ request }) => Object.keys(request).every((k) => ["principal", "annualRate", "termMonths", "method"].includes(k)));
  assert.ok(plain.length >= 3, `plain vectors: ${plain.length}`);
  for (const module of [puhui, calc]) {
    for (const { name, request, expected } of plain) {
      const rows = module.scheduleFen(fen(request.principal), request.annualRate, request.termMonths, request.method);
      assert.ok(rows instanceof Float64Array);
      assert.equal(rows.length, expected.installments.length * FIELDS.length, name);
      expected.installments.forEach((row, idx) => FIELDS.forEach((field, k) => assert.equal(rows[idx * FIELDS.length + k], fen(row[field]), `${name} row ${idx + 1} ${field}`)));
    }
  }
});

test("cnIrrFen gives the rate of every regular cn-irr vector, in both modules", () => {
  const regular = vectors("apr.json").filter(({ request }) => request.method === "cn-irr" && request.advance !== undefined);
  assert.ok(regular.length >= 2);
  for (const module of [puhui, calc]) {
    for (const { name, request, expected } of regular) {
      const rate = module.cnIrrFen(fen(request.advance), Float64Array.from(request.payments, fen), request.periodsPerYear ?? 12);
      assert.equal(rate, expected.rate, name);
    }
  }
});

test("whole fen only; other refusals carry the JSON path's codes", () => {
  for (const bad of [100.5, NaN, Infinity, 2 ** 53]) {
    assert.throws(() => calc.scheduleFen(bad, "0.072", 12, "equal-installment"), { code: "invalid-amount", path: "principalFen" }, String(bad));
  }
  assert.throws(() => calc.cnIrrFen(100000, Float64Array.from([50000, 50000.5]), 12), { code: "invalid-amount", path: "paymentsFen[1]" });
  const viaJson = (request) => {
    try {
      puhui.schedule(request);
    } catch (error) {
      return error.code;
    }
    return "no error";
  };
  const viaFen = (...args) => {
    try {
      calc.scheduleFen(...args);
    } catch (error) {
      return error.code;
    }
    return "no error";
  };
  assert.equal(viaFen(1000000, "0.072", 12, "nope"), viaJson({ principal: "10000.00", annualRate: "0.072", termMonths: 12, method: "nope" }));
  assert.equal(viaFen(1000000, "abc", 12, "equal-installment"), viaJson({ principal: "10000.00", annualRate: "abc", termMonths: 12, method: "equal-installment" }));
  assert.equal(viaFen(-100, "0.072", 12, "equal-installment"), viaJson({ principal: "-1.00", annualRate: "0.072", termMonths: 12, method: "equal-installment" }));
  assert.throws(() => calc.cnIrrFen(100000, new Float64Array(0), 12), { code: "bad-flows" });
});
