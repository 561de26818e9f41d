// The puhui client loader: fetches a signed rule bundle, verifies it in the wasm engine and keeps
// the last good one in host storage, so a page can quote offline and a hostile network or a
// tampered storage can never put unverified numbers on screen.
//
// It owns the host side of shared/spec/bundles.md "Delivery": ETag revalidation of latest.json,
// a size cap enforced on the download itself, trust-root walking, persistence only after
// success, and the offline-grace policy. It must not decide what is valid: every byte it uses,
// including what it reads back from storage, goes through `wasm.verifyBundle` first.
//
// Server layout it reads (what `puhui serve` / `puhui publish` produce, any static host works):
//   <baseUrl><bundleId>/<channel>/latest.json  {"version": N, "path": "N.json", "sha256": "..."}
//   <baseUrl><bundleId>/<channel>/<N>.json     signed DSSE envelope, immutable
//   <baseUrl>roots/<V>.json                    trust root envelope version V, immutable
// Root discovery: from the current root version V (the pinned root walked through the persisted
// chain), the loader fetches roots/V+1.json, V+2.json, ... until a 404 and hands each one to
// `wasm.rotateRoot` (which accepts it only when signed by a threshold of V's keys and its own).
// "roots" is therefore not usable as a bundle id under the same baseUrl (override `rootsUrl`).
// Roots are walked before verifying every newly offered bundle (so a client that never saw root
// V+1 stops trusting keys it dropped) and once more when the verifier answers root-outdated.
//
// Storage keys (per adapter prefix): <bundleId>/<channel>/envelope | state | etag | expiresAt.
// Limits, by design: storage is as trustworthy as the host makes it. Tampered bytes never verify,
// but a party that can write storage can reset the state (losing the rollback floor across
// restarts) or plant an older, validly signed bundle with a matching state; within one loader the
// in-memory state stays the floor. Mini-programs: pass `fetch` (a wx.request/my.request wrapper
// returning {status, headers.get, body|null, arrayBuffer()}); without a body stream the size cap
// is checked after the body arrived, still before anything parses it.

const DEFAULT_MAX_BYTES = 1024 * 1024;
const POINTER_MAX_BYTES = 16 * 1024;
const MAX_ROOT_STEPS = 64;
const DEFAULT_TIMEOUT_MS = 15000;
const SAFE_PATH = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;
const SAFE_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

/** Error thrown by the loader; `code` is a stable kebab-case string. */
export class BundleLoadError extends Error {
  constructor(code, message, extra) {
    super(message);
    this.name = "BundleLoadError";
    this.code = code;
    if (extra) Object.assign(this, extra);
  }
}

/**
 * Creates a loader for one bundle id on one channel. See loader.d.ts for the options and result.
 */
