// The client loader (pkg-config/js/loader.js, shipped as pkg/web/loader.js) against the real
// wasm verifier (pkg/node) and the real `puhui serve`, with keys, roots and bundles made by the
// real CLI in a temp dir. Every attack case checks the exact code and that the previous good
// bundle is still the one in use (and still the one in storage).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, renameSync, rmSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { puhui, cliPath, startServer, freePort } from "./helpers.mjs";
import { createBundleLoader, memoryStorage, localStorageAdapter, wxStorage, myStorage } from "../../pkg-config/js/loader.js";

const ISSUED = "2026-11-01T00:00:00Z";
const EXPIRES = "2036-01-01T00:00:00Z";
const NOW = "2026-11-22T00:00:00Z";

let work;
let server;
let rootV1;

const cli = (...args) => execFileSync(cliPath(), args, { encoding: "utf8" });

/** Writes a payload, signs it with `keys` (names under work/keys) and returns the envelope path. */
function signBundle(bundleId, version, { keys = ["k1"], issuedAt = ISSUED, expiresAt = EXPIRES, rootVersion = 1, channel = "production", extra = {} } = {}) {
  const payload = { schema: "puhui.bundle/v1", bundleId, channel, version, issuedAt, expiresAt, minEngineVersion: "0.1.0", rootVersion, products: [], caps: [], subsidyPrograms: [], texts: {}, ...extra };
  const base = join(work, `${bundleId}-${channel}-${version}-${keys.join("+")}`);
  writeFileSync(`${base}.json`, JSON.stringify(payload, null, 2));
  cli("sign", ...keys.flatMap((k) => ["--key", join(work, "keys", `${k}.key`)]), `${base}.json`, "-o", `${base}.signed.json`);
  return `${base}.signed.json`;
}

function publish(bundlesDir, envelopePath) {
  return JSON.parse(cli("publish", "--bundles", bundlesDir, envelopePath));
}

/** Replaces a served file the way the publisher does (rename), with a length change so the server's cache sees it. */
function replaceFile(path, text) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** The same envelope with one payload field changed and the original signatures kept. */
function forge(envelopeText, edit) {
  const envelope = JSON.parse(envelopeText);
  const payload = JSON.parse(Buffer.from(envelope.payload, "base64").toString("utf8"));
  edit(payload);
  envelope.payload = Buffer.from(JSON.stringify(payload)).toString("base64");
  return JSON.stringify(envelope);
}

/** fetch that records every request (url, If-None-Match, status) for assertions. */
function recordingFetch(transform) {
  const calls = [];
  const wrapped = async (url, init = {}) => {
    const headers = new Headers(init.headers ?? {});
    let response = await fetch(url, init);
    if (transform) response = await transform(url, response);
    calls.push({ url: String(url), ifNoneMatch: headers.get("if-none-match"), status: response.status });
    return response;
  };
  return { fetch: wrapped, calls };
}

function loader(bundleId, overrides = {}) {
  return createBundleLoader({ wasm: puhui, baseUrl: `${server.base}/bundles/`, bundleId, pinnedRoot: rootV1, storage: memoryStorage(), now: () => NOW, ...overrides });
}

const codes = (result) => result.warnings.map((w) => w.code);
/** The payload of the envelope a result verified, decoded here: the loader hands over an Engine, never the payload. */
const payloadOf = (result) => JSON.parse(Buffer.from(JSON.parse(result.envelope).payload, "base64").toString("utf8"));
const textsOf = (result) => payloadOf(result).texts;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "puhui-loader-"));
  chmodSync(work, 0o700);
  for (const name of ["k1", "k2", "intruder"]) cli("keygen", "--out", join(work, "keys"), "--name", name);
  cli("root", "new", "--threshold", "1", "--expires", "2037-01-01T00:00:00Z", "--key", join(work, "keys", "k1.pub"), "--sign", join(work, "keys", "k1.key"), "-o", join(work, "root1.json"));
  rootV1 = readFileSync(join(work, "root1.json"), "utf8");
  // A host that publishes trust roots says which is the newest (roots/latest.json), so a load
  // never probes for a root that does not exist; the rotation tests below cover hosts without it.
  mkdirSync(join(work, "bundles", "roots"), { recursive: true });
  writeFileSync(join(work, "bundles", "roots", "latest.json"), JSON.stringify({ version: 1 }));
  writeFileSync(join(work, "serve.json"), JSON.stringify({ rateLimit: { perSecond: 10000, burst: 10000 } }));
  server = await startServer({ dir: work, args: ["--bundles", join(work, "bundles"), "--config", join(work, "serve.json")] });
});

