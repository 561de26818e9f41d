// Signed bundles through the wasm package: the committed exemplar verifies with the committed
// root, exactly as natively; a forged byte or a rollback is refused with its code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { puhui, root, cliPath } from "./helpers.mjs";

const fixture = (name) => readFileSync(join(root, "tests", "fixtures", "bundle", name));
const now = "2026-11-22T00:00:00Z";

test("the committed exemplar verifies in wasm and matches the native verifier", () => {
  const result = puhui.verifyBundle(fixture("bundle.signed.json"), fixture("root.json"), null, now, null);
  assert.equal(result.summary.preview, false);
  assert.equal(result.bundle.bundleId, result.summary.bundleId);
  assert.equal(result.state.bundles.length, 1);
  const native = JSON.parse(execFileSync(cliPath(), ["verify", "--root", join(root, "tests/fixtures/bundle/root.json"), "--now", now, join(root, "tests/fixtures/bundle/bundle.signed.json")], { encoding: "utf8" }));
  assert.equal(native.sha256 ?? native.summary?.sha256, result.summary.sha256);
});

test("a forged payload byte is refused and the old state stays usable", () => {
  const good = puhui.verifyBundle(fixture("bundle.signed.json"), fixture("root.json"), null, now, null);
  const envelope = JSON.parse(fixture("bundle.signed.json"));
  const payload = Buffer.from(envelope.payload, "base64").toString("utf8").replace('"version":', '"version": ');
  envelope.payload = Buffer.from(payload).toString("base64");
  assert.throws(() => puhui.verifyBundle(JSON.stringify(envelope), fixture("root.json"), good.state, now, null), { code: "bad-signature" });
  const again = puhui.verifyBundle(fixture("bundle.signed.json"), fixture("root.json"), good.state, now, null);
  assert.equal(again.summary.sha256, good.summary.sha256);
});

test("wrong channel and expiry are refused", () => {
  assert.throws(() => puhui.verifyBundle(fixture("bundle.signed.json"), fixture("root.json"), null, now, { channel: "preview-channel" }), { code: "wrong-channel" });
  assert.throws(() => puhui.verifyBundle(fixture("bundle.signed.json"), fixture("root.json"), null, "2099-01-01T00:00:00Z", null), (e) => /expired/.test(e.code));
});

test("the committed exemplar, published and served over HTTP, verifies in wasm byte for byte", async () => {
  const { mkdtempSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { startServer } = await import("./helpers.mjs");
  const work = mkdtempSync(join(tmpdir(), "puhui-exemplar-"));
  const bundles = join(work, "bundles");
  execFileSync(cliPath(), ["publish", "--bundles", bundles, join(root, "tests/fixtures/bundle/bundle.signed.json")], { encoding: "utf8" });
  const server = await startServer({ args: ["--bundles", bundles] });
  try {
    const local = puhui.verifyBundle(fixture("bundle.signed.json"), fixture("root.json"), null, now, null);
    const pointerUrl = `${server.base}/bundles/${local.summary.bundleId}/${local.summary.channel}/latest.json`;
    const pointer = await (await fetch(pointerUrl)).json();
    const response = await fetch(new URL(pointer.path, pointerUrl));
    assert.equal(response.status, 200);
    assert.match(response.headers.get("etag"), /^"[0-9a-f]{64}"$/);
    const served = new Uint8Array(await response.arrayBuffer());
    assert.deepEqual(Buffer.from(served), fixture("bundle.signed.json"));
    const remote = puhui.verifyBundle(served, fixture("root.json"), null, now, null);
    assert.equal(remote.summary.sha256, local.summary.sha256);
    assert.equal(pointer.sha256, response.headers.get("etag").slice(1, -1));
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
});
