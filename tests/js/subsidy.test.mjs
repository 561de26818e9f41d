// Subsidies through the wasm package: every public subsidy vector, exact to the fen and to 6
// decimals of the net rate.
import { test } from "node:test";
import assert from "node:assert/strict";
import { puhui, vectors } from "./helpers.mjs";

test("every public subsidy vector matches through wasm", () => {
  const cases = vectors("subsidy.json");
  assert.ok(cases.length >= 5);
  for (const { name, schedule, program, subsidyUsed, expected } of cases) {
    const result = puhui.subsidy({ schedule, program, subsidyUsed });
    for (const field of ["subsidyRate", "total", "netRate"]) assert.equal(result[field], expected[field], `${name}: ${field}`);
    assert.deepEqual(result.perPeriod, expected.perPeriod, `${name}: perPeriod`);
  }
});

test("subsidy refuses bad programs with a code and a path", () => {
  const { schedule, program } = vectors("subsidy.json")[0];
  assert.throws(() => puhui.subsidy({ schedule, program: { ...program, eligibleShare: "1.5" } }), (e) => e.code === "invalid-share" && e.path === "program.eligibleShare");
  assert.throws(() => puhui.subsidy({ schedule, program: { ...program, perBorrowerCap: "-1.00" } }), (e) => e.code === "negative-cap");
});
