// The fen fast path (scheduleFen, scheduleFenParts, cnIrrFen, cnXirrFen) of the full engine against the shared vectors: the
// same figures as the JSON path (of both modules), as whole fen; non-integer fen refused with
// invalid-amount; the JSON path's codes for everything else. The calculator-first module has no
// fen doors (it carries the JSON contract a first figure needs).
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

test("scheduleFen gives every plain schedule vector row by row in whole fen", () => {
  const plain = vectors("schedules.json").filter(({ request }) => Object.keys(request).every((k) => ["principal", "annualRate", "termMonths", "method"].includes(k)));
  assert.ok(plain.length >= 3, `plain vectors: ${plain.length}`);
  for (const module of [puhui]) {
    for (const { name, request, expected } of plain) {
      const rows = module.scheduleFen(fen(request.principal), request.annualRate, request.termMonths, request.method);
      assert.ok(rows instanceof Float64Array);
      assert.equal(rows.length, expected.installments.length * FIELDS.length, name);
      expected.installments.forEach((row, idx) => FIELDS.forEach((field, k) => assert.equal(rows[idx * FIELDS.length + k], fen(row[field]), `${name} row ${idx + 1} ${field}`)));
    }
  }
});

/** A decimal rate text as scheduleFenParts' integer parts ("0.0425" → [425, 4]), by string surgery. */
const rateParts = (text) => {
  const negative = text.startsWith("-");
  const [whole, frac = ""] = text.replace(/^-/, "").split(".");
  return [(negative ? -1 : 1) * Number(whole + frac), frac.length];
};
const METHODS = ["equal-installment", "equal-principal", "interest-only", "bullet", "flat-fee"];

test("scheduleFenParts gives scheduleFen's rows and refusals from integer rate parts and a method code", () => {
  let compared = 0;
  let state = 12345;
  const next = (n) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  const outcome = (fn) => {
    try {
      return Array.from(fn());
    } catch (error) {
      return { code: error.code, path: error.path };
    }
  };
  for (let idx = 0; idx < 600; idx++) {
    const principalFen = [1, 100, 3000000, 99999999999, 100000000000001][next(5)] + next(1000);
    const scale = next(14);
    const units = [0, 1, 425, 72000, 240000000, 10 ** 13][next(6)] * (next(20) === 0 ? -1 : 1) + next(10);
    const text = scale === 0 ? String(units) : `${units < 0 ? "-" : ""}${String(Math.abs(units)).padStart(scale + 1, "0").replace(new RegExp(`(\\d{${scale}})$`), ".$1")}`;
    const term = [1, 12, 36, 360, 0, 601][next(6)];
    const code = next(7);
    for (const module of [puhui]) {
      const viaText = outcome(() => module.scheduleFen(principalFen, text, term, METHODS[code] ?? String(code)));
      const viaParts = outcome(() => module.scheduleFenParts(principalFen, ...rateParts(text), term, code));
      if (code < METHODS.length || viaParts.code !== "unknown-method") assert.deepEqual(viaParts, viaText, `${principalFen} ${text} ${term} ${code}`);
      compared += Array.isArray(viaParts) ? 1 : 0;
    }
  }
  assert.ok(compared > 100, `${compared} schedules compared`);
  // Every plain vector, and what only integer parts can spell wrong.
  const plain = vectors("schedules.json").filter(({ request }) => Object.keys(request).every((k) => ["principal", "annualRate", "termMonths", "method"].includes(k)));
  for (const { name, request, expected } of plain) {
    const rows = puhui.scheduleFenParts(fen(request.principal), ...rateParts(request.annualRate), request.termMonths, METHODS.indexOf(request.method));
    expected.installments.forEach((row, idx) => FIELDS.forEach((field, k) => assert.equal(rows[idx * FIELDS.length + k], fen(row[field]), `${name} row ${idx + 1} ${field}`)));
  }
  for (const [units, scale] of [[0.5, 4], [NaN, 4], [2 ** 53, 0], [425, 29]]) {
    assert.throws(() => puhui.scheduleFenParts(3000000, units, scale, 12, 0), { code: "malformed-decimal", path: "annualRate" }, `${units} ${scale}`);
  }
  assert.throws(() => puhui.scheduleFenParts(3000000, 425, 4, 12, 9), { code: "unknown-method" });
  // Written decimals past parse_rate's 20 (trailing zeros): refused as the rate's text is, in
  // the text door's order (the rate before the term), at every scale up to Decimal's 28.
  for (const module of [puhui]) {
    for (let scale = 18; scale <= 28; scale++) {
      for (const [units, term] of [[0, 360], [4250000000000000, 12], [0, 601]]) {
        const text = `0.${String(units).padStart(scale, "0")}`;
        assert.deepEqual(
          outcome(() => module.scheduleFenParts(480722, units, scale, term, 0)),
          outcome(() => module.scheduleFen(480722, text, term, "equal-installment")),
          `${units} ${scale} ${term}`,
        );
      }
    }
  }
  assert.deepEqual(Array.from(puhui.scheduleFenParts(3000000, 4250000000000, 14, 12, 0)), Array.from(puhui.scheduleFen(3000000, "0.04250000000000", 12, "equal-installment")));
});