export function createBundleLoader(options) {
  const config = normalize(options);
  const keys = storageKeys(config.bundleId, config.channel);
  // Within one loader the last verified state is the rollback floor, whatever storage says later.
  let sessionState = null;

  async function load() {
    const warnings = [];
    const warn = (source, error) => {
      const warning = toWarning(source, error);
      // A root walk repeated after root-outdated may hit the same refusal again: report it once.
      if (!warnings.some((w) => w.source === warning.source && w.code === warning.code && w.message === warning.message)) warnings.push(warning);
    };
    const nowText = config.now();
    const nowMs = Date.parse(nowText);
    if (!Number.isFinite(nowMs)) throw new BundleLoadError("invalid-now", `now() returned ${JSON.stringify(nowText)}, not an RFC 3339 time`);

    const stored = await readStored(config.storage, keys, warn);
    // Fast path: the stored envelope under the stored state (one verifier call). Only when that
    // fails is the stored state checked on its own, so a broken state is reported as such and
    // dropped (a fresh state loses the rollback floor, visibly) instead of blocking every load.
    let state = sessionState ?? stored.state;
    let cached = await reverifyStored(config, stored, state, nowText);
    let stateBroken = false;
    if (!cached.result && sessionState === null && stored.state !== null) {
      state = await checkedState(config, stored.state, warn);
      stateBroken = state === null;
      if (stateBroken && stored.envelope !== null) cached = await reverifyStored(config, stored, null, nowText);
    }
    if (cached.error) warn("storage", cached.error);
    if (cached.result) state = cached.result.state;

    const outcome = await fetchAndVerify(config, { cached: cached.result, etag: cached.result ? stored.etag : null, state, nowText }, warn);
    if (outcome.kind === "fresh") {
      const { result, envelopeText, etag } = outcome;
      if (!result.summary.preview) {
        sessionState = result.state;
        await persist(config.storage, keys, { envelope: envelopeText, state: JSON.stringify(result.state), etag, expiresAt: result.summary.expiresAt }, warn);
      }
      return shape("fresh", result, warnings);
    }
    if (cached.result) {
      sessionState = cached.result.state;
      // The stored bundle verified but its state did not: store the state that goes with it.
      if (stateBroken) await writeKey(config.storage, keys.state, JSON.stringify(cached.result.state), warn);
      if (outcome.kind === "not-modified") {
        if (outcome.etag && outcome.etag !== stored.etag) await writeKey(config.storage, keys.etag, outcome.etag, warn);
        return shape("not-modified", cached.result, warnings);
      }
      return shape("cached", cached.result, warnings);
    }
    if (cached.expired && config.offlineGrace.mode === "stale") {
      const stale = await staleResult(config, stored, state, nowMs, warn);
      if (stale) return { ...shape("stale", stale.result, warnings), stale: true, staleSeconds: stale.staleSeconds };
    }
    throw new BundleLoadError("no-valid-bundle", "no verified bundle is available: " + (warnings.map((w) => w.code).join(", ") || "nothing stored and nothing fetched"), { warnings });
  }

  async function clear() {
    sessionState = null;
    for (const key of Object.values(keys)) await config.storage.remove(key);
  }

  // Overlapping calls share one run, so two loads never interleave their storage writes.
  let inFlight = null;
  function loadOnce() {
    if (inFlight === null) inFlight = load().finally(() => (inFlight = null));
    return inFlight;
  }

  return { load: loadOnce, clear, bundleId: config.bundleId, channel: config.channel };
}

function normalize(options) {
  if (!options || typeof options !== "object") throw new TypeError("createBundleLoader needs an options object");
  const { wasm, baseUrl, bundleId, pinnedRoot, storage } = options;
  if (!wasm || typeof wasm.verifyBundle !== "function" || typeof wasm.rotateRoot !== "function") throw new TypeError("options.wasm must be the puhui module (verifyBundle, rotateRoot)");
  if (typeof baseUrl !== "string" || baseUrl === "") throw new TypeError("options.baseUrl must be a URL string");
  const channel = options.channel ?? "production";
  for (const [name, value] of [["bundleId", bundleId], ["channel", channel]]) {
    if (typeof value !== "string" || !SAFE_ID.test(value)) throw new TypeError(`options.${name} must be 1-128 of [A-Za-z0-9._-]`);
  }
  if (typeof pinnedRoot !== "string" && !(pinnedRoot instanceof Uint8Array)) throw new TypeError("options.pinnedRoot must be the pinned root envelope (string or Uint8Array)");
  if (!storage || typeof storage.get !== "function" || typeof storage.set !== "function" || typeof storage.remove !== "function") throw new TypeError("options.storage must be a storage adapter {get, set, remove}");
  // Some mini-program engines have no `globalThis` and no `fetch`: pass options.fetch there.
  // Browsers throw "Illegal invocation" when fetch is called detached from the window, so the
  // default is bound; a host-provided fetch is used as given.
  const globalFetch = typeof globalThis === "undefined" || typeof globalThis.fetch !== "function" ? undefined : globalThis.fetch.bind(globalThis);
  const fetchImpl = options.fetch ?? globalFetch;
  if (typeof fetchImpl !== "function") throw new TypeError("no fetch: pass options.fetch (a fetch-compatible function)");
  const grace = options.offlineGrace ?? { mode: "refuse" };
  if (grace.mode !== "refuse" && grace.mode !== "stale") throw new TypeError('offlineGrace.mode must be "refuse" or "stale"');
  if (grace.mode === "stale" && !(Number.isFinite(grace.maxStaleSeconds) && grace.maxStaleSeconds >= 0)) throw new TypeError("offlineGrace.maxStaleSeconds must be a non-negative number in stale mode");
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) throw new TypeError("options.maxBytes must be a positive integer");
  const base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
  const rootsUrl = options.rootsUrl ?? base + "roots/";
  return {
    wasm,
    bundleId,
    channel,
    pinnedRoot,
    storage,
    fetch: fetchImpl,
    now: options.now ?? (() => new Date().toISOString()),
    offlineGrace: grace,
    maxBytes,
    previewAllowed: options.previewAllowed === true,
    minRootVersion: options.minRootVersion ?? 0,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    latestUrl: `${base}${bundleId}/${channel}/latest.json`,
    rootsUrl: rootsUrl.endsWith("/") ? rootsUrl : rootsUrl + "/",
  };
}

