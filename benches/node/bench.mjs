// Side-by-side benchmark of the wasm package against float JS peers, in one Node process.
// Every comparison runs interleaved rounds (each contender in turn, ROUNDS times) and reports the
// median µs per call, and the ratio peer ÷ puhui (above 1: puhui is faster).
// A peer is timed only when its answer agrees with puhui's exact one (finite and within the
// stated tolerance); a peer that returns NaN, throws or disagrees is reported as such, untimed.
// puhui is timed through three doors: the object API (`schedule`, `apr`), the JSON-text door
// (`callJson`) and the fen fast path (`scheduleFen`, `scheduleFenParts` with no text at all, `cnIrrFen`,
// `cnXirrFen`: integer fen in typed arrays).
// Usage: node benches/node/bench.mjs [--json] [--quick]
import { createRequire } from "node:module";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { agree } from "./agree.mjs";

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const puhui = require(join(root, "pkg", "node", "puhui.js"));
const loanjs = require("loanjs");
const financial = require("financial");
const xirr = require("xirr");
const formulajs = require("@formulajs/formulajs");

const quick = process.argv.includes("--quick");
const ROUNDS = quick ? 5 : 15;
const ROUND_MS = quick ? 15 : 40;
const WARMUP_MS = quick ? 50 : 150;

/** µs per call of `fn` over about `ms` of wall time (after the warm-up the caller did). */
function timeOnce(fn, ms) {
  let iterations = 0;
  const start = process.hrtime.bigint();
  const limit = BigInt(ms) * 1_000_000n;
  let elapsed = 0n;
  let batch = 1;
  while (elapsed < limit) {
    for (let i = 0; i < batch; i++) fn();
    iterations += batch;
    batch = Math.min(batch * 2, 256);
    elapsed = process.hrtime.bigint() - start;
  }
  return Number(elapsed) / 1000 / iterations;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Interleaved rounds over `contenders` ({name, fn}); returns the median µs of each. */
function race(contenders) {
  // Warm-up by time, not by count: a 12-row schedule needs thousands of calls before V8 has
  // tiered up the glue and the engine's first samples stop carrying compilation.
  for (const c of contenders) timeOnce(c.fn, WARMUP_MS);
  const samples = contenders.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    contenders.forEach((c, idx) => samples[idx].push(timeOnce(c.fn, ROUND_MS)));
  }
  return contenders.map((c, idx) => ({ name: c.name, us: median(samples[idx]) }));
}

const results = [];
function compare(group, ours, peers) {
  const timedPeers = [];
  const refused = [];
  for (const peer of peers) {
    const check = agree(peer.check, peer.exact, peer.tolerance);
    if (check.ok) timedPeers.push(peer);
    else refused.push({ name: peer.name, why: check.why });
  }
  const timed = race([...ours, ...timedPeers]);
  const byName = Object.fromEntries(timed.map((t) => [t.name, t.us]));
  const fastest = Math.min(...ours.map((o) => byName[o.name]));
  const row = { group, puhui: ours.map((o) => ({ door: o.name, us: round(byName[o.name]) })), peers: [] };
  for (const peer of timedPeers) row.peers.push({ name: peer.name, us: round(byName[peer.name]), ratio: round(byName[peer.name] / fastest), ratioObjectApi: round(byName[peer.name] / byName[ours[0].name]) });
  for (const peer of refused) row.peers.push({ name: peer.name, refused: peer.why });
  results.push(row);
}
const round = (x) => Number(x.toPrecision(3));

// ---- schedules: 12, 36, 360 rows, equal installments, 30/360 (what loanjs computes) ---------
for (const term of [12, 36, 360]) {
  const request = { principal: "300000.00", annualRate: "0.0425", termMonths: term, method: "equal-installment" };
  const text = JSON.stringify(request);
  const exact = puhui.schedule(request);
  if (String(puhui.scheduleFenParts(30000000, 425, 4, term, 0)) !== String(puhui.scheduleFen(30000000, "0.0425", term, "equal-installment"))) throw new Error("scheduleFenParts disagrees with scheduleFen");
  const firstPayment = Number(exact.installments[0].payment);
  compare(`schedule ${term} rows`, [
    { name: "puhui object API", fn: () => puhui.schedule(request) },
    { name: "puhui callJson", fn: () => puhui.callJson("schedule", text) },
    { name: "puhui scheduleFen", fn: () => puhui.scheduleFen(30000000, "0.0425", term, "equal-installment") },
    { name: "puhui scheduleFenParts", fn: () => puhui.scheduleFenParts(30000000, 425, 4, term, 0) },
  ], [
    { name: "loanjs (f64)", fn: () => new loanjs.Loan(300000, term, 4.25), check: () => new loanjs.Loan(300000, term, 4.25).installments[0].installment, exact: firstPayment, tolerance: 0.01 },
  ]);
}