test("scheduleFen and scheduleFenParts give the schedule operation's rows and refusals on generated plain loans", () => {
  // Every method, terms 0-601, rates from zero past 1000 at scales 0-14 (whole percents make
  // exact half-fen ties), principals from 1 fen past one trillion yuan: the fen doors' plain
  // path (schedule::plain_rows) and their general path against the JSON operation.
  let state = 0x2545f491;
  const next = (n) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
  const yuan = (fenValue) => `${Math.floor(fenValue / 100)}.${String(fenValue % 100).padStart(2, "0")}`;
  const rateText = (units, scale) => (scale === 0 ? String(units) : `${String(units).padStart(scale + 1, "0").replace(new RegExp(`(\\d{${scale}})$`), ".$1")}`);
  const refusal = (error) => ({ code: error.code, path: error.path === "principalFen" ? "principal" : error.path });
  const viaJson = (request) => {
    try {
      const text = puhui.callJson("schedule", JSON.stringify(request));
      assert.equal(calc.callJson("schedule", JSON.stringify(request)), text, "the calculator module's schedule");
      const figures = JSON.parse(text).installments.flatMap((row) => FIELDS.map((field) => row[field].replace(".", "")));
      // A figure past 2^53 - 1 fen has no exact double: the fen doors refuse it.
      if (figures.some((digits) => BigInt(digits) > BigInt(Number.MAX_SAFE_INTEGER))) return { code: "invalid-amount", path: "result" };
      return figures.map(Number);
    } catch (error) {
      if (error instanceof assert.AssertionError) throw error;
      assert.throws(() => calc.callJson("schedule", JSON.stringify(request)), { code: error.code, path: error.path }, "the calculator module's refusal");
      return refusal(error);
    }
  };
  const viaFen = (fn) => {
    try {
      return Array.from(fn());
    } catch (error) {
      return refusal(error);
    }
  };
  let rows = 0;
  for (let idx = 0; idx < 500; idx++) {
    const principalFen = [1 + next(100), 1 + next(100000), 1 + next(1e9), 1 + next(1e9) * 1e5 + next(1e5), 1e14 - next(3), [0, 1e14 + 1, 30000000][next(3)]][idx % 6];
    const scale = next(15);
    const units = [0, (1 + next(24)) * 10 ** Math.max(scale - 2, 0), next(1000), next(10 ** Math.min(scale, 12) + 1), 1000 * 10 ** scale + next(2), 425 * 10 ** Math.max(scale - 4, 0)][idx % 6];
    if (!Number.isSafeInteger(units)) continue;
    const term = [1 + next(600), 1 + next(12), [0, 1, 600, 601][next(4)], 1 + next(360)][idx % 4];
    const code = next(5);
    const text = rateText(units, scale);
    const expected = viaJson({ principal: yuan(principalFen), annualRate: text, termMonths: term, method: METHODS[code] });
    for (const module of [puhui]) {
      const label = `${principalFen} ${text} ${term} ${METHODS[code]}`;
      assert.deepEqual(viaFen(() => module.scheduleFenParts(principalFen, units, scale, term, code)), expected, `parts ${label}`);
      assert.deepEqual(viaFen(() => module.scheduleFen(principalFen, text, term, METHODS[code])), expected, `text ${label}`);
    }
    rows += Array.isArray(expected) ? expected.length / FIELDS.length : 0;
  }
  assert.ok(rows > 20000, `${rows} rows compared`);
});