function verifyOptions(config) {
  return { channel: config.channel, maxBytes: config.maxBytes, previewAllowed: config.previewAllowed, minRootVersion: config.minRootVersion };
}

/**
 * The verifier plus the one check it cannot make: the signed bundle id must be the one this
 * loader asked for (one root may sign many bundle lines; a host must not swap them).
 */
async function verify(config, envelope, state, nowText) {
  const result = await config.wasm.verifyBundle(envelope, config.pinnedRoot, state, nowText, verifyOptions(config));
  if (result.summary.bundleId !== config.bundleId) {
    throw new BundleLoadError("wrong-bundle-id", `the signed bundle is ${JSON.stringify(result.summary.bundleId)}, this loader wants ${JSON.stringify(config.bundleId)}`, { path: "payload.bundleId" });
  }
  // The exact verified bytes travel with the result so the host can hand them to `Engine.load`
  // (which verifies again inside wasm) instead of anything re-serialized.
  result.envelope = envelope;
  return result;
}

function storageKeys(bundleId, channel) {
  const base = `${bundleId}/${channel}/`;
  return { envelope: base + "envelope", state: base + "state", etag: base + "etag", expiresAt: base + "expiresAt" };
}

// ---------------------------------------------------------------------------------------------
// Storage: attacker-writable, so everything read here is re-verified before use.

async function readStored(storage, keys, warn) {
  const read = async (key) => {
    try {
      const value = await storage.get(key);
      return typeof value === "string" && value !== "" ? value : null;
    } catch (error) {
      warn("storage", { code: "storage-read-failed", message: errorMessage(error) });
      return null;
    }
  };
  return { envelope: await read(keys.envelope), state: await read(keys.state), etag: await read(keys.etag), expiresAt: await read(keys.expiresAt) };
}

async function writeKey(storage, key, value, warn) {
  try {
    await storage.set(key, value);
    return true;
  } catch (error) {
    warn("storage", { code: "storage-write-failed", message: errorMessage(error) });
    return false;
  }
}

async function persist(storage, keys, record, warn) {
  // The etag goes last: a crash part-way leaves no etag, so the next load downloads again.
  try {
    await storage.remove(keys.etag);
  } catch {
    // a failed remove is reported by the writes below if the storage is really broken
  }
  if (!(await writeKey(storage, keys.envelope, record.envelope, warn))) return;
  if (!(await writeKey(storage, keys.state, record.state, warn))) return;
  await writeKey(storage, keys.expiresAt, record.expiresAt, warn);
  if (record.etag) await writeKey(storage, keys.etag, record.etag, warn);
}

/** The stored state, accepted only when the verifier can walk its root chain from the pinned root. */
async function checkedState(config, stateText, warn) {
  if (stateText === null) return null;
  try {
    return (await currentRoot(config, stateText)).state;
  } catch (error) {
    warn("storage", error);
    return null;
  }
}

/**
 * The current root of `state` (the pinned root walked through the persisted chain), via the
 * verifier: offering the current root again to `rotateRoot` is a no-op that checks the whole
 * chain. The current root is the newest chain entry, or the pin when the pin is newer or the
 * chain is empty. Returns {state, version}; throws the verifier's error for a broken state.
 */
