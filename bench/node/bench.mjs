// Node benchmark of the wasm package, side by side with npm peers in the same process.
// Prints a table of mean µs per call; `native` figures come from `cargo bench` (criterion).
// Usage: node bench/node/bench.mjs [--json]
import { createRequire } from "node:module";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const puhui = require(join(root, "pkg", "node", "puhui.js"));

/** Mean µs per call of `fn`, after warm-up, over at least `minMs` of wall time. */
export function measure(fn, minMs = 400) {
  for (let i = 0; i < 200; i++) fn();
  let iterations = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  while (elapsed < BigInt(minMs) * 1_000_000n) {
    for (let i = 0; i < 50; i++) fn();
    iterations += 50;
    elapsed = process.hrtime.bigint() - start;
  }
  return Number(elapsed) / 1000 / iterations;
}

const rows = [];
const record = (name, us, note = "") => rows.push({ name, us: Number(us.toFixed(2)), note });

function scheduleRequest(termMonths) {
  return { principal: "300000.00", annualRate: "0.0425", termMonths, method: "equal-installment", startDate: "2025-01-31", dayCount: "act/365" };
}

const loanjs = require("loanjs");
for (const term of [12, 36, 360]) {
  const request = scheduleRequest(term);
  record(`schedule ${term} (wasm, object)`, measure(() => puhui.schedule(request)));
  const text = JSON.stringify(request);
  record(`schedule ${term} (wasm, JSON text)`, measure(() => puhui.callJson("schedule", text)));
  record(`loanjs annuity ${term} (f64, peer)`, measure(() => new loanjs.Loan(300000, term, 4.25)), "floats, no day count");
}

// Annualized-rate solvers side by side: puhui (exact decimal / fixed-point), `financial`
// (numpy-financial port, f64 Newton) `irr`, and `xirr` (f64) on the same flows. Each row checks
// that the peers agree with puhui to 1e-6 before timing, so the comparison is like for like.
const financial = require("financial");
const xirr = require("xirr");
const ratios = [];
for (const n of [12, 60, 360]) {
  const plan = puhui.schedule({ principal: "100000.00", annualRate: "0.0725", termMonths: n, method: "equal-installment", startDate: "2025-01-15", fees: [{ kind: "service", timing: "upfront-deducted", amount: "1000.00" }] });
  const payments = plan.installments.map((row) => row.payment);
  const request = { method: "cn-irr", advance: plan.amountReceived, payments };
  const ours = puhui.apr(request);
  const flows = [-Number(plan.amountReceived), ...payments.map(Number)];
  const peer = financial.irr(flows) * 12;
  if (Math.abs(peer - Number(ours.rate)) > 1e-6) throw new Error(`financial.irr disagrees at n=${n}: ${peer} vs ${ours.rate}`);
  const tOurs = measure(() => puhui.apr(request));
  const tPeer = measure(() => financial.irr(flows), 300);
  record(`cn-irr ${n} flows (wasm)`, tOurs);
  record(`financial.irr ${n} flows (f64, peer)`, tPeer, `peer time ÷ puhui time = ${(tPeer / tOurs).toFixed(2)}`);
  ratios.push({ solver: "irr", n, puhuiUs: tOurs, peerUs: tPeer });

  const dated = { method: "cn-irr", advances: [{ date: "2025-01-15", amount: plan.amountReceived }], payments: plan.installments.map((row) => ({ date: row.dueDate, amount: row.payment })) };
  const oursX = puhui.apr(dated);
  const txns = [{ amount: -Number(plan.amountReceived), when: new Date("2025-01-15T00:00:00Z") }, ...plan.installments.map((row) => ({ amount: Number(row.payment), when: new Date(`${row.dueDate}T00:00:00Z`) }))];
  const peerX = xirr(txns);
  if (Math.abs(peerX - Number(oursX.effectiveRate)) > 1e-5) throw new Error(`xirr disagrees at n=${n}: ${peerX} vs ${oursX.effectiveRate}`);
  const tOursX = measure(() => puhui.apr(dated));
  const tPeerX = measure(() => xirr(txns), 300);
  record(`cn-irr dated ${n} flows (wasm, XIRR)`, tOursX);
  record(`xirr ${n} flows (f64, peer)`, tPeerX, `peer time ÷ puhui time = ${(tPeerX / tOursX).toFixed(2)}`);
  ratios.push({ solver: "xirr", n, puhuiUs: tOursX, peerUs: tPeerX });
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
  const count = 100_000;
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
  for (let run = 0; run < 5; run++) {
    const start = process.hrtime.bigint();
    puhui.scoreLines(card, input);
    runs.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  const best = Math.min(...runs);
  record("score 100k, 20-var card (wasm scoreLines)", (best * 1e6) / count, `${Math.round(count / best).toLocaleString("en")} applicants/s (best of 5)`);
}

if (process.argv.includes("--json")) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  console.log("benchmark".padEnd(44), "µs/call".padStart(10), " note");
  for (const row of rows) console.log(row.name.padEnd(44), String(row.us).padStart(10), "", row.note);
}
