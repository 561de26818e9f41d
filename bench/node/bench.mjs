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

const extra = globalThis.__puhuiBenchExtras ?? [];
for (const add of extra) add({ puhui, measure, record, require });

if (process.argv.includes("--json")) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  console.log("benchmark".padEnd(44), "µs/call".padStart(10), " note");
  for (const row of rows) console.log(row.name.padEnd(44), String(row.us).padStart(10), "", row.note);
}