async function currentRoot(config, state) {
  const parsed = typeof state === "string" ? JSON.parse(state) : state;
  const chain = parsed && Array.isArray(parsed.rootChain) ? parsed.rootChain : [];
  const candidates = chain.length > 0 ? [JSON.stringify(chain[chain.length - 1]), config.pinnedRoot] : [config.pinnedRoot];
  let firstError = null;
  for (const candidate of candidates) {
    try {
      const { state: checked, root } = await config.wasm.rotateRoot(config.pinnedRoot, state, candidate);
      return { state: checked, version: root.version };
    } catch (error) {
      firstError = firstError ?? error;
    }
  }
  throw firstError;
}

/** Re-verifies the stored envelope under the stored state (an equal version and hash passes). */
async function reverifyStored(config, stored, state, nowText) {
  if (stored.envelope === null) return { result: null, expired: false, error: null };
  try {
    return { result: await verify(config, stored.envelope, state, nowText), expired: false, error: null };
  } catch (error) {
    return { result: null, expired: Boolean(error && error.code === "expired"), error };
  }
}

/**
 * An expired last good bundle in stale mode: verified as of one second before its expiry (so
 * signature, root, channel and rollback all still count), then served only while the real now is
 * within maxStaleSeconds of the authenticated expiresAt.
 */
async function staleResult(config, stored, state, nowMs, warn) {
  const hintMs = Date.parse(stored.expiresAt ?? "");
  if (!Number.isFinite(hintMs)) return null;
  const asOf = new Date(hintMs - 1000).toISOString();
  let result;
  try {
    result = await verify(config, stored.envelope, state, asOf);
  } catch (error) {
    warn("storage", error);
    return null;
  }
  const expiresMs = Date.parse(result.summary.expiresAt);
  const staleSeconds = Math.floor((nowMs - expiresMs) / 1000);
  if (!(staleSeconds >= 0 && staleSeconds <= config.offlineGrace.maxStaleSeconds)) {
    warn("storage", { code: "stale-beyond-grace", message: `the last good bundle expired ${staleSeconds} s ago, beyond the ${config.offlineGrace.maxStaleSeconds} s grace` });
    return null;
  }
  return { result, staleSeconds };
}

// ---------------------------------------------------------------------------------------------
// Network: the pointer, the versioned file, the roots.

async function fetchAndVerify(config, context, warn) {
  const { cached, nowText } = context;
  let pointerResponse;
  try {
    const headers = context.etag ? { "If-None-Match": context.etag } : {};
    pointerResponse = await download(config, config.latestUrl, POINTER_MAX_BYTES, headers);
  } catch (error) {
    warn("network", error);
    return { kind: "failed" };
  }
  if (pointerResponse.status === 304) {
    if (cached) return { kind: "not-modified", etag: pointerResponse.etag };
    warn("network", { code: "http-error", message: "304 without a cached bundle", status: 304 });
    return { kind: "failed" };
  }
  let pointer;
  try {
    pointer = parsePointer(pointerResponse.bytes);
  } catch (error) {
    warn("network", error);
    return { kind: "failed" };
  }
  if (cached && !cached.summary.preview && pointer.version === cached.summary.version) {
    // Nothing newer is offered; the verified copy stays in use.
    return { kind: "not-modified", etag: pointerResponse.etag };
  }

  let envelope;
  try {
    envelope = await download(config, resolveSibling(config.latestUrl, pointer.path), config.maxBytes, {});
  } catch (error) {
    warn("network", error);
    return { kind: "failed" };
  }
  const envelopeText = utf8Decode(envelope.bytes);
  if (envelopeText === null) {
    warn("network", { code: "malformed", message: "the bundle is not UTF-8" });
    return { kind: "failed" };
  }

  // Learn about newer roots before trusting new data (a leaked old key stops counting), and once
  // more if the bundle says it was signed under a root we have not seen.
  let { state } = await walkRoots(config, context.state, warn);
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await verify(config, envelopeText, state, nowText);
      return { kind: "fresh", result, envelopeText, etag: pointerResponse.etag };
    } catch (error) {
      if (error && error.code === "root-outdated" && attempt === 0) {
        const walked = await walkRoots(config, state, warn);
        if (walked.advanced) {
          state = walked.state;
          continue;
        }
      }
      warn("verify", error);
      return { kind: "failed" };
    }
  }
}

