// Checks tests/jsonlogic/cases.json against the JSONLogic reference implementation.
//
//   node tests/jsonlogic/compare.mjs           verify: json-logic-js still gives every committed
//                                               `expected` (exit 1 and a list of rows otherwise)
//   node tests/jsonlogic/compare.mjs --write   regenerate every `expected` from json-logic-js
//
// Needs `npm install --no-save json-logic-js` (2.x). The Rust test tests/jsonlogic.rs reads the
// same file and checks puhui's evaluator against these reference outputs, so the chain is:
// json-logic-js == expected == puhui (numbers within 1e-12 relative: puhui is exact decimal,
// JavaScript rounds to doubles).
//
// Encoding of results: JSON as is, except non-finite numbers as {"$number": "NaN" | "Infinity" |
// "-Infinity"} (JSON has no such numbers) and a thrown error as {"$throws": true}.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { isDeepStrictEqual } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(process.cwd(), "package.json"));
const jsonLogic = require("json-logic-js");
const file = join(here, "cases.json");
const cases = JSON.parse(readFileSync(file, "utf8"));

function encode(value) {
  if (value === undefined) return null;
  if (Object.is(value, -0)) return 0; // JSON has no negative zero
  if (typeof value === "number" && !Number.isFinite(value)) {
    return { $number: Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity" };
  }
  if (Array.isArray(value)) return value.map(encode);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  }
  return value;
}

function reference(rule, data) {
  try {
    // Deep copies: the reference must not see shared references between rule and data.
    return encode(jsonLogic.apply(structuredClone(rule), structuredClone(data)));
  } catch {
    return { $throws: true };
  }
}

if (process.argv.includes("--write")) {
  for (const c of cases) c.expected = reference(c.rule, c.data);
  writeFileSync(file, "[\n" + cases.map((c) => " " + JSON.stringify(c)).join(",\n") + "\n]\n");
  console.log(`wrote ${cases.length} expected results from json-logic-js`);
} else {
  let bad = 0;
  cases.forEach((c, idx) => {
    const got = reference(c.rule, c.data);
    if (!isDeepStrictEqual(got, c.expected)) {
      bad += 1;
      console.log(`case ${idx} ${JSON.stringify(c.rule)} on ${JSON.stringify(c.data)}: ` +
        `json-logic-js ${JSON.stringify(got)}, committed ${JSON.stringify(c.expected)}`);
    }
  });
  if (bad) {
    console.log(`${bad} of ${cases.length} cases differ`);
    process.exit(1);
  }
  console.log(`all ${cases.length} cases match json-logic-js`);
}
