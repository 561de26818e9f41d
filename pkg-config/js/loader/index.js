// @ts-check
// `createBundleLoader` and the load flow: the stored copy re-verified, the pointer revalidated,
// the new envelope fetched and verified after the roots were walked, persistence only after
// success, the offline-grace policy, and which failures become warnings and which refuse the
// load. Server layout, storage keys and the limits of storage trust are described in ../loader.js.
// It must not decide what is valid: every byte it uses, including what it reads back from
// storage, goes through the verifier (verify.js) first.

import { BundleLoadError, errorCode, toWarning } from "./errors.js";
import { normalize } from "./config.js";
import { verifier } from "./verify.js";
import { checkedState, walkRoots } from "./roots.js";
import { download, parsePointer, resolveSibling, POINTER_MAX_BYTES } from "./download.js";
import { storageKeys, readStored, writeKey, persist } from "./storage.js";
import { utf8Decode } from "./text.js";

/** @typedef {import("../loader.js").BundleLoaderOptions} BundleLoaderOptions */
/** @typedef {import("../loader.js").BundleLoader} BundleLoader */
/** @typedef {import("../loader.js").LoadResult} LoadResult */
/** @typedef {import("../loader.js").LoadStatus} LoadStatus */
/** @typedef {import("../loader.js").LoadWarning} LoadWarning */
/** @typedef {import("../puhui.js").BundleState} BundleState */
/** @typedef {import("./config.js").Config} Config */
/** @typedef {import("./storage.js").Warn} Warn */
/** @typedef {import("./storage.js").Stored} Stored */
/** @typedef {import("./verify.js").Verified} Verified */
/** @typedef {import("./verify.js").Verifier} Verifier */

/**
 * The stored envelope re-verified: `result` when it verified, else why not.
 * @typedef {{ result: Verified | null, expired: boolean, error: unknown }} Reverified
 */

/**
 * What the network offered: a fresh verified bundle, "nothing newer", or a failure (already warned).
 * @typedef {{ kind: "fresh", result: Verified, envelopeText: string, etag: string | null } | { kind: "not-modified", etag: string | null } | { kind: "failed" }} Offer
 */

/**
 * Creates a loader for one bundle id on one channel. See loader.d.ts for the options and result.
 * @param {BundleLoaderOptions} options
 * @returns {BundleLoader}
 */
export function createBundleLoader(options) {
  const config = normalize(options);
  const keys = storageKeys(config.bundleId, config.channel);
  // Within one loader the last verified state is the rollback floor, whatever storage says later.
  /** @type {BundleState | null} */
  let sessionState = null;

  /** @returns {Promise<LoadResult>} */
  async function load() {
    /** @type {LoadWarning[]} */
    const warnings = [];
    /** @type {Warn} */
    const warn = (source, error) => {
      const warning = toWarning(source, error);
      // A root walk repeated after root-outdated may hit the same refusal again: report it once.
      if (!warnings.some((w) => w.source === warning.source && w.code === warning.code && w.message === warning.message)) warnings.push(warning);
    };
    const nowText = config.now();
    const nowMs = Date.parse(nowText);
    if (!Number.isFinite(nowMs)) throw new BundleLoadError("invalid-now", `now() returned ${JSON.stringify(nowText)}, not an RFC 3339 time`);

    // Every engine this load makes is freed unless it is the one handed back.
    const check = verifier(config);
    /** @type {Verified | null} */
    let kept = null;
    try {
      const stored = await readStored(config.storage, keys, warn);
      // Fast path: the stored envelope under the stored state (one verifier call). Only when that
      // fails is the stored state checked on its own, so a broken state is reported as such and
      // dropped (a fresh state loses the rollback floor, visibly) instead of blocking every load.
      /** @type {BundleState | string | null} */
      let state = sessionState ?? stored.state;
      let cached = await reverifyStored(check, stored, state, nowText);
      let stateBroken = false;
      if (!cached.result && sessionState === null && stored.state !== null) {
        state = await checkedState(config, stored.state, warn);
        stateBroken = state === null;
        if (stateBroken && stored.envelope !== null) cached = await reverifyStored(check, stored, null, nowText);
      }
      if (cached.error) warn("storage", cached.error);
      if (cached.result) state = cached.result.state;

      const outcome = await fetchAndVerify(config, check, { cached: cached.result, etag: cached.result ? stored.etag : null, state, nowText }, warn);
      if (outcome.kind === "fresh") {
        const { result, envelopeText, etag } = outcome;
        kept = result;
        if (!result.summary.preview) {
          sessionState = result.state;
          await persist(config.storage, keys, { envelope: envelopeText, state: JSON.stringify(result.state), etag, expiresAt: result.summary.expiresAt }, warn);
        }
        return shape("fresh", result, warnings);
      }
      if (cached.result) {
        kept = cached.result;
        sessionState = cached.result.state;
        // The stored bundle verified but its state did not: store the state that goes with it.
        if (stateBroken) await writeKey(config.storage, keys.state, JSON.stringify(cached.result.state), warn);
        if (outcome.kind === "not-modified") {
          if (outcome.etag && outcome.etag !== stored.etag) await writeKey(config.storage, keys.etag, outcome.etag, warn);
          return shape("not-modified", cached.result, warnings);
        }
        return shape("cached", cached.result, warnings);
      }
      if (cached.expired && config.offlineGrace.mode === "stale" && stored.envelope !== null) {
        const stale = await staleResult(config, check, { envelope: stored.envelope, expiresAt: stored.expiresAt }, state, nowMs, warn);
        if (stale) {
          kept = stale.result;
          return { ...shape("stale", stale.result, warnings), stale: true, staleSeconds: stale.staleSeconds };
        }
      }
      throw new BundleLoadError("no-valid-bundle", "no verified bundle is available: " + (warnings.map((w) => w.code).join(", ") || "nothing stored and nothing fetched"), { warnings });
    } finally {
      await check.releaseAllBut(kept);
    }
  }

  async function clear() {
    sessionState = null;
    for (const key of Object.values(keys)) await config.storage.remove(key);
  }

  // Overlapping calls share one run, so two loads never interleave their storage writes.
  /** @type {Promise<LoadResult> | null} */
  let inFlight = null;
  function loadOnce() {
    if (inFlight === null) inFlight = load().finally(() => (inFlight = null));
    return inFlight;
  }

  return { load: loadOnce, clear, bundleId: config.bundleId, channel: config.channel };
}