/**
 * Walks the trust root forward through roots/V+1.json, V+2.json, ... until a 404 or a refusal.
 * Returns {state, advanced}; the state is only persisted later, with a verified bundle.
 */
async function walkRoots(config, state, warn) {
  let current = state;
  let version;
  try {
    ({ state: current, version } = await currentRoot(config, current));
  } catch (error) {
    warn("root", error);
    return { state, advanced: false };
  }
  let advanced = false;
  for (let step = 0; step < MAX_ROOT_STEPS; step++) {
    const url = `${config.rootsUrl}${version + 1}.json`;
    let response;
    try {
      response = await download(config, url, config.maxBytes, {}, { allowNotFound: true });
    } catch (error) {
      warn("root", error);
      break;
    }
    if (response.status === 404) break;
    try {
      const rotated = await config.wasm.rotateRoot(config.pinnedRoot, current, response.bytes);
      current = rotated.state;
      version = rotated.root.version;
      advanced = true;
    } catch (error) {
      warn("root", error);
      break;
    }
  }
  return { state: current, advanced };
}

function parsePointer(bytes) {
  let pointer;
  try {
    pointer = JSON.parse(utf8Decode(bytes) ?? "");
  } catch {
    throw new BundleLoadError("bad-pointer", "latest.json is not JSON");
  }
  if (!pointer || typeof pointer !== "object" || !Number.isSafeInteger(pointer.version) || pointer.version < 1 || typeof pointer.path !== "string") {
    throw new BundleLoadError("bad-pointer", "latest.json needs an integer version and a path");
  }
  // The pointer is unsigned: it may only name a file next to it, never another host or a parent.
  if (!SAFE_PATH.test(pointer.path) || pointer.path.split("/").some((part) => part === "." || part === "..")) {
    throw new BundleLoadError("bad-pointer", `latest.json path ${JSON.stringify(pointer.path)} is not a plain relative path`);
  }
  return pointer;
}

