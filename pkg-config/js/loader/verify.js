// @ts-check
// The one door to the verifier. With a module that has `Engine` (every full puhui package), an
// envelope is verified and compiled in one call, `Engine.load`, so the payload never crosses into
// JS as an object and the page quotes from the engine that verified; `verifyBundle` remains the
// fallback for hosts that pass their own verifier. It adds the one check the verifier cannot
// make (the signed bundle id is the one this loader asked for) and owns the engines it makes:
// every engine a load made and does not hand back is freed, so wasm memory does not leak.

import { BundleLoadError } from "./errors.js";
import { hasEngine, verifyOptions } from "./config.js";

/** @typedef {import("./config.js").Config} Config */
/** @typedef {import("../puhui.js").Engine} LoaderEngine */
/** @typedef {import("../puhui.js").BundleState} BundleState */
/** @typedef {import("../puhui.js").BundleSummary} BundleSummary */
/** @typedef {import("../puhui.js").VerifyResult} VerifyResult */

/**
 * An envelope that verified, with what the verifier said about it. Only `verify` makes one.
 * @typedef {object} Verified
 * @property {Uint8Array | string} envelope  the exact bytes that verified
 * @property {BundleSummary} summary
 * @property {BundleState} state  the verifier state that goes with this bundle
 * @property {LoaderEngine} [engine]  the compiled engine (Engine.load path)
 * @property {VerifyResult["bundle"]} [bundle]  the payload (verifyBundle fallback only)
 */

/**
 * Verifies envelopes for one load and remembers the engines it made.
 * @typedef {object} Verifier
 * @property {(envelope: Uint8Array | string, state: BundleState | string | null, nowText: string) => Promise<Verified>} verify
 * @property {(kept: Verified | null) => Promise<void>} releaseAllBut  frees every engine made except `kept`'s
 */

/**
 * @param {Config} config
 * @returns {Verifier}
 */
export function verifier(config) {
  /** @type {LoaderEngine[]} */
  const made = [];
  return {
    async verify(envelope, state, nowText) {
      const verified = await verify(config, envelope, state, nowText);
      if (verified.engine) made.push(verified.engine);
      return verified;
    },
    async releaseAllBut(kept) {
      const keep = kept ? kept.engine : undefined;
      for (const engine of made.splice(0)) if (engine !== keep) await release(engine);
    },
  };
}

/**
 * The verifier plus the one check it cannot make: the signed bundle id must be the one this
 * loader asked for (one root may sign many bundle lines; a host must not swap them).
 * @param {Config} config
 * @param {Uint8Array | string} envelope
 * @param {BundleState | string | null} state
 * @param {string} nowText
 * @returns {Promise<Verified>}
 */
async function verify(config, envelope, state, nowText) {
  const { wasm } = config;
  if (hasEngine(wasm)) {
    const Engine = /** @type {NonNullable<typeof wasm.Engine>} */ (wasm.Engine);
    const engine = await Engine.load(envelope, config.pinnedRoot, state, nowText, verifyOptions(config));
    try {
      // Each getter call converts anew: read them once.
      const summary = engine.summary;
      checkBundleId(config, summary);
      return { envelope, summary, state: engine.state, engine };
    } catch (error) {
      await release(engine);
      throw error;
    }
  }
  if (typeof wasm.verifyBundle !== "function") throw new TypeError("options.wasm has neither Engine.load nor verifyBundle");
  const result = await wasm.verifyBundle(envelope, config.pinnedRoot, state, nowText, verifyOptions(config));
  checkBundleId(config, result.summary);
  return { envelope, summary: result.summary, state: result.state, bundle: result.bundle };
}

/**
 * @param {Config} config
 * @param {BundleSummary} summary
 */
function checkBundleId(config, summary) {
  if (summary.bundleId !== config.bundleId) {
    throw new BundleLoadError("wrong-bundle-id", `the signed bundle is ${JSON.stringify(summary.bundleId)}, this loader wants ${JSON.stringify(config.bundleId)}`, { path: "payload.bundleId" });
  }
}

/**
 * Frees an engine nobody will use (sync on the web, a promise on the Alipay page side).
 * @param {LoaderEngine} engine
 */
async function release(engine) {
  try {
    await engine.free();
  } catch {
    // already freed, or the Worker is gone: nothing is left to release
  }
}