// ---- regular flows: 12, 60, 360 monthly payments, CN IRR vs float IRR solvers --------------
for (const n of [12, 60, 360]) {
  const plan = puhui.schedule({ principal: "100000.00", annualRate: "0.0725", termMonths: n, method: "equal-installment", fees: [{ kind: "service", timing: "upfront-deducted", amount: "1000.00" }] });
  const payments = plan.installments.map((row) => row.payment);
  const request = { method: "cn-irr", advance: plan.amountReceived, payments };
  const text = JSON.stringify(request);
  const exact = Number(puhui.apr(request).rate);
  const flows = [-Number(plan.amountReceived), ...payments.map(Number)];
  const fen = Float64Array.from(payments, (p) => Math.round(Number(p) * 100));
  const advanceFen = Math.round(Number(plan.amountReceived) * 100);
  if (puhui.cnIrrFen(advanceFen, fen, 12) !== puhui.apr(request).rate) throw new Error("cnIrrFen disagrees with apr");
  const annual = (periodic) => periodic * 12;
  compare(`cn-irr ${n} regular flows`, [
    { name: "puhui object API", fn: () => puhui.apr(request) },
    { name: "puhui callJson", fn: () => puhui.callJson("apr", text) },
    { name: "puhui cnIrrFen", fn: () => puhui.cnIrrFen(advanceFen, fen, 12) },
  ], [
    { name: "financial.irr default guess (f64)", fn: () => financial.irr(flows), check: () => annual(financial.irr(flows)), exact, tolerance: 1e-6 },
    { name: "financial.irr guess 0.005 (f64)", fn: () => financial.irr(flows, 0.005), check: () => annual(financial.irr(flows, 0.005)), exact, tolerance: 1e-6 },
    { name: "formulajs.IRR (f64)", fn: () => formulajs.IRR(flows), check: () => annual(formulajs.IRR(flows)), exact, tolerance: 1e-6 },
  ]);

  // ---- dated flows (XIRR): the same plan on calendar dates ----------------------------------
  const datedPlan = puhui.schedule({ principal: "100000.00", annualRate: "0.0725", termMonths: n, method: "equal-installment", startDate: "2025-01-15", fees: [{ kind: "service", timing: "upfront-deducted", amount: "1000.00" }] });
  const dated = { method: "cn-irr", advances: [{ date: "2025-01-15", amount: datedPlan.amountReceived }], payments: datedPlan.installments.map((row) => ({ date: row.dueDate, amount: row.payment })) };
  const datedText = JSON.stringify(dated);
  const exactX = Number(puhui.apr(dated).effectiveRate);
  const datedFen = Float64Array.from(datedPlan.installments, (row) => Math.round(Number(row.payment) * 100));
  const datedAdvanceFen = Math.round(Number(datedPlan.amountReceived) * 100);
  const datedDays = Int32Array.from(datedPlan.installments, (row) => (Date.parse(`${row.dueDate}T00:00:00Z`) - Date.parse("2025-01-15T00:00:00Z")) / 86_400_000);
  if (puhui.cnXirrFen("2025-01-15", datedAdvanceFen, datedFen, datedDays, 365)[1] !== puhui.apr(dated).effectiveRate) throw new Error("cnXirrFen disagrees with apr");
  const txns = [{ amount: -Number(datedPlan.amountReceived), when: new Date("2025-01-15T00:00:00Z") }, ...datedPlan.installments.map((row) => ({ amount: Number(row.payment), when: new Date(`${row.dueDate}T00:00:00Z`) }))];
  const values = txns.map((t) => t.amount);
  const dates = txns.map((t) => t.when);
  compare(`cn-irr ${n} dated flows (XIRR)`, [
    { name: "puhui object API", fn: () => puhui.apr(dated) },
    { name: "puhui callJson", fn: () => puhui.callJson("apr", datedText) },
    { name: "puhui cnXirrFen", fn: () => puhui.cnXirrFen("2025-01-15", datedAdvanceFen, datedFen, datedDays, 365) },
  ], [
    { name: "xirr (f64)", fn: () => xirr(txns), check: () => xirr(txns), exact: exactX, tolerance: 1e-5 },
    { name: "formulajs.XIRR (f64)", fn: () => formulajs.XIRR(values, dates), check: () => formulajs.XIRR(values, dates), exact: exactX, tolerance: 1e-5 },
  ]);
}