after(async () => {
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test("first load is fresh, the second revalidates with If-None-Match and gets 304, a new version is fresh again", async (t) => {
  const bundles = join(work, "bundles");
  publish(bundles, signBundle("basic", 1));
  const { fetch: recorded, calls } = recordingFetch();
  const storage = memoryStorage();
  const client = loader("basic", { fetch: recorded, storage });

  const first = await client.load();
  assert.equal(first.status, "fresh");
  assert.equal(first.summary.version, 1);
  assert.equal(payloadOf(first).bundleId, "basic");
  assert.equal(typeof first.engine.quote, "function", "the result carries the engine that verified");
  assert.equal(first.bundle, undefined, "the payload never crosses into JS as an object");
  assert.equal(first.stale, false);
  assert.equal(first.preview, false);
  assert.deepEqual(first.warnings, []);
  assert.equal(calls[0].ifNoneMatch, null);
  assert.match(calls[1].url, /\/basic\/production\/1\.json$/);
  const etag = storage.get("basic/production/etag");
  assert.match(etag, /^"[0-9a-f]{64}"$/);

  const path = (url) => new URL(url).pathname;
  // Root discovery asks the roots pointer, never for a root that does not exist: no 404 at all.
  assert.deepEqual(calls.map((c) => [path(c.url), c.status]), [["/bundles/basic/production/latest.json", 200], ["/bundles/basic/production/1.json", 200], ["/bundles/roots/latest.json", 200]]);

  const second = await client.load();
  assert.equal(second.status, "not-modified");
  assert.equal(second.summary.sha256, first.summary.sha256);
  assert.deepEqual(second.warnings, []);
  assert.equal(calls.length, 4, "on 304 nothing else is fetched");
  assert.deepEqual([path(calls[3].url), calls[3].ifNoneMatch, calls[3].status], ["/bundles/basic/production/latest.json", etag, 304]);

  // A fresh loader over the same storage (a page reload) also revalidates instead of downloading.
  const reloaded = await loader("basic", { fetch: recorded, storage }).load();
  assert.equal(reloaded.status, "not-modified");
  assert.equal(calls.slice(-1)[0].status, 304);

  publish(bundles, signBundle("basic", 2));
  const third = await client.load();
  assert.equal(third.status, "fresh");
  assert.equal(third.summary.version, 2);
  assert.deepEqual(third.state.bundles.map((b) => b.version), [2]);
  assert.notEqual(storage.get("basic/production/etag"), etag);

  // Overlapping calls share one run (one request, one result).
  const before = calls.length;
  const [a, b] = await Promise.all([client.load(), client.load()]);
  assert.equal(a, b);
  assert.equal(calls.length, before + 1);

  // Time it: a fresh first load against repeated 304 revalidations (loopback, real wasm).
  const timings = { fresh: [], notModified: [] };
  for (let i = 0; i < 5; i++) {
    const c = loader("basic");
    let start = performance.now();
    assert.equal((await c.load()).status, "fresh");
    timings.fresh.push(performance.now() - start);
    start = performance.now();
    assert.equal((await c.load()).status, "not-modified");
    timings.notModified.push(performance.now() - start);
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  t.diagnostic(`load() median over 5: fresh ${median(timings.fresh).toFixed(2)} ms, 304 ${median(timings.notModified).toFixed(2)} ms`);
});

/** The puhui module seen through a Proxy that counts verifications and freed engines (`Engine` absent when `withEngine` is false). */
function countingWasm(calls, { withEngine = true } = {}) {
  const Engine = {
    load(...args) {
      calls.engineLoad++;
      const engine = puhui.Engine.load(...args);
      calls.made = (calls.made ?? 0) + 1;
      const free = engine.free.bind(engine);
      engine.free = () => {
        calls.freed++;
        free();
      };
      return engine;
    },
  };
  return new Proxy(puhui, {
    get(target, name) {
      if (name === "Engine") return withEngine ? Engine : undefined;
      if (name === "verifyBundle") return (...args) => (calls.verifyBundle++, target.verifyBundle(...args));
      return target[name];
    },
  });
}

test("the quote path verifies once: a fresh bundle is one Engine.load, the result's engine quotes, superseded engines are freed", async () => {
  const bundles = join(work, "bundles");
  const sample = JSON.parse(readFileSync(new URL("../../data/sample-bundle.json", import.meta.url), "utf8"));
  const { schema, bundleId, channel, version, issuedAt, expiresAt, minEngineVersion, rootVersion, ...rules } = sample;
  publish(bundles, signBundle("once", 1, { extra: rules }));
  const calls = { verifyBundle: 0, engineLoad: 0, freed: 0 };
  const storage = memoryStorage();
  const client = loader("once", { wasm: countingWasm(calls), storage });

  const first = await client.load();
  assert.equal(first.status, "fresh");
  assert.deepEqual(calls, { verifyBundle: 0, engineLoad: 1, made: 1, freed: 0 }, "one verification for a fresh bundle, nothing freed");
  assert.equal(first.bundle, undefined, "the payload never crosses into JS as an object");
  assert.deepEqual(first.engine.summary, first.summary);
  const request = { productId: "consumer-loan", amount: "10000.00", termMonths: 12, method: "equal-installment", band: "A" };
  assert.equal(first.engine.quote(request).schedule.installments.length, 12);

  // A reload: the stored copy is verified once (the pointer is unchanged); the engine handed back is that one.
  const second = await client.load();
  assert.equal(second.status, "not-modified");
  assert.deepEqual(calls, { verifyBundle: 0, engineLoad: 2, made: 2, freed: 0 });

  // A newer version: the stored copy verifies, then the download; the superseded stored engine is freed.
  publish(bundles, signBundle("once", 2, { extra: rules }));
  const third = await client.load();
  assert.equal(third.status, "fresh");
  assert.equal(third.summary.version, 2);
  assert.deepEqual(calls, { verifyBundle: 0, engineLoad: 4, made: 4, freed: 1 });
  assert.equal(third.engine.quote(request).schedule.installments.length, 12);
  assert.equal(second.engine.quote(request).schedule.installments.length, 12, "an engine handed back belongs to the caller: never freed by the loader");

  // Refused without a valid bundle: the stored copy verifies as "once", this loader wants "twice";
  // the engine made on the way is freed, none leaks.
  const deadBase = `http://127.0.0.1:${await freePort()}/bundles/`;
  const elsewhere = memoryStorage();
  elsewhere.set("twice/production/envelope", storage.get("once/production/envelope"));
  const refusedCalls = { verifyBundle: 0, engineLoad: 0, freed: 0 };
  await assert.rejects(loader("twice", { wasm: countingWasm(refusedCalls), storage: elsewhere, baseUrl: deadBase }).load(), (e) => e.code === "no-valid-bundle" && e.warnings[0].code === "wrong-bundle-id");
  assert.deepEqual(refusedCalls, { verifyBundle: 0, engineLoad: 1, made: 1, freed: 1 }, "the engine of a refused bundle is freed");
  for (const result of [first, second, third]) result.engine.free();

  // A module without Engine (a host's own verifier): verifyBundle, and the payload in the result.
  const fallbackCalls = { verifyBundle: 0, engineLoad: 0, freed: 0 };
  const fallback = await loader("once", { wasm: countingWasm(fallbackCalls, { withEngine: false }) }).load();
  assert.equal(fallback.status, "fresh");
  assert.deepEqual(fallbackCalls, { verifyBundle: 1, engineLoad: 0, freed: 0 });
  assert.equal(fallback.engine, undefined);
  assert.equal(fallback.bundle.bundleId, "once");
});

test("a validly signed bundle the engine cannot compile is refused like an invalid one, and the previous one stays in use", async () => {
  const bundles = join(work, "bundles");
  publish(bundles, signBundle("uncompilable", 1));
  const storage = memoryStorage();
  const client = loader("uncompilable", { storage });
  assert.equal((await client.load()).summary.version, 1);
  const kept = storage.get("uncompilable/production/envelope");
  publish(bundles, signBundle("uncompilable", 2, { extra: { texts: { en: "not a key-to-text map" } } }));
  const result = await client.load();
  assert.equal(result.status, "cached");
  assert.deepEqual(result.warnings.map((w) => [w.source, w.code]), [["verify", "invalid-bundle"]]);
  assert.equal(result.summary.version, 1);
  assert.equal(storage.get("uncompilable/production/envelope"), kept);
});

test("a forged bundle is refused with bad-signature and the previous good bundle stays in use", async () => {
  const bundles = join(work, "bundles");
  publish(bundles, signBundle("forged", 1));
  const storage = memoryStorage();
  const client = loader("forged", { storage });
  assert.equal((await client.load()).summary.version, 1);
  const kept = storage.get("forged/production/envelope");

  const genuine = readFileSync(signBundle("forged", 2), "utf8");
  const forgedPath = join(work, "forged-2.forged.json");
  writeFileSync(forgedPath, forge(genuine, (p) => (p.texts = { en: { note: "0% APR forever" } })));
  publish(bundles, forgedPath); // the server files it: it never verifies, clients do

  const result = await client.load();
  assert.equal(result.status, "cached");
  assert.deepEqual(codes(result), ["bad-signature"]);
  assert.equal(result.warnings[0].source, "verify");
  assert.equal(result.summary.version, 1);
  assert.deepEqual(textsOf(result), {});
  assert.equal(storage.get("forged/production/envelope"), kept);

  // A bundle signed by a key the root does not trust is refused the same way.
  const other = loader("intruded", { storage: memoryStorage() });
  publish(bundles, signBundle("intruded", 1, { keys: ["intruder"] }));
  await assert.rejects(other.load(), (e) => e.code === "no-valid-bundle" && e.warnings.some((w) => w.code === "unknown-key"));
});

test("a rollback (latest pointing back to an older, validly signed version) is refused and the newer bundle kept", async () => {
  const bundles = join(work, "bundles");
  publish(bundles, signBundle("rollback", 1, { extra: { texts: { en: { note: "better prices" } } } }));
  publish(bundles, signBundle("rollback", 2));
  const storage = memoryStorage();
  const client = loader("rollback", { storage });
  assert.equal((await client.load()).summary.version, 2);

  replaceFile(join(bundles, "rollback", "production", "latest.json"), JSON.stringify({ version: 1, path: "1.json", sha256: "0".repeat(64) }, null, 1));
  for (const c of [client, loader("rollback", { storage })]) {
    const result = await c.load();
    assert.equal(result.status, "cached");
    assert.deepEqual(codes(result), ["rollback"]);
    assert.equal(result.summary.version, 2);
    assert.deepEqual(textsOf(result), {});
  }
  assert.deepEqual(JSON.parse(storage.get("rollback/production/state")).bundles.map((b) => b.version), [2]);
});

test("a validly signed bundle of another bundle id is refused (wrong-bundle-id), from the network and from storage", async () => {
  const bundles = join(work, "bundles");
  publish(bundles, signBundle("victim", 1));
  publish(bundles, signBundle("other-line", 5, { extra: { texts: { en: { note: "other prices" } } } }));
  const storage = memoryStorage();
  assert.equal((await loader("victim", { storage }).load()).summary.version, 1);

  const otherEnvelope = readFileSync(join(bundles, "other-line", "production", "5.json"), "utf8");
  writeFileSync(join(bundles, "victim", "production", "5.json"), otherEnvelope);
  replaceFile(join(bundles, "victim", "production", "latest.json"), JSON.stringify({ version: 5, path: "5.json", sha256: "0".repeat(64) }, null, 2));
  const swapped = await loader("victim", { storage }).load();
  assert.equal(swapped.status, "cached");
  assert.deepEqual(swapped.warnings.map((w) => [w.source, w.code]), [["verify", "wrong-bundle-id"]]);
  assert.equal(swapped.summary.bundleId, "victim");
  assert.equal(swapped.summary.version, 1);

  storage.set("victim/production/envelope", otherEnvelope);
  const deadBase = `http://127.0.0.1:${await freePort()}/bundles/`;
  await assert.rejects(loader("victim", { storage, baseUrl: deadBase }).load(), (e) => e.code === "no-valid-bundle" && e.warnings[0].code === "wrong-bundle-id");
});

test("the server down: the last good bundle from storage, re-verified, with a network warning", async () => {
  publish(join(work, "bundles"), signBundle("offline", 1));
  const storage = memoryStorage();
  assert.equal((await loader("offline", { storage }).load()).status, "fresh");

  const deadBase = `http://127.0.0.1:${await freePort()}/bundles/`;
  const result = await loader("offline", { storage, baseUrl: deadBase }).load();
  assert.equal(result.status, "cached");
  assert.deepEqual(codes(result), ["network"]);
  assert.equal(result.summary.version, 1);

  // Nothing stored and nothing reachable: refused, never an empty or unverified result.
  await assert.rejects(loader("offline", { baseUrl: deadBase }).load(), (e) => e.code === "no-valid-bundle" && e.warnings[0].code === "network");
});

test("an expired last good bundle: refused in refuse mode, marked stale only within the grace in stale mode", async () => {
  const expiresAt = "2026-12-01T00:00:00Z";
  publish(join(work, "bundles"), signBundle("expiring", 1, { expiresAt }));
  const storage = memoryStorage();
  assert.equal((await loader("expiring", { storage }).load()).status, "fresh");
  const kept = storage.get("expiring/production/envelope");
  const later = () => "2026-12-01T01:00:00Z"; // one hour after expiry; the server only has the same bundle

  await assert.rejects(loader("expiring", { storage, now: later }).load(), (e) => {
    assert.equal(e.code, "no-valid-bundle");
    assert.deepEqual(e.warnings.map((w) => [w.source, w.code]), [["storage", "expired"], ["verify", "expired"]]);
    return true;
  });
  assert.equal(storage.get("expiring/production/envelope"), kept, "the expired bundle is kept for a later stale or a newer fetch");

  const stale = await loader("expiring", { storage, now: later, offlineGrace: { mode: "stale", maxStaleSeconds: 2 * 3600 } }).load();
  assert.equal(stale.status, "stale");
  assert.equal(stale.stale, true);
  assert.equal(stale.staleSeconds, 3600);
  assert.equal(stale.summary.version, 1);
  assert.equal(stale.summary.expiresAt, expiresAt);
  assert.deepEqual(codes(stale), ["expired", "expired"]);

  await assert.rejects(loader("expiring", { storage, now: later, offlineGrace: { mode: "stale", maxStaleSeconds: 600 } }).load(), (e) => e.code === "no-valid-bundle" && e.warnings.some((w) => w.code === "stale-beyond-grace"));

  // A lying expiry hint in storage cannot stretch the grace: the authenticated expiresAt counts.
  const lied = memoryStorage();
  for (const key of ["envelope", "state", "etag"]) lied.set(`expiring/production/${key}`, storage.get(`expiring/production/${key}`));
  lied.set("expiring/production/expiresAt", "2026-12-01T00:59:00Z");
  await assert.rejects(loader("expiring", { storage: lied, now: later, offlineGrace: { mode: "stale", maxStaleSeconds: 600 } }).load(), (e) => e.code === "no-valid-bundle");
});

test("tampered storage is never trusted: the code is reported and the network path still delivers", async () => {
  publish(join(work, "bundles"), signBundle("tamper", 1, { extra: { texts: { en: { note: "genuine" } } } }));
  const storage = memoryStorage();
  assert.equal((await loader("tamper", { storage }).load()).status, "fresh");
  const genuine = storage.get("tamper/production/envelope");
  storage.set("tamper/production/envelope", forge(genuine, (p) => (p.texts = { en: { note: "tampered" } })));

  const { fetch: recorded, calls } = recordingFetch();
  const result = await loader("tamper", { storage, fetch: recorded }).load();
  assert.equal(result.status, "fresh");
  assert.deepEqual(result.warnings.map((w) => [w.source, w.code]), [["storage", "bad-signature"]]);
  assert.deepEqual(textsOf(result), { en: { note: "genuine" } });
  assert.equal(calls[0].ifNoneMatch, null, "no ETag is sent for a copy that failed verification");
  assert.equal(storage.get("tamper/production/envelope"), genuine, "the verified download replaced the tampered copy");

  // Tampered storage and no network: refused, the tampered bytes are never returned.
  storage.set("tamper/production/envelope", forge(genuine, (p) => (p.texts = { en: { note: "tampered" } })));
  const deadBase = `http://127.0.0.1:${await freePort()}/bundles/`;
  await assert.rejects(loader("tamper", { storage, baseUrl: deadBase }).load(), (e) => e.code === "no-valid-bundle" && e.warnings[0].code === "bad-signature");

  // An unsigned draft planted in storage does not pass either (no preview without opt-in).
  const draft = JSON.stringify({ payloadType: "application/vnd.puhui.bundle+json", payload: JSON.parse(genuine).payload, signatures: [] });
  storage.set("tamper/production/envelope", draft);
  await assert.rejects(loader("tamper", { storage, baseUrl: deadBase }).load(), (e) => e.code === "no-valid-bundle" && e.warnings[0].code === "unsigned");

  // A corrupted state is reported and not used.
  storage.set("tamper/production/envelope", genuine);
  storage.set("tamper/production/state", '{"bundles": [], "rootChain": [{"payloadType": "x"}]}');
  const recovered = await loader("tamper", { storage }).load();
  assert.deepEqual(recovered.warnings.map((w) => [w.source, w.code, w.path]), [["storage", "invalid-state", "rootChain[0]"]]);
  assert.equal(recovered.status, "not-modified");
  assert.equal(recovered.summary.version, 1);
  assert.deepEqual(JSON.parse(storage.get("tamper/production/state")).bundles.map((b) => b.version), [1], "the state is rebuilt from the verified bundle");
  assert.deepEqual((await loader("tamper", { storage }).load()).warnings, []);
});

test("an oversize download is aborted before wasm sees it (too-large), by Content-Length and by the streamed count", async () => {
  const bundles = join(work, "bundles");
  publish(bundles, signBundle("big", 1));
  const storage = memoryStorage();
  const maxBytes = 16 * 1024;
  assert.equal((await loader("big", { storage, maxBytes }).load()).summary.version, 1);
  publish(bundles, signBundle("big", 2, { extra: { texts: { en: "x".repeat(64 * 1024) } } }));

  const seen = [];
  const wasm = { verifyBundle: (envelope, ...rest) => (seen.push(envelope.length), puhui.verifyBundle(envelope, ...rest)), rotateRoot: puhui.rotateRoot };
  const declared = await loader("big", { storage, maxBytes, wasm }).load();
  assert.equal(declared.status, "cached");
  assert.deepEqual(codes(declared), ["too-large"]);
  assert.match(declared.warnings[0].message, /declared size/);
  assert.equal(declared.summary.version, 1);

  // Without a Content-Length (chunked, or a lying proxy) the stream is cut at the cap.
  let delivered = 0;
  const { fetch: unsized } = recordingFetch(async (url, response) => {
    if (!/\/2\.json$/.test(url)) return response;
    const headers = new Headers(response.headers);
    headers.delete("content-length");
    const counted = response.body.pipeThrough(new TransformStream({ transform(chunk, controller) { delivered += chunk.byteLength; controller.enqueue(chunk); } }));
    return new Response(counted, { status: response.status, headers });
  });
  const streamed = await loader("big", { storage, maxBytes, wasm, fetch: unsized }).load();
  assert.equal(streamed.status, "cached");
  assert.deepEqual(codes(streamed), ["too-large"]);
  assert.match(streamed.warnings[0].message, /streamed size/);
  assert.equal(streamed.summary.version, 1);
  assert.ok(delivered < 64 * 1024, `read ${delivered} bytes of a ${64 * 1024}+ byte body`);
  assert.ok(seen.every((n) => n <= maxBytes), `wasm saw ${seen}`);
});

test("root rotation: the loader walks roots/2.json and verifies a bundle signed by the new key only", async () => {
  const dir = join(work, "rotation");
  const bundles = join(dir, "bundles");
  mkdirSync(join(bundles, "roots"), { recursive: true });
  const own = await startServer({ dir, args: ["--bundles", bundles, "--config", join(work, "serve.json")] });
  try {
    const storage = memoryStorage();
    const client = () => createBundleLoader({ wasm: puhui, baseUrl: `${own.base}/bundles`, bundleId: "rotating", pinnedRoot: rootV1, storage, now: () => NOW });
    publish(bundles, signBundle("rotating", 1));
    assert.equal((await client().load()).summary.rootVersion, 1);

    // A bundle under root 2 before root 2 is published: root-outdated, version 1 kept.
    publish(bundles, signBundle("rotating", 2, { keys: ["k2"], rootVersion: 2 }));
    const early = await client().load();
    assert.equal(early.status, "cached");
    assert.deepEqual(codes(early), ["root-outdated"]);
    assert.equal(early.summary.version, 1);

    // A "root 2" signed only by the new key is not a rotation: refused, version 1 kept.
    const forgedRoot = join(work, "root2-forged.json");
    cli("root", "new", "--version", "2", "--threshold", "1", "--expires", "2037-01-01T00:00:00Z", "--key", join(work, "keys", "k2.pub"), "--sign", join(work, "keys", "k2.key"), "-o", forgedRoot);
    replaceFile(join(bundles, "roots", "2.json"), readFileSync(forgedRoot, "utf8"));
    const refused = await client().load();
    assert.equal(refused.status, "cached");
    assert.deepEqual(refused.warnings.map((w) => [w.source, w.code]), [["root", "root-chain-broken"], ["verify", "root-outdated"]]);
    assert.equal(refused.summary.version, 1);
    assert.equal(JSON.parse(storage.get("rotating/production/state")).rootChain.length, 0);

    // The real root 2 (signed by root 1's key and its own) is walked to.
    const rotated = join(work, "root2.json");
    cli("root", "rotate", "--from", join(work, "root1.json"), "--threshold", "1", "--key", join(work, "keys", "k2.pub"), "--sign", join(work, "keys", "k1.key"), "--sign", join(work, "keys", "k2.key"), "-o", rotated);
    replaceFile(join(bundles, "roots", "2.json"), readFileSync(rotated, "utf8") + "\n");
    const result = await client().load();
    assert.equal(result.status, "fresh");
    assert.deepEqual(result.warnings, []);
    assert.equal(result.summary.version, 2);
    assert.equal(result.summary.rootVersion, 2);
    assert.deepEqual(result.summary.signedBy, ["k2"]);
    assert.equal(result.state.root.version, 2);
    assert.equal(JSON.parse(storage.get("rotating/production/state")).rootChain.length, 1);

    // A client that never saw root 2 learns it before trusting new data: a bundle signed with
    // the replaced (say, leaked) key 1 is refused even on first contact.
    publish(bundles, signBundle("compromised", 1, { keys: ["k1"], rootVersion: 1 }));
    const firstContact = createBundleLoader({ wasm: puhui, baseUrl: `${own.base}/bundles/`, bundleId: "compromised", pinnedRoot: rootV1, storage: memoryStorage(), now: () => NOW });
    await assert.rejects(firstContact.load(), (e) => {
      assert.equal(e.code, "no-valid-bundle");
      assert.deepEqual(e.warnings.map((w) => [w.source, w.code]), [["verify", "unknown-key"]]);
      return true;
    });

    // From storage, with the server gone, the rotated state still verifies the new bundle.
    await own.stop();
    const offline = await client().load();
    assert.equal(offline.status, "cached");
    assert.equal(offline.summary.version, 2);
    assert.deepEqual(codes(offline), ["network"]);

    // The old key no longer counts once root 2 is known.
    const afterRotation = memoryStorage();
    for (const key of ["state"]) afterRotation.set(`rotating/production/${key}`, storage.get(`rotating/production/${key}`));
    afterRotation.set("rotating/production/envelope", readFileSync(signBundle("rotating", 3, { keys: ["k1"], rootVersion: 1 }), "utf8"));
    await assert.rejects(createBundleLoader({ wasm: puhui, baseUrl: `${own.base}/bundles`, bundleId: "rotating", pinnedRoot: rootV1, storage: afterRotation, now: () => NOW }).load(), (e) => e.code === "no-valid-bundle" && ["unknown-key", "threshold-not-met"].includes(e.warnings[0].code));
  } finally {
    await own.stop();
  }
});

test("root rotation with roots/latest.json: walked to the pointer without a 404; a lagging pointer still rotates on root-outdated; a missing promised root is a warning", async () => {
  const dir = join(work, "rotation-pointer");
  const bundles = join(dir, "bundles");
  mkdirSync(join(bundles, "roots"), { recursive: true });
  const pointTo = (version) => replaceFile(join(bundles, "roots", "latest.json"), JSON.stringify({ version }));
  const own = await startServer({ dir, args: ["--bundles", bundles, "--config", join(work, "serve.json")] });
  const path = (url) => new URL(url).pathname;
  try {
    const storage = memoryStorage();
    const { fetch: recorded, calls } = recordingFetch();
    const client = (bundleId = "pointed", store = storage) => createBundleLoader({ wasm: puhui, baseUrl: `${own.base}/bundles/`, bundleId, pinnedRoot: rootV1, storage: store, now: () => NOW, fetch: recorded });
    pointTo(1);
    publish(bundles, signBundle("pointed", 1));
    assert.equal((await client().load()).status, "fresh");
    assert.deepEqual(calls.filter((c) => c.status >= 400).map((c) => path(c.url)), [], "nothing requested that does not exist");

    // Root 2 published and pointed to: walked to before the new bundle is verified, no 404.
    const root2 = join(dir, "root2.json");
    cli("root", "rotate", "--from", join(work, "root1.json"), "--threshold", "1", "--key", join(work, "keys", "k2.pub"), "--sign", join(work, "keys", "k1.key"), "--sign", join(work, "keys", "k2.key"), "-o", root2);
    writeFileSync(join(bundles, "roots", "2.json"), readFileSync(root2));
    pointTo(2);
    publish(bundles, signBundle("pointed", 2, { keys: ["k2"], rootVersion: 2 }));
    calls.length = 0;
    const rotated = await client().load();
    assert.equal(rotated.status, "fresh");
    assert.deepEqual(rotated.warnings, []);
    assert.equal(rotated.summary.rootVersion, 2);
    assert.deepEqual(calls.map((c) => [path(c.url), c.status]), [["/bundles/pointed/production/latest.json", 200], ["/bundles/pointed/production/2.json", 200], ["/bundles/roots/latest.json", 200], ["/bundles/roots/2.json", 200]]);

    // First contact under the pointer: root 2 is learnt before trusting data, so the replaced
    // (say, leaked) key 1 no longer counts, and still no 404.
    publish(bundles, signBundle("pointed-compromised", 1, { keys: ["k1"], rootVersion: 1 }));
    calls.length = 0;
    await assert.rejects(client("pointed-compromised", memoryStorage()).load(), (e) => {
      assert.equal(e.code, "no-valid-bundle");
      assert.deepEqual(e.warnings.map((w) => [w.source, w.code]), [["verify", "unknown-key"]]);
      return true;
    });
    assert.deepEqual(calls.filter((c) => c.status >= 400).map((c) => path(c.url)), []);

    // A lagging pointer (still 2) and a bundle signed under root 3: root-outdated, then the walk
    // probes past the pointer and finds roots/3.json.
    const root3 = join(dir, "root3.json");
    cli("root", "rotate", "--from", root2, "--threshold", "1", "--key", join(work, "keys", "k2.pub"), "--sign", join(work, "keys", "k2.key"), "-o", root3);
    writeFileSync(join(bundles, "roots", "3.json"), readFileSync(root3));
    publish(bundles, signBundle("pointed", 3, { keys: ["k2"], rootVersion: 3 }));
    const lagging = await client().load();
    assert.equal(lagging.status, "fresh");
    assert.equal(lagging.summary.rootVersion, 3);
    assert.deepEqual(lagging.warnings, []);

    // A pointer naming a root that is not there: a warning from root discovery, nothing else lost.
    pointTo(5);
    publish(bundles, signBundle("pointed", 4, { keys: ["k2"], rootVersion: 3 }));
    const missing = await client().load();
    assert.equal(missing.status, "fresh");
    assert.equal(missing.summary.version, 4);
    assert.deepEqual(missing.warnings.map((w) => [w.source, w.code]), [["root", "http-error"]]);
  } finally {
    await own.stop();
  }
});

test("an unsigned draft is refused unless previewAllowed; with it the result says preview and nothing is persisted", async () => {
  const bundles = join(work, "bundles");
  publish(bundles, signBundle("drafts", 1));
  const storage = memoryStorage();
  assert.equal((await loader("drafts", { storage }).load()).summary.version, 1);
  const kept = { envelope: storage.get("drafts/production/envelope"), state: storage.get("drafts/production/state") };

  // `puhui publish` refuses unsigned envelopes, so the draft is planted as a hostile host would.
  const draft = { schema: "puhui.bundle/v1", bundleId: "drafts", channel: "production", version: 2, issuedAt: ISSUED, expiresAt: EXPIRES, minEngineVersion: "0.1.0", rootVersion: 1, products: [], caps: [], subsidyPrograms: [], texts: { en: { note: "draft" } } };
  const envelope = { payloadType: "application/vnd.puhui.bundle+json", payload: Buffer.from(JSON.stringify(draft)).toString("base64"), signatures: [] };
  writeFileSync(join(bundles, "drafts", "production", "2.json"), JSON.stringify(envelope));
  replaceFile(join(bundles, "drafts", "production", "latest.json"), JSON.stringify({ version: 2, path: "2.json", sha256: "0".repeat(64) }, null, 2));

  const refused = await loader("drafts", { storage }).load();
  assert.equal(refused.status, "cached");
  assert.deepEqual(codes(refused), ["unsigned"]);
  assert.equal(refused.preview, false);
  assert.equal(refused.summary.version, 1);

  const previewed = await loader("drafts", { storage, previewAllowed: true }).load();
  assert.equal(previewed.status, "fresh");
  assert.equal(previewed.preview, true);
  assert.equal(previewed.summary.preview, true);
  assert.deepEqual(textsOf(previewed), { en: { note: "draft" } });
  assert.deepEqual({ envelope: storage.get("drafts/production/envelope"), state: storage.get("drafts/production/state") }, kept, "a draft never becomes the last good bundle");

  const back = await loader("drafts", { storage }).load();
  assert.equal(back.preview, false);
  assert.equal(back.summary.version, 1);
});

test("storage adapters map the host APIs onto get/set/remove", async () => {
  const backing = new Map();
  const local = localStorageAdapter("p:", { getItem: (k) => backing.get(k) ?? null, setItem: (k, v) => backing.set(k, v), removeItem: (k) => backing.delete(k) });
  local.set("a", "1");
  assert.equal(backing.get("p:a"), "1");
  assert.equal(local.get("a"), "1");
  local.remove("a");
  assert.equal(local.get("a"), null);

  const wxBacking = new Map();
  const wx = { getStorageSync: (k) => wxBacking.get(k) ?? "", setStorageSync: (k, v) => wxBacking.set(k, v), removeStorageSync: (k) => wxBacking.delete(k) };
  const w = wxStorage(wx);
  assert.equal(w.get("x"), null);
  w.set("x", "v");
  assert.equal(w.get("x"), "v");
  w.remove("x");
  assert.equal(w.get("x"), null);

  const myBacking = new Map();
  const my = { getStorageSync: ({ key }) => ({ data: myBacking.get(key) ?? null }), setStorageSync: ({ key, data }) => myBacking.set(key, data), removeStorageSync: ({ key }) => myBacking.delete(key) };
  const m = myStorage(my);
  m.set("y", "v");
  assert.equal(myBacking.get("puhui:y"), "v");
  assert.equal(m.get("y"), "v");
  m.remove("y");
  assert.equal(m.get("y"), null);

  // The loader works through an async adapter as well.
  publish(join(work, "bundles"), signBundle("async-storage", 1));
  const sync = memoryStorage();
  const asyncStorage = { get: async (k) => sync.get(k), set: async (k, v) => sync.set(k, v), remove: async (k) => sync.remove(k) };
  assert.equal((await loader("async-storage", { storage: asyncStorage }).load()).status, "fresh");
  assert.equal((await loader("async-storage", { storage: asyncStorage }).load()).status, "not-modified");
});

test("runs on a mini-program-like host: no fetch, URL, TextDecoder or AbortController; wx.request-style fetch and wx storage", async () => {
  const { request } = await import("node:http");
  publish(join(work, "bundles"), signBundle("mini", 1, { extra: { texts: { "zh-CN": { note: "年化利率" } } } }));
  // What a wx.request wrapper gives: the whole body at once, lower-case header lookup.
  const calls = [];
  const wxFetch = (url, init) =>
    new Promise((resolve, reject) => {
      calls.push({ url, headers: init.headers });
      const req = request(url, { method: "GET", headers: init.headers }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode, headers: { get: (name) => res.headers[name.toLowerCase()] ?? null }, body: null, arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) });
        });
      });
      req.on("error", reject);
      req.end();
    });
  const backing = new Map();
  const wx = { getStorageSync: (k) => backing.get(k) ?? "", setStorageSync: (k, v) => backing.set(k, v), removeStorageSync: (k) => backing.delete(k) };

  const removed = ["fetch", "URL", "TextDecoder", "AbortController", "localStorage"];
  const saved = Object.fromEntries(removed.map((name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)]));
  for (const name of removed) delete globalThis[name];
  let first;
  let second;
  let tooBig;
  let revalidation;
  try {
    assert.equal(typeof TextDecoder, "undefined");
    const make = (extra = {}) => createBundleLoader({ wasm: puhui, baseUrl: `${server.base}/bundles/`, bundleId: "mini", pinnedRoot: rootV1, storage: wxStorage(wx), fetch: wxFetch, now: () => NOW, ...extra });
    first = await make().load();
    second = await make().load();
    revalidation = calls.at(-1);
    tooBig = await make({ maxBytes: 300 }).load().catch((e) => e);
  } finally {
    for (const [name, descriptor] of Object.entries(saved)) if (descriptor) Object.defineProperty(globalThis, name, descriptor);
  }
  assert.equal(first.status, "fresh");
  assert.deepEqual(textsOf(first), { "zh-CN": { note: "年化利率" } });
  assert.equal(second.status, "not-modified");
  assert.match(revalidation.url, /latest\.json$/);
  assert.equal(revalidation.headers["If-None-Match"], backing.get("puhui:mini/production/etag"));
  // The stored copy is over the small cap too, so nothing verifies: refused, with both codes.
  assert.equal(tooBig.code, "no-valid-bundle");
  assert.deepEqual(tooBig.warnings.map((w) => [w.source, w.code]), [["storage", "too-large"], ["network", "too-large"]]);
  assert.match(tooBig.warnings[1].message, /declared size/);
});
