// The calculator module solves every rate on decimals alone (the full engine's integer grid, its
// integer level payment and its 64-bit accrual are compiled out of it for size: docs/size.md,
// session 11). The two modules must still give the same JSON text, byte for byte, or the same
// error (code, path and message) for every request: this runs a generated corpus through both —
// everyday loans, sub-fen and trillion-yuan amounts, under-repaid (negative) rates, one to 360
// periods, every regime and unit period, dated and regular flows, every schedule method, fee,
// day count and rounding rule — and compares them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { puhui, root } from "./helpers.mjs";

const web = join(root, "pkg", "web");
const calc = await import(pathToFileURL(join(web, "puhui_calc.js")).href);
calc.initSync({ module: readFileSync(join(web, "puhui_calc_bg.wasm")) });

/** A deterministic generator (xorshift64*): the same corpus on every run. */
function generator(seed) {
  let state = BigInt(seed);
  const mask = (1n << 64n) - 1n;
  return (below) => {
    state ^= state >> 12n;
    state ^= (state << 25n) & mask;
    state ^= state >> 27n;
    const out = (state * 0x2545f4914f6cdd1dn) & mask;
    return Number(out % BigInt(below));
  };
}

/** `fen` whole fen as a decimal yuan string ("12.34"). */
function yuan(fen) {
  const sign = fen < 0n ? "-" : "";
  const abs = fen < 0n ? -fen : fen;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

function isoDate(start, days) {
  const d = new Date(Date.UTC(2024, 0, 1) + (start + days) * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** An advance in fen: everyday most of the time, sometimes one fen or a trillion yuan. */
function advanceFen(next) {
  switch (next(8)) {
    case 0:
      return BigInt(1 + next(100));
    case 1:
      return BigInt(1 + next(1_000_000)) * 100_000_000n;
    default:
      return BigInt(100_000 + next(50_000_000));
  }
}

/** Payments repaying `advance` fen with a growth factor in thousandths (≤ 1000: under-repaid). */
function paymentsFen(next, advance, count) {
  const factor = BigInt([500, 990, 1000, 1010, 1072, 1150, 1400, 3000, 1_000_000][next(9)]);
  const total = (advance * factor) / 1000n;
  const payments = [];
  for (let k = 0; k < count; k += 1) {
    const share = next(4) === 0 ? BigInt(next(3)) : 1n;
    payments.push((total * share) / BigInt(count) + BigInt(next(3)));
  }
  return payments;
}

function aprRequest(next) {
  const count = [1, 2, 3, 6, 12, 24, 36, 60, 120, 360][next(10)];
  const advance = advanceFen(next);
  const payments = paymentsFen(next, advance, count);
  const start = next(3000);
  const kind = next(5);
  if (kind === 0) {
    return {
      method: "cn-irr",
      periodsPerYear: [1, 2, 4, 12, 24, 52, 365][next(7)],
      advance: yuan(advance),
      payments: payments.map(yuan),
    };
  }
  let day = 0;
  const dated = payments.map((fen) => {
    day += [1, 7, 14, 15, 28, 30, 31, 91][next(8)];
    return { date: isoDate(start, day), amount: yuan(fen) };
  });
  const advances = [{ date: isoDate(start, 0), amount: yuan(advance) }];
  if (next(6) === 0) advances.push({ date: isoDate(start, 1 + next(20)), amount: yuan(advance / 3n) });
  if (kind === 1) return { method: "cn-irr", advances, payments: dated };
  if (kind === 2) return { method: "eu-aprc", timeBasis: ["actual", "equal-months"][next(2)], advances, payments: dated };
  return {
    method: "us-regz",
    unitPeriod: ["month", "semimonth", "week", "day"][next(4)],
    unitMultiple: [1, 1, 1, 2, 3][next(5)],
    advances,
    payments: dated,
  };
}

function scheduleRequest(next) {
  const method = ["equal-installment", "equal-principal", "interest-only", "bullet", "flat-fee"][next(5)];
  const principal = advanceFen(next);
  const request = {
    principal: yuan(principal),
    termMonths: [1, 3, 6, 12, 24, 36, 60, 120, 360, 600][next(10)],
    method,
  };
  if (method === "flat-fee") request.feeRate = `0.00${1 + next(9)}${next(10)}`;
  else request.annualRate = ["0", "0.0001", "0.036", "0.072", "0.1234567", "0.24", "0.36", "1.5", "12"][next(9)];
  if (next(2) === 0) {
    request.startDate = isoDate(next(3000), 0);
    request.dayCount = ["30/360", "act/360", "act/365"][next(3)];
  }
  if (next(3) === 0) request.rounding = ["half-up", "half-even", "down"][next(3)];
  if (next(3) === 0) {
    request.fees = [
      {
        kind: ["service", "guarantee", "insurance", "membership", "installment", "other"][next(6)],
        timing: ["upfront-deducted", "upfront-paid", "per-period"][next(3)],
        ...(next(2) === 0 ? { amount: yuan(BigInt(next(100_000))) } : { rate: `0.0${next(10)}` }),
      },
    ];
  }
  return request;
}

/** The JSON text a module answers, or its error's code, path and message. */
function answer(module, op, text) {
  try {
    return module.callJson(op, text);
  } catch (error) {
    return `error ${error.code} ${error.path} ${error.message}`;
  }
}

function agree(op, build, cases, seed) {
  const next = generator(seed);
  let answered = 0;
  const differ = [];
  for (let i = 0; i < cases; i += 1) {
    const text = JSON.stringify(build(next));
    const full = answer(puhui, op, text);
    const small = answer(calc, op, text);
    if (small !== full) differ.push(`${op} ${text}\n  calc ${small}\n  full ${full}`);
    if (!full.startsWith("error ")) answered += 1;
  }
  assert.deepEqual(differ, [], `${differ.length} of ${cases} differ`);
  return answered;
}

test("apr: the calc module answers every generated request as the full engine does", () => {
  const answered = agree("apr", aprRequest, 1500, 0x5eed_a9e);
  // The corpus is mostly answerable: a generator that produced only refusals would compare nothing.
  assert.ok(answered > 1000, `${answered} of 1500 answered`);
});

test("disclose: the calc module answers every generated loan as the full engine does", () => {
  const answered = agree("disclose", (next) => ({ schedule: scheduleRequest(next) }), 600, 0xd15c_105e);
  assert.ok(answered > 400, `${answered} of 600 answered`);
});

test("schedule: the calc module writes every generated loan as the full engine does", () => {
  const answered = agree("schedule", scheduleRequest, 600, 0x5c4e_d01e);
  assert.ok(answered > 400, `${answered} of 600 answered`);
});
