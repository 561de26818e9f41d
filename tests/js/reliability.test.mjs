// Issue 13, wasm side: versions at the 2^53 boundary across the JS boundary (finding 4),
// argument types and size caps checked before anything is copied into wasm memory
// (finding 5), and signed-only promotions in Engine.quote (finding 1).
// Envelopes are signed here with Node's own Ed25519 (node:crypto), independently of the
// Rust signer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createPrivateKey, createPublicKey, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { puhui, root as repoRoot } from "./helpers.mjs";

const PKCS8_ED25519 = Buffer.from("302e020100300506032b657004220420", "hex");
const seed = Buffer.alloc(32, 9);
const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: "der", type: "pkcs8" });
const publicRaw = createPublicKey(privateKey).export({ format: "der", type: "spki" }).subarray(-32);

function pae(type, body) {
  return Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${body.length} `), body]);
}

function envelope(type, payloadText) {
  const body = Buffer.from(payloadText);
  const sig = sign(null, pae(type, body), privateKey).toString("base64");
  return JSON.stringify({ payloadType: type, payload: body.toString("base64"), signatures: [{ keyid: "js-1", sig }] });
}

const rootEnvelope = envelope(
  "application/vnd.puhui.root+json",
  JSON.stringify({ version: 1, expiresAt: "2030-01-01T00:00:00Z", threshold: 1, keys: { "js-1": { alg: "ed25519", public: publicRaw.toString("base64") } } }),
);

// The version is spliced in as text: 9007199254740995 is not a JS number.
const bundle = (versionDigits) =>
  envelope(
    "application/vnd.puhui.bundle+json",
    `{"schema":"puhui.bundle/v1","bundleId":"js","channel":"production","version":${versionDigits},"issuedAt":"2026-06-01T00:00:00Z","expiresAt":"2029-01-01T00:00:00Z","minEngineVersion":"0.1.0","rootVersion":1,"products":[]}`,
  );
const NOW = "2026-06-02T00:00:00Z";

function code(fn) {
  try {
    fn();
  } catch (error) {
    assert.equal(error.name, "PuhuiError", `${error}`);
    return { code: error.code, path: error.path };
  }
  assert.fail("expected a PuhuiError");
}

test("the largest version (2^53 - 1) round-trips through JS and re-verifies with the saved state", () => {
  const first = puhui.verifyBundle(bundle("9007199254740991"), rootEnvelope, null, NOW, null);
  assert.equal(first.summary.version, Number.MAX_SAFE_INTEGER);
  const saved = JSON.parse(JSON.stringify(first.state));
  assert.equal(saved.bundles[0].version, Number.MAX_SAFE_INTEGER);
  const again = puhui.verifyBundle(bundle("9007199254740991"), rootEnvelope, saved, NOW, null);
  assert.equal(again.summary.version, Number.MAX_SAFE_INTEGER);
  for (const over of ["9007199254740992", "9007199254740995", "18446744073709551615"]) {
    assert.deepEqual(code(() => puhui.verifyBundle(bundle(over), rootEnvelope, null, NOW, null)), { code: "version-out-of-range", path: "payload.version" });
  }
});

test("non-string and wrong-type arguments throw a PuhuiError with a stable code", () => {
  const env = bundle("3");
  const cases = [
    () => puhui.verifyBundle(env, rootEnvelope, null, new Date(), null),
    () => puhui.verifyBundle(env, rootEnvelope, null, 42, null),
    () => puhui.verifyBundle(env, rootEnvelope, null, undefined, null),
    () => puhui.verifyBundle(12, rootEnvelope, null, NOW, null),
    () => puhui.verifyBundle(env, { a: 1 }, null, NOW, null),
    () => puhui.rotateRoot(null, null, rootEnvelope),
    () => puhui.call(42, {}),
    () => puhui.call(null, "{}"),
    () => puhui.callJson("schedule", {}),
    () => puhui.callJson(Symbol.iterator, "{}"),
    () => puhui.Engine.load(env, rootEnvelope, null, new Date(), null),
    () => puhui.scoreLines(7, ""),
  ];
  for (const fn of cases) {
    const seen = code(fn);
    assert.equal(seen.code, "invalid-argument", `${fn}`);
    assert.ok(typeof seen.path === "string" && seen.path.length > 0, `${fn}`);
  }
  // The module is still healthy afterwards.
  assert.equal(puhui.verifyBundle(env, rootEnvelope, null, NOW, null).summary.version, 3);
});

test("size caps are checked before the input is copied into wasm memory", () => {
  const memory = () => puhui.__wasm?.memory?.buffer.byteLength ?? 0;
  const before = memory();
  const huge = "x".repeat(64 << 20);
  assert.deepEqual(code(() => puhui.verifyBundle(huge, rootEnvelope, null, NOW, null)), { code: "too-large", path: "envelope" });
  assert.equal(code(() => puhui.verifyBundle(Buffer.alloc(64 << 20), rootEnvelope, null, NOW, null)).code, "too-large");
  assert.equal(code(() => puhui.call("schedule", huge)).code, "too-large");
  assert.equal(code(() => puhui.callJson("schedule", huge)).code, "too-large");
  assert.equal(code(() => puhui.schedule({ principal: huge })).code, "too-large");
  // A caller's own larger maxBytes is honoured, and still checked first.
  assert.equal(code(() => puhui.verifyBundle(huge, rootEnvelope, null, NOW, { maxBytes: 1000 })).code, "too-large");
  assert.ok(memory() - before < 8 << 20, `wasm memory grew by ${memory() - before} bytes`);
});

test("Engine.quote refuses inline promotions on a signed bundle", () => {
  const dir = join(repoRoot, "tests", "fixtures", "bundle");
  const payload = JSON.parse(readFileSync(join(dir, "bundle.json"), "utf8"));
  const engine = puhui.Engine.load(readFileSync(join(dir, "bundle.signed.json")), readFileSync(join(dir, "root.json")), null, payload.issuedAt, null);
  const request = { productId: "consumer-loan", amount: "10000.00", termMonths: 12, band: "A", promotions: [{ kind: "rate-discount", fraction: "1", periods: 12 }] };
  assert.deepEqual(code(() => engine.quote(request)), { code: "unsigned-promotion", path: "promotions[0]" });
});