test("cnIrrFen gives the rate of every regular cn-irr vector", () => {
  const regular = vectors("apr.json").filter(({ request }) => request.method === "cn-irr" && request.advance !== undefined);
  assert.ok(regular.length >= 2);
  for (const module of [puhui]) {
    for (const { name, request, expected } of regular) {
      const rate = module.cnIrrFen(fen(request.advance), Float64Array.from(request.payments, fen), request.periodsPerYear ?? 12);
      assert.equal(rate, expected.rate, name);
    }
  }
});

// Roots exactly on a half-up tie (tests/apr_ties.rs: the Rust doors against closed forms): the wasm
// fen door settles them as the apr operation does. Interest-only: 2·10^dp·ppy·j fen at (2k+1)·j fen a
// period is exactly (2k+1)/(2·10^dp) a year; half-up rounds it up.
test("cnIrrFen rounds a root on a half-up tie up, as apr does", () => {
  const cases = [];
  for (const ppy of [1, 12, 365]) {
    for (const k of [0, 1, 7, 260499]) {
      const advance = 2 * 1e6 * ppy;
      const interest = 2 * k + 1;
      const payments = [interest, interest, advance + interest];
      // (k + ½) millionths, rounded half-up: k + 1.
      cases.push({ advance, payments, ppy, rate: ((k + 1) / 1e6).toFixed(6) });
    }
  }
  for (const module of [puhui]) {
    for (const { advance, payments, ppy, rate } of cases) {
      const yuan = (f) => `${Math.trunc(f / 100)}.${String(f % 100).padStart(2, "0")}`;
      const viaApr = module.apr({ method: "cn-irr", advance: yuan(advance), payments: payments.map(yuan), periodsPerYear: ppy }).rate;
      assert.equal(viaApr, rate, `apr ${advance} ${payments} ${ppy}`);
      assert.equal(module.cnIrrFen(advance, Float64Array.from(payments), ppy), rate, `cnIrrFen ${advance} ${payments} ${ppy}`);
    }
  }
});

