// Parity at scale, wasm half: generates N edge-heavy requests for every JSON operation from
// the shared vectors and fixtures (seeded, reproducible), runs each through the wasm package
// in Node (`callJson`, the same door every JS wrapper uses) and writes one JSON line per case:
// {"op", "request" (the exact text), "wasm" (response text or error envelope)}.
// tests/parity.rs then runs the native core on the same text and requires identical bytes.
//
//   node tests/parity/gen.mjs <count> <out.jsonl> [seed]
import { createRequire } from "node:module";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const puhui = createRequire(import.meta.url)(join(root, "pkg", "node", "puhui.js"));
const count = Number(process.argv[2] ?? 2000);
const out = process.argv[3] ?? join(root, "target", "parity", "cases.jsonl");
let state = Number(process.argv[4] ?? 20261129) >>> 0;

// mulberry32: small, seeded, identical on every Node version.
function rand() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(rand() * list.length)];
const read = (...p) => JSON.parse(readFileSync(join(root, ...p), "utf8"));

const strip = ({ name, source, expected, ...rest }) => rest;
const card = read("tests", "scorecard", "card.json");
// model.json names its card by a placeholder string; the tests insert card.json there.
const model = { ...read("tests", "scorecard", "model.json"), card };
const seeds = {
  schedule: read("tests", "vectors", "schedules.json").map((c) => c.request),
  apr: read("tests", "vectors", "apr.json").map((c) => c.request),
  disclose: read("tests", "vectors", "schedules.json").map((c) => ({ schedule: c.request })),
  subsidy: read("tests", "vectors", "subsidy.json").map(strip),
  score: read("tests", "scorecard", "score_cases.json").map((c) => ({ card, applicant: JSON.parse(c.applicant) })),
  assess: read("tests", "scorecard", "assess_cases.json").map((c) => ({ model, applicant: JSON.parse(c.applicant) })),
};
const ops = Object.keys(seeds);

// Values that sit on edges: zero and negative money, over-precision, exponents, huge digit
// strings, dates at month ends and leap days, terms at the bounds, wrong types.
const edgeStrings = ["0", "0.00", "-0", "-1.00", "0.01", "0.005", "1e3", "1E-2", "+1", " 1", "1 ", "", ".5", "5.",
  "0.0000000000000000000000000001", "79228162514264337593543950335", "79228162514264337593543950336",
  "99999999999999999999.99", "NaN", "Infinity", "0x10", "1,000.00", "12.345", "2024-02-29", "2023-02-29",
  "2026-01-31", "2026-12-31", "0.36", "0.24", "1", "0.9999", "equal-installment", "equal-principal", "bullet",
  "flat-fee", "interest-only", "cn-irr", "us-regz", "eu-aprc", "actual/365", "30/360", "per-period", "upfront-deducted"];
const edgeNumbers = [0, 1, -1, 2, 11, 12, 13, 24, 59, 60, 360, 365, 366, 599, 600, 601, 4294967296, 1.5, -0.5, 1e21, 9007199254740993];
const edgeValues = () => pick([pick(edgeStrings), pick(edgeNumbers), null, true, false, [], {}, [pick(edgeStrings)], { x: 1 }]);

function mutate(value, depth = 0) {
  if (Array.isArray(value)) {
    const copy = value.map((v) => (rand() < 0.2 ? mutate(v, depth + 1) : v));
    const r = rand();
    if (r < 0.1 && copy.length) copy.splice(Math.floor(rand() * copy.length), 1);
    else if (r < 0.2 && copy.length) copy.push(copy[Math.floor(rand() * copy.length)]);
    else if (r < 0.25) copy.push(edgeValues());
    return copy;
  }
  if (value && typeof value === "object") {
    const copy = { ...value };
    const keys = Object.keys(copy);
    for (const key of keys) if (rand() < 0.25) copy[key] = mutate(copy[key], depth + 1);
    const r = rand();
    if (r < 0.08 && keys.length) delete copy[pick(keys)];
    else if (r < 0.12) copy[pick(["extra", "termmonths", "Principal", "__proto_", "rate"])] = edgeValues();
    return copy;
  }
  const r = rand();
  if (typeof value === "string") {
    if (r < 0.5) return pick(edgeStrings);
    if (r < 0.7 && /^-?\d+(\.\d+)?$/.test(value)) return value + pick(["0", "1", "9", "00001"]);
    if (r < 0.8) return value.slice(0, Math.max(0, value.length - 1));
    return edgeValues();
  }
  if (typeof value === "number") return r < 0.7 ? pick(edgeNumbers) : edgeValues();
  return edgeValues();
}

function wasmAnswer(op, text) {
  try {
    return puhui.callJson(op, text);
  } catch (error) {
    if (error?.name !== "PuhuiError") throw error;
    const body = { code: error.code, message: error.message };
    if (error.path !== undefined) body.path = error.path;
    return JSON.stringify({ error: body });
  }
}

mkdirSync(dirname(out), { recursive: true });
const lines = [];
for (let i = 0; i < count; i += 1) {
  const op = ops[i % ops.length];
  const seed = pick(seeds[op]);
  // One case in eight is the plain seed, the rest are mutated 1-3 times; one in fifty is
  // text-level damage (truncation, a stray byte) the JSON parser must refuse identically.
  let request = seed;
  if (i % 8 !== 0) for (let m = 1 + Math.floor(rand() * 3); m > 0; m -= 1) request = mutate(request);
  let text = JSON.stringify(request);
  if (rand() < 0.02) text = rand() < 0.5 ? text.slice(0, Math.floor(rand() * text.length)) : text.replace(",", ",,");
  lines.push(JSON.stringify({ op, request: text, wasm: wasmAnswer(op, text) }));
}
writeFileSync(out, lines.join("\n") + "\n");
console.log(`parity: ${count} cases over ${ops.join(", ")} → ${out}`);
