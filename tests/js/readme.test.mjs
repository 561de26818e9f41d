// The README's JavaScript example is run as written, and its printed figures are checked against
// the first schedule vector (not against numbers copied into this test).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdtempSync, copyFileSync, symlinkSync, writeFileSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root, vectors } from "./helpers.mjs";

test("the README example runs and prints the published figures", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const block = /<!-- readme-example:start -->\s*```js\n([\s\S]*?)```\s*<!-- readme-example:end -->/.exec(readme);
  assert.ok(block, "README has the marked example");
  const lines = block[1].trim().split("\n");
  assert.ok(lines.length <= 12, `example is ${lines.length} lines`);
  const output = execFileSync(process.execPath, ["--input-type=commonjs", "-e", block[1]], { cwd: root, encoding: "utf8" });
  const [first, second, third] = output.trim().split("\n");
  const vector = vectors("schedules.json")[0];
  assert.equal(first, `${vector.expected.installments[0].payment} ${vector.expected.totals.interest}`);
  assert.match(second, /^\d+\.\d{2} 年化利率\(单利\)$/);
  assert.equal(third, "over-precise-amount principal");
  // Each comment in the example states what it prints: keep the comments true.
  for (const [idx, printed] of [first, second, third].entries()) {
    const comment = block[1].split("\n").filter((l) => l.includes("console.log"))[idx].split("// ")[1];
    assert.equal(comment, printed);
  }
});

// Saved as a file where the README says, the example must run too: beside the root package.json
// ("type": "module") a `.js` file is an ES module, where `require` is not defined.
test("the README example runs saved under the file name it gives, in the repository root", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const block = /<!-- readme-example:start -->\s*```js\n([\s\S]*?)```\s*<!-- readme-example:end -->/.exec(readme);
  const named = /^\/\/ (\S+\.[cm]?js)$/.exec(block[1].split("\n")[0]);
  assert.ok(named, "the example's first line names the file to save it as");
  const name = named[1];
  assert.ok(readme.includes(`save it as \`${name}\``), `the README's text names ${name} too`);
  const dir = mkdtempSync(join(tmpdir(), "puhui-readme-"));
  try {
    copyFileSync(join(root, "package.json"), join(dir, "package.json"));
    symlinkSync(join(root, "pkg"), join(dir, "pkg"));
    writeFileSync(join(dir, name), block[1]);
    const output = execFileSync(process.execPath, [name], { cwd: dir, encoding: "utf8" });
    assert.equal(output.trim().split("\n").at(-1), "over-precise-amount principal");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The README's size line is written by scripts/readme-sizes.mjs from the build's size report;
// it must not drift from what the build measures (it once said 112 KiB for an 87 KiB module).
test("the README's module sizes are the build's, within 2 %", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const report = JSON.parse(readFileSync(join(root, "pkg/size-report.json"), "utf8"));
  for (const [name, sizes] of Object.entries(report.modules)) {
    const line = new RegExp(`\`${name}\` ([\\d.]+) KiB / ([\\d.]+) KiB / ([\\d.]+) KiB`).exec(readme);
    assert.ok(line, `README states the size of ${name}`);
    const stated = line.slice(1).map((kib) => Number(kib) * 1024);
    const measured = [sizes.brotliBytes, sizes.gzipBytes, sizes.rawBytes];
    for (const [idx, bytes] of measured.entries()) {
      const drift = Math.abs(stated[idx] - bytes) / bytes;
      assert.ok(drift <= 0.02, `${name}: README says ${line[idx + 1]} KiB, the build measures ${(bytes / 1024).toFixed(1)} KiB (run node scripts/readme-sizes.mjs)`);
    }
  }
});
