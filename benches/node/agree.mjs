// The agreement check of the side-by-side bench (benches/node/bench.mjs), tested by
// tests/js/bench-agree.test.mjs: a NaN, a throw or a disagreement is never timed.

/**
 * Checks a peer's answer: `{ok: true}` when `value` is finite and within `tolerance` of `exact`,
 * otherwise `{ok: false, why}` (NaN, a throw, or the difference).
 */
export function agree(run, exact, tolerance) {
  let value;
  try {
    value = run();
  } catch (error) {
    return { ok: false, why: `throws: ${error.message}` };
  }
  if (typeof value !== "number" || !Number.isFinite(value)) return { ok: false, why: `returned ${value}` };
  const diff = Math.abs(value - exact);
  if (!(diff <= tolerance)) return { ok: false, why: `returned ${value}, puhui ${exact} (off by ${diff.toExponential(2)})` };
  return { ok: true };
}