test("whole fen only; other refusals carry the JSON path's codes", () => {
  for (const bad of [100.5, NaN, Infinity, -Infinity]) {
    assert.throws(() => puhui.scheduleFen(bad, "0.072", 12, "equal-installment"), { code: "invalid-amount", path: "principalFen" }, String(bad));
  }
  // Above one trillion yuan (2^53 fen included) the fast path says what the JSON path says.
  for (const big of [100000000000001, 2 ** 53, 1e20]) {
    assert.throws(() => puhui.scheduleFen(big, "0.072", 12, "equal-installment"), { code: "out-of-range", path: "principalFen" }, String(big));
  }
  assert.throws(() => puhui.schedule({ principal: "1000000000000.01", annualRate: "0.072", termMonths: 12, method: "equal-installment" }), { code: "out-of-range" });
  assert.throws(() => puhui.cnIrrFen(100000, Float64Array.from([50000, 50000.5]), 12), { code: "invalid-amount", path: "paymentsFen[1]" });
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
      puhui.scheduleFen(...args);
    } catch (error) {
      return error.code;
    }
    return "no error";
  };
  assert.equal(viaFen(1000000, "0.072", 12, "nope"), viaJson({ principal: "10000.00", annualRate: "0.072", termMonths: 12, method: "nope" }));
  assert.equal(viaFen(1000000, "abc", 12, "equal-installment"), viaJson({ principal: "10000.00", annualRate: "abc", termMonths: 12, method: "equal-installment" }));
  assert.equal(viaFen(-100, "0.072", 12, "equal-installment"), viaJson({ principal: "-1.00", annualRate: "0.072", termMonths: 12, method: "equal-installment" }));
  assert.throws(() => puhui.cnIrrFen(100000, new Float64Array(0), 12), { code: "bad-flows" });
  // Above MAX_AMOUNT (one trillion yuan) the fast path refuses what the JSON path refuses.
  assert.throws(() => puhui.apr({ method: "cn-irr", advance: "1000000000000.01", payments: ["1.00"] }), { code: "out-of-range" });
  assert.throws(() => puhui.cnIrrFen(100000000000001, Float64Array.from([100]), 12), { code: "out-of-range", path: "advanceFen" });
  for (const module of [puhui]) {
    assert.throws(() => module.cnIrrFen(100000, Float64Array.from([100, 1e15]), 12), { code: "out-of-range", path: "paymentsFen[1]" });
    assert.throws(() => module.cnXirrFen("2025-01-31", 100000, Float64Array.from([1e16]), Int32Array.from([31]), 365), { code: "out-of-range", path: "paymentsFen[0]" });
    // More payments than the JSON path allows (limits::MAX_PAYMENTS) are refused the same way.
    assert.throws(() => module.cnIrrFen(100000, new Float64Array(2701).fill(100), 12), { code: "limit-exceeded", path: "paymentsFen[2700]" });
    assert.throws(() => puhui.apr({ method: "cn-irr", advance: "1000.00", payments: Array(2701).fill("1.00") }), { code: "limit-exceeded", path: "payments[2700]" });
  }
});