/** `new URL(path, base)` for a plain relative path, without needing `URL` (absent in mini-programs). */
function resolveSibling(base, path) {
  const cut = base.replace(/[?#].*$/, "");
  return cut.slice(0, cut.lastIndexOf("/") + 1) + path;
}

/**
 * GETs `url` and reads at most `cap` bytes: a Content-Length above the cap aborts before the body
 * is read, and the streamed count aborts as soon as it crosses the cap (a lying or missing
 * Content-Length cannot get more through). Returns {status, etag, bytes}; 304 has no bytes.
 */
async function download(config, url, cap, headers, { allowNotFound = false } = {}) {
  const controller = typeof AbortController === "function" ? new AbortController() : null;
  const timer = controller && config.timeoutMs > 0 ? setTimeout(() => controller.abort(), config.timeoutMs) : null;
  try {
    let response;
    try {
      response = await config.fetch(url, { method: "GET", headers, signal: controller ? controller.signal : undefined });
    } catch (error) {
      throw new BundleLoadError("network", `GET ${url} failed: ${errorMessage(error)}`, { url });
    }
    const etag = response.headers && typeof response.headers.get === "function" ? response.headers.get("etag") : null;
    if (response.status === 304 && headers["If-None-Match"]) return { status: 304, etag, bytes: null };
    if (response.status === 404 && allowNotFound) {
      await discard(response);
      return { status: 404, etag, bytes: null };
    }
    if (response.status !== 200) {
      await discard(response);
      throw new BundleLoadError("http-error", `GET ${url} answered ${response.status}`, { url, status: response.status });
    }
    const declared = Number(response.headers && typeof response.headers.get === "function" ? response.headers.get("content-length") : NaN);
    if (Number.isFinite(declared) && declared > cap) {
      if (controller) controller.abort();
      await discard(response);
      throw tooLarge(url, declared, cap, "declared");
    }
    const bytes = await readCapped(response, cap, controller, url);
    return { status: 200, etag, bytes };
  } finally {
    if (timer !== null) clearTimeout(timer);
  }
}

async function readCapped(response, cap, controller, url) {
  const body = response.body;
  if (body && typeof body.getReader === "function") {
    const reader = body.getReader();
    const chunks = [];
    let total = 0;
    for (;;) {
      let step;
      try {
        step = await reader.read();
      } catch (error) {
        throw new BundleLoadError("network", `reading ${url} failed: ${errorMessage(error)}`, { url });
      }
      if (step.done) break;
      total += step.value.byteLength;
      if (total > cap) {
        try {
          await reader.cancel();
        } catch {
          // already failed: the cap error below is what matters
        }
        if (controller) controller.abort();
        throw tooLarge(url, total, cap, "streamed");
      }
      chunks.push(step.value);
    }
    const bytes = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return bytes;
  }
  // A fetch-like without streams (mini-program wrappers): the whole body is already in memory,
  // so the cap can only be checked after the fact, still before anything parses it.
  const buffer = await response.arrayBuffer();
  if (buffer.byteLength > cap) throw tooLarge(url, buffer.byteLength, cap, "buffered");
  return new Uint8Array(buffer);
}

async function discard(response) {
  try {
    if (response.body && typeof response.body.cancel === "function") await response.body.cancel();
  } catch {
    // nothing to release
  }
}

function tooLarge(url, size, cap, how) {
  return new BundleLoadError("too-large", `GET ${url}: ${how} size ${size} bytes exceeds the ${cap}-byte cap`, { url, size, max: cap });
}

// ---------------------------------------------------------------------------------------------
// Small helpers.

function shape(status, result, warnings) {
  const preview = result.summary.preview === true;
  return { status, bundle: result.bundle, summary: result.summary, state: result.state, envelope: result.envelope, warnings, stale: false, preview };
}

function toWarning(source, error) {
  const warning = { code: (error && typeof error.code === "string" && error.code) || "error", message: errorMessage(error), source };
  if (error && typeof error.path === "string") warning.path = error.path;
  if (error && typeof error.status === "number") warning.status = error.status;
  return warning;
}

function errorMessage(error) {
  if (error && typeof error.message === "string") return error.message;
  return String(error);
}

/** UTF-8 bytes of a string (a text body from a request adapter that ignored responseType). */
function utf8Encode(text) {
  if (typeof TextEncoder === "function") return new TextEncoder().encode(text);
  const out = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0);
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return new Uint8Array(out);
}

/** Strict UTF-8 decoding (null on invalid input); falls back to a small decoder where TextDecoder is absent. */
function utf8Decode(bytes) {
  if (typeof TextDecoder === "function") {
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      return null;
    }
  }
  let out = "";
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    let need = 0;
    let cp = 0;
    let min = 0;
    if (b < 0x80) {
      cp = b;
    } else if (b >= 0xc2 && b < 0xe0) {
      need = 1; cp = b & 0x1f; min = 0x80;
    } else if (b >= 0xe0 && b < 0xf0) {
      need = 2; cp = b & 0x0f; min = 0x800;
    } else if (b >= 0xf0 && b < 0xf5) {
      need = 3; cp = b & 0x07; min = 0x10000;
    } else {
      return null;
    }
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return null;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null;
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Storage adapters: {get(key), set(key, value), remove(key)}, sync or async.

/** In-memory storage (tests, server-side use, or hosts without persistence). */
export function memoryStorage() {
  const map = new Map();
  return {
    get: (key) => (map.has(key) ? map.get(key) : null),
    set: (key, value) => void map.set(key, String(value)),
    remove: (key) => void map.delete(key),
  };
}

/** Browser `localStorage` under a key prefix. */
export function localStorageAdapter(prefix = "puhui:", localStorage = typeof globalThis === "undefined" ? undefined : globalThis.localStorage) {
  if (!localStorage) throw new TypeError("no localStorage on this host");
  return {
    get: (key) => localStorage.getItem(prefix + key),
    set: (key, value) => localStorage.setItem(prefix + key, value),
    remove: (key) => localStorage.removeItem(prefix + key),
  };
}

/** WeChat mini-program storage (`wx.getStorageSync` and friends); tested against a wx stub in tests/miniprogram. */
export function wxStorage(wx, prefix = "puhui:") {
  return {
    get: (key) => {
      const value = wx.getStorageSync(prefix + key);
      return typeof value === "string" && value !== "" ? value : null;
    },
    set: (key, value) => wx.setStorageSync(prefix + key, value),
    remove: (key) => wx.removeStorageSync(prefix + key),
  };
}

/** Alipay mini-program storage (`my.getStorageSync({key})` and friends); tested against a my stub in tests/miniprogram. */
export function myStorage(my, prefix = "puhui:") {
  return {
    get: (key) => {
      const answer = my.getStorageSync({ key: prefix + key });
      const value = answer && answer.data;
      return typeof value === "string" && value !== "" ? value : null;
    },
    set: (key, value) => my.setStorageSync({ key: prefix + key, data: value }),
    remove: (key) => my.removeStorageSync({ key: prefix + key }),
  };
}

// ---------------------------------------------------------------------------------------------
// Request adapters: `fetch` for hosts that only have wx.request / my.request (mini-programs).
// They answer what `download` reads: {status, headers.get(name), body: null, arrayBuffer()}.

function headerGetter(headers) {
  const lower = {};
  for (const key of Object.keys(headers || {})) lower[key.toLowerCase()] = headers[key];
  return {
    get: (name) => {
      const value = lower[String(name).toLowerCase()];
      if (value === undefined || value === null) return null;
      return Array.isArray(value) ? value.join(", ") : String(value);
    },
  };
}

function requestResponse(status, data, headers) {
  // Tag checks, not instanceof: a host may hand over buffers made in another realm.
  const tag = (value) => Object.prototype.toString.call(value);
  let buffer;
  if (tag(data) === "[object ArrayBuffer]") buffer = data;
  else if (data && tag(data.buffer) === "[object ArrayBuffer]") buffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  else if (typeof data === "string") buffer = utf8Encode(data).buffer;
  else buffer = new ArrayBuffer(0);
  return { status, headers: headerGetter(headers), body: null, arrayBuffer: () => Promise.resolve(buffer) };
}

function abortable(init, task) {
  const signal = init && init.signal;
  if (signal && typeof signal.addEventListener === "function" && task && typeof task.abort === "function") {
    signal.addEventListener("abort", () => task.abort());
  }
}

/** A fetch over WeChat's `wx.request` (binary body, status, headers) for `options.fetch`. */
export function wxRequestFetch(wx) {
  return (url, init = {}) =>
    new Promise((resolve, reject) => {
      const task = wx.request({
        url,
        method: init.method || "GET",
        header: init.headers || {},
        responseType: "arraybuffer",
        dataType: "binary",
        success: (res) => resolve(requestResponse(res.statusCode, res.data, res.header)),
        fail: (err) => reject(new Error((err && err.errMsg) || "wx.request failed")),
      });
      abortable(init, task);
    });
}

/** A fetch over Alipay's `my.request` for `options.fetch`; HTTP errors arrive as statuses. */
export function myRequestFetch(my) {
  return (url, init = {}) =>
    new Promise((resolve, reject) => {
      const task = my.request({
        url,
        method: init.method || "GET",
        headers: init.headers || {},
        dataType: "arraybuffer",
        success: (res) => resolve(requestResponse(res.status, res.data, res.headers)),
        fail: (err) => {
          // Alipay reports HTTP error statuses through `fail` (error 19) with the response attached.
          if (err && typeof err.status === "number") resolve(requestResponse(err.status, err.data, err.headers));
          else reject(new Error((err && (err.errorMessage || err.errMsg)) || "my.request failed"));
        },
      });
      abortable(init, task);
    });
}