// Batch scoring through wasm: 100,000 JSON-lines applicants of a 20-variable card in one
// `scoreLines` call (card and applicants built as benches/score.rs builds them: 10 numeric
// variables with 6 ranges + special + missing + else, 10 categorical with 4 category bins +
// missing + else, the same LCG). Reported as applicants/s; the mean is per applicant.
{
  const VARIABLES = 20;
  const variables = [];
  for (let idx = 0; idx < VARIABLES; idx++) {
    const name = `var${String(idx).padStart(2, "0")}`;
    let bins;
    if (idx % 2 === 0) {
      const edges = ["0", "1000.5", "2500", "5000", "12000.25", "30000"];
      bins = [{ missing: true, points: "-3" }, { special: ["-999"], points: "-7" }, { range: { upper: edges[0] }, points: "-12.5" }];
      for (let pos = 0; pos + 1 < edges.length; pos++) bins.push({ range: { lower: edges[pos], upper: edges[pos + 1] }, points: `${pos * 4}.25` });
      bins.push({ range: { lower: edges[5] }, points: "31" }, { else: true, points: "0" });
    } else {
      bins = [
        { categories: ["A", "B"], points: "12" },
        { categories: ["C"], points: "4" },
        { categories: ["D", "E", "F"], points: "-6" },
        { categories: ["G"], points: "20" },
        { missing: true, points: "0" },
        { else: true, points: "-1" },
      ];
    }
    variables.push({ name, type: idx % 2 === 0 ? "numeric" : "categorical", reasonCode: `R${String(idx).padStart(2, "0")}`, bins });
  }
  const card = JSON.stringify({ basePoints: "600", variables });
  let state = 0x9e3779b97f4a7c15n;
  const next = () => {
    state = (state * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    return Number(state >> 33n);
  };
  const categories = ["A", "B", "C", "D", "E", "F", "G", "H"];
  const count = quick ? 10_000 : 100_000;
  const lines = [];
  for (let n = 0; n < count; n++) {
    const fields = [];
    for (let idx = 0; idx < VARIABLES; idx++) {
      let value;
      if (idx % 2 === 0) {
        const pick = next() % 20;
        if (pick === 0) value = "null";
        else if (pick === 1) value = "-999";
        else value = `${next() % 40000}.${String(next() % 100).padStart(2, "0")}`;
      } else value = `"${categories[next() % 8]}"`;
      fields.push(`"var${String(idx).padStart(2, "0")}":${value}`);
    }
    lines.push(`{${fields.join(",")}}`);
  }
  const input = new TextEncoder().encode(lines.join("\n") + "\n");
  const first = puhui.scoreLines(card, input);
  const answered = first.split("\n").length - 1;
  if (answered !== count || first.includes('"error"')) throw new Error(`scoreLines answered ${answered} of ${count} lines or failed one`);
  const runs = [];
  for (let run = 0; run < (quick ? 1 : 5); run++) {
    const start = process.hrtime.bigint();
    puhui.scoreLines(card, input);
    runs.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  const best = Math.min(...runs);
  results.push({ group: "score 100k applicants, 20-var card (wasm scoreLines, best of 5)", puhui: [{ door: "scoreLines", us: round((best * 1e6) / count) }], peers: [], note: `${Math.round(count / best).toLocaleString("en")} applicants/s` });
}

if (process.argv.includes("--json")) {
  console.log(JSON.stringify({ rounds: ROUNDS, roundMs: ROUND_MS, node: process.version, results }, null, 2));
} else {
  console.log(`median µs per call, ${ROUNDS} interleaved rounds of ~${ROUND_MS} ms; ratio = peer ÷ fastest puhui door (> 1: puhui faster)`);
  for (const row of results) {
    console.log(`\n${row.group}`);
    for (const door of row.puhui) console.log(`  ${door.door.padEnd(36)} ${String(door.us).padStart(9)} µs${row.note ? "   " + row.note : ""}`);
    for (const peer of row.peers) {
      if (peer.refused) console.log(`  ${peer.name.padEnd(36)}   not timed: disagrees (${peer.refused})`);
      else console.log(`  ${peer.name.padEnd(36)} ${String(peer.us).padStart(9)} µs   ratio ${peer.ratio} (vs object API ${peer.ratioObjectApi})`);
    }
  }
}