/** Whole days from `start` to `date` (both `YYYY-MM-DD`), on UTC calendar days. */
const daysBetween = (start, date) => (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000;

test("cnXirrFen gives apr's dated cn-irr rates exactly, and agrees with the xirr package", async () => {
  const { default: xirr } = await import("xirr");
  const plans = [
    { principal: "100000.00", annualRate: "0.0725", termMonths: 12, method: "equal-installment", startDate: "2025-01-15", fees: [{ kind: "service", timing: "upfront-deducted", amount: "1000.00" }] },
    { principal: "5000.00", annualRate: "0.18", termMonths: 6, method: "equal-principal", startDate: "2024-01-31" },
    { principal: "20000.00", annualRate: "0.0435", termMonths: 36, method: "interest-only", startDate: "2023-02-28", firstDueDate: "2023-04-10" },
    { principal: "8800.00", annualRate: "0.24", termMonths: 1, method: "bullet", startDate: "2026-12-31", fees: [{ kind: "guarantee", timing: "upfront-deducted", rate: "0.02" }] },
  ];
  let compared = 0;
  for (const plan of plans) {
    const schedule = puhui.schedule(plan);
    for (const yearDays of [365, 360]) {
      const request = { method: "cn-irr", advances: [{ date: plan.startDate, amount: schedule.amountReceived }], payments: schedule.installments.map((row) => ({ date: row.dueDate, amount: row.payment })), yearDays };
      const expected = puhui.apr(request);
      const paymentsFen = Float64Array.from(schedule.installments, (row) => fen(row.payment));
      const paymentDays = Int32Array.from(schedule.installments, (row) => daysBetween(plan.startDate, row.dueDate));
      for (const module of [puhui]) {
        const [rate, effectiveRate] = module.cnXirrFen(plan.startDate, fen(schedule.amountReceived), paymentsFen, paymentDays, yearDays);
        assert.equal(rate, expected.rate, `${plan.method} ${yearDays}`);
        assert.equal(effectiveRate, expected.effectiveRate, `${plan.method} ${yearDays}`);
      }
      if (yearDays === 365) {
        // An independent float solver on the same flows: (1 + daily)^365 − 1 is xirr's rate.
        const flows = [{ amount: -Number(schedule.amountReceived), when: new Date(`${plan.startDate}T00:00:00Z`) }, ...schedule.installments.map((row) => ({ amount: Number(row.payment), when: new Date(`${row.dueDate}T00:00:00Z`) }))];
        assert.ok(Math.abs(xirr(flows) - Number(expected.effectiveRate)) < 1e-6, `${plan.method}: xirr ${xirr(flows)} vs ${expected.effectiveRate}`);
      }
      compared += 1;
    }
  }
  assert.equal(compared, plans.length * 2);
});

test("cnXirrFen refuses what apr refuses, with the fast path's argument names", () => {
  const days = Int32Array.from([31, 59]);
  const pay = Float64Array.from([51000, 51000]);
  assert.throws(() => puhui.cnXirrFen("2025-02-30", 100000, pay, days, 365), { code: "bad-flows", path: "startDate" });
  assert.throws(() => puhui.cnXirrFen("2025-01-31", 100000, pay, days, 364), { code: "invalid-option", path: "yearDays" });
  assert.throws(() => puhui.cnXirrFen("2025-01-31", 100000, pay, Int32Array.from([31]), 365), { code: "invalid-argument", path: "paymentDays" });
  assert.throws(() => puhui.cnXirrFen("2025-01-31", 100000, Float64Array.from([51000, 0.5]), days, 365), { code: "invalid-amount", path: "paymentsFen[1]" });
  assert.throws(() => puhui.cnXirrFen("2025-01-31", 100000, pay, Int32Array.from([31, 2 ** 30]), 365), { code: "bad-flows", path: "paymentDays[1]" });
  assert.throws(() => puhui.cnXirrFen("2025-01-31", 1e15, pay, days, 365), { code: "out-of-range", path: "advanceFen" });
  // The JSON door's code for a payment before the advance is the fast path's too.
  const viaJson = (() => {
    try {
      puhui.apr({ method: "cn-irr", advances: [{ date: "2025-01-31", amount: "1000.00" }], payments: [{ date: "2025-01-01", amount: "510.00" }, { date: "2025-03-31", amount: "510.00" }] });
    } catch (error) {
      return error.code;
    }
    return "no error";
  })();
  assert.throws(() => puhui.cnXirrFen("2025-01-31", 100000, pay, Int32Array.from([-30, 59]), 365), { code: viaJson, path: "payments[0].date" });
  // apr's order: the year basis is judged before the flows.
  assert.throws(() => puhui.cnXirrFen("2025-02-30", 100000, pay, days, 364), { code: "invalid-option", path: "yearDays" });
});

test("the calculator-first module has no fen doors: they are the full engine's", () => {
  for (const name of ["scheduleFen", "scheduleFenParts", "cnIrrFen", "cnXirrFen"]) {
    assert.equal(typeof puhui[name], "function", name);
    assert.equal(calc[name], undefined, name);
  }
});

test("the fen doors refuse numbers that are not whole and arguments of the wrong JS type, as the JSON doors do", () => {
  // Found by a newcomer: wasm-bindgen's u32 parameters truncated silently (termMonths 1.5 gave a
  // 1-month schedule, 2^32 + 12 a 12-month one, -1 read as 4294967295), and a missing array or a
  // number for a string threw a host TypeError instead of a PuhuiError.
  const jsonCode = (request) => {
    try {
      puhui.schedule(request);
    } catch (error) {
      return { code: error.code, path: error.path };
    }
    return "no error";
  };
  const plain = { principal: "1000.00", annualRate: "0.12", method: "equal-installment" };
  assert.throws(() => puhui.scheduleFen(100000, "0.12", 1.5, "equal-installment"), { name: "PuhuiError", code: "invalid-request", path: "termMonths" });
  assert.throws(() => puhui.scheduleFenParts(100000, 12, 2, 1.5, 0), { code: "invalid-request", path: "termMonths" });
  assert.throws(() => puhui.scheduleFen(100000, "0.12", NaN, "equal-installment"), { code: "invalid-request", path: "termMonths" });
  for (const term of [2 ** 32 + 12, -1, 601, 0]) {
    const expected = jsonCode({ ...plain, termMonths: term });
    assert.notEqual(expected, "no error", String(term));
    assert.throws(() => puhui.scheduleFen(100000, "0.12", term, "equal-installment"), (error) => error.code === expected.code, String(term));
    assert.throws(() => puhui.scheduleFenParts(100000, 12, 2, term, 0), (error) => error.code === expected.code, String(term));
  }
  assert.throws(() => puhui.scheduleFenParts(100000, 12, 2, 12, 1.5), { code: "unknown-method" });
  assert.throws(() => puhui.scheduleFenParts(100000, 12, 1.5, 12, 0), { code: "malformed-decimal", path: "annualRate" });
  assert.throws(() => puhui.scheduleFen(100000), { name: "PuhuiError", code: "invalid-argument", path: "annualRate" });
  assert.throws(() => puhui.scheduleFen(100000, 0.12, 12, "bullet"), { name: "PuhuiError", code: "invalid-argument", path: "annualRate" });
  assert.throws(() => puhui.scheduleFen(100000, "0.12", 12, 3), { code: "invalid-argument", path: "method" });
  assert.throws(() => puhui.cnIrrFen(1e6, null, 12), { name: "PuhuiError", code: "invalid-argument", path: "paymentsFen" });
  assert.throws(() => puhui.cnIrrFen(1e6, undefined, 12), { code: "invalid-argument", path: "paymentsFen" });
  assert.throws(() => puhui.cnIrrFen(100000, [60000, 60000], 12.5), { code: "invalid-request", path: "periodsPerYear" });
  assert.throws(() => puhui.cnIrrFen(100000, [60000, 60000], 2 ** 32 + 12), { code: "invalid-option", path: "periodsPerYear" });
  // A plain array of numbers is read as a Float64Array; a non-number in it is not whole fen.
  assert.equal(puhui.cnIrrFen(100000, [60000, 60000], 12), puhui.cnIrrFen(100000, Float64Array.from([60000, 60000]), 12));
  assert.throws(() => puhui.cnIrrFen(100000, [60000, "x"], 12), { code: "invalid-amount", path: "paymentsFen[1]" });
  const pay = Float64Array.from([51000, 51000]);
  assert.deepEqual(puhui.cnXirrFen("2025-01-31", 100000, [51000, 51000], [31, 59], 365), puhui.cnXirrFen("2025-01-31", 100000, pay, Int32Array.from([31, 59]), 365));
  assert.throws(() => puhui.cnXirrFen("2025-01-31", 100000, pay, [31.5, 59], 365), { code: "invalid-request", path: "paymentDays[0]" });
  assert.throws(() => puhui.cnXirrFen("2025-01-31", 100000, pay, null, 365), { code: "invalid-argument", path: "paymentDays" });
  assert.throws(() => puhui.cnXirrFen(20250131, 100000, pay, [31, 59], 365), { code: "invalid-argument", path: "startDate" });
  assert.throws(() => puhui.cnXirrFen("2025-01-31", 100000, pay, [31, 59], 365.5), { code: "invalid-request", path: "yearDays" });
  assert.throws(() => puhui.cnXirrFen("2025-01-31", 100000, pay, [31, 59], 2 ** 32 + 365), { code: "invalid-option", path: "yearDays" });
});
