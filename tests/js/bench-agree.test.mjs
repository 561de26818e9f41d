// The side-by-side bench times a peer only when it agrees with puhui: NaN (the old check's
// `Math.abs(NaN - x) > 1e-6` is false, so a non-converging peer was timed), Infinity, a throw, a
// non-number and a real disagreement must all be refused.
import { test } from "node:test";
import assert from "node:assert/strict";
import { agree } from "../../benches/node/agree.mjs";

test("a peer answering NaN, Infinity, a string, a throw or a different value is refused", () => {
  assert.equal(agree(() => NaN, 0.0725, 1e-6).ok, false);
  assert.equal(agree(() => Infinity, 0.0725, 1e-6).ok, false);
  assert.equal(agree(() => "0.0725", 0.0725, 1e-6).ok, false);
  assert.equal(agree(() => { throw new Error("did not converge"); }, 0.0725, 1e-6).ok, false);
  assert.equal(agree(() => 0.0726, 0.0725, 1e-6).ok, false);
  assert.match(agree(() => NaN, 0.0725, 1e-6).why, /NaN/);
});

test("a peer within the tolerance is timed", () => {
  assert.equal(agree(() => 0.07250049, 0.0725, 1e-6).ok, true);
  assert.equal(agree(() => 0.0725, 0.0725, 0).ok, true);
});