/**
 * Re-verifies the stored envelope under the stored state (an equal version and hash passes).
 * @param {Verifier} check
 * @param {Stored} stored
 * @param {BundleState | string | null} state
 * @param {string} nowText
 * @returns {Promise<Reverified>}
 */
async function reverifyStored(check, stored, state, nowText) {
  if (stored.envelope === null) return { result: null, expired: false, error: null };
  try {
    return { result: await check.verify(stored.envelope, state, nowText), expired: false, error: null };
  } catch (error) {
    return { result: null, expired: errorCode(error) === "expired", error };
  }
}

/**
 * An expired last good bundle in stale mode: verified as of one second before its expiry (so
 * signature, root, channel and rollback all still count), then served only while the real now is
 * within maxStaleSeconds of the authenticated expiresAt.
 * @param {Config} config
 * @param {Verifier} check
 * @param {{ envelope: string, expiresAt: string | null }} stored
 * @param {BundleState | string | null} state
 * @param {number} nowMs
 * @param {Warn} warn
 * @returns {Promise<{ result: Verified, staleSeconds: number } | null>}
 */
async function staleResult(config, check, stored, state, nowMs, warn) {
  const hintMs = Date.parse(stored.expiresAt ?? "");
  if (!Number.isFinite(hintMs) || config.offlineGrace.mode !== "stale") return null;
  const asOf = new Date(hintMs - 1000).toISOString();
  /** @type {Verified} */
  let result;
  try {
    result = await check.verify(stored.envelope, state, asOf);
  } catch (error) {
    warn("storage", error);
    return null;
  }
  const expiresMs = Date.parse(result.summary.expiresAt);
  const staleSeconds = Math.floor((nowMs - expiresMs) / 1000);
  const { maxStaleSeconds } = config.offlineGrace;
  if (!(staleSeconds >= 0 && staleSeconds <= maxStaleSeconds)) {
    warn("storage", { code: "stale-beyond-grace", message: `the last good bundle expired ${staleSeconds} s ago, beyond the ${maxStaleSeconds} s grace` });
    return null;
  }
  return { result, staleSeconds };
}

/**
 * The pointer (revalidated with the stored ETag), then the versioned envelope it names, verified
 * after the roots were walked: a newer verified bundle, "nothing newer", or a warned failure.
 * @param {Config} config
 * @param {Verifier} check
 * @param {{ cached: Verified | null, etag: string | null, state: BundleState | string | null, nowText: string }} context
 * @param {Warn} warn
 * @returns {Promise<Offer>}
 */
async function fetchAndVerify(config, check, context, warn) {
  const { cached, nowText } = context;
  let pointerResponse;
  try {
    /** @type {Record<string, string>} */
    const headers = context.etag ? { "If-None-Match": context.etag } : {};
    pointerResponse = await download(config, config.latestUrl, POINTER_MAX_BYTES, headers);
  } catch (error) {
    warn("network", error);
    return { kind: "failed" };
  }
  if (pointerResponse.bytes === null) {
    // 304 (download answers 404 only when asked to).
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
  const envelopeText = envelope.bytes === null ? null : utf8Decode(envelope.bytes);
  if (envelopeText === null) {
    warn("network", { code: "malformed", message: "the bundle is not UTF-8" });
    return { kind: "failed" };
  }

  // Learn about newer roots before trusting new data (a leaked old key stops counting), and once
  // more if the bundle says it was signed under a root we have not seen.
  let { state } = await walkRoots(config, context.state, warn);
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await check.verify(envelopeText, state, nowText);
      return { kind: "fresh", result, envelopeText, etag: pointerResponse.etag };
    } catch (error) {
      if (errorCode(error) === "root-outdated" && attempt === 0) {
        const walked = await walkRoots(config, state, warn, { probe: true });
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
 * The public result of a load: the verified engine (or, from the verifyBundle fallback, the
 * payload), its summary and state, the exact envelope, and the warnings so far.
 * @param {LoadStatus} status
 * @param {Verified} verified
 * @param {LoadWarning[]} warnings
 * @returns {LoadResult}
 */
function shape(status, verified, warnings) {
  /** @type {LoadResult} */
  const result = { status, summary: verified.summary, state: verified.state, envelope: verified.envelope, warnings, stale: false, preview: verified.summary.preview === true };
  if (verified.engine) result.engine = verified.engine;
  if (verified.bundle !== undefined) result.bundle = verified.bundle;
  return result;
}
