// The native CLI and the wasm package must print the same JSON for the same request:
// every vector of every stateless operation, answers and errors alike.
import { test } from "node:test";
import assert from "node:assert/strict";
import { vectors, runCli, runWasm } from "./helpers.mjs";

function check(op, request, label) {
  const cli = runCli([op], request);
  assert.ok(cli.status === 0 || cli.json.error, `${label}: cli printed neither a response nor an error`);
  const wasm = runWasm(op, request);
  if (wasm.ok) {
    assert.equal(cli.status, 0, `${label}: cli refused what wasm accepted`);
    assert.deepEqual(cli.json, wasm.value, `${label}: cli and wasm differ`);
  } else {
    assert.notEqual(cli.status, 0, `${label}: cli accepted what wasm refused`);
    assert.deepEqual(cli.json, { error: wasm.error }, `${label}: errors differ`);
  }
}

test("CLI output equals wasm output for every schedule vector", () => {
  for (const { name, request } of vectors("schedules.json")) check("schedule", request, name);
});

test("CLI output equals wasm output for every APR vector", () => {
  for (const { name, request } of vectors("apr.json")) check("apr", request, name);
});

test("CLI output equals wasm output for every subsidy vector", () => {
  for (const { name, schedule, program, subsidyUsed } of vectors("subsidy.json")) check("subsidy", { schedule, program, subsidyUsed }, name);
});

test("CLI output equals wasm output for disclosure of every schedule vector", () => {
  for (const { name, request } of vectors("schedules.json")) check("disclose", { schedule: request }, name);
});

test("CLI and wasm refuse bad input identically", () => {
  check("schedule", { principal: "1e4", termMonths: 12, method: "bullet", annualRate: "0.1" }, "malformed");
  check("schedule", { principal: "100.00", termMonths: 601, method: "bullet", annualRate: "0.1" }, "term");
});

test("CLI and wasm refuse an over-size request identically (code, message, path)", () => {
  // ASCII, so wasm's UTF-16 units are the CLI's bytes: the same "at least N bytes".
  const request = { principal: "10000.00", pad: "x".repeat(2_000_000) };
  for (const op of ["schedule", "apr", "disclose", "subsidy"]) check(op, request, `over-size ${op}`);
});
