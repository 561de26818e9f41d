// @ts-check
// Trust-root discovery on the host side: the current root of a state (the pinned root walked
// through the persisted chain) and the walk forward through roots/V+1.json, V+2.json, ... until a
// 404. Every root is judged by `wasm.rotateRoot` (accepted only when signed by a threshold of V's
// keys and its own); this file only fetches and hands over. The walked state is never persisted
// here: it is persisted later, with a verified bundle.

import { download } from "./download.js";

/** @typedef {import("./config.js").Config} Config */
/** @typedef {import("./storage.js").Warn} Warn */
/** @typedef {import("../puhui.js").BundleState} BundleState */

/** A hostile roots/ folder cannot keep the loader walking for ever. */
const MAX_ROOT_STEPS = 64;

/**
 * The current root of `state` (the pinned root walked through the persisted chain), via the
 * verifier: offering the current root again to `rotateRoot` is a no-op that checks the whole
 * chain. The current root is the newest chain entry, or the pin when the pin is newer or the
 * chain is empty. Throws the verifier's error for a broken state.
 * @param {Config} config
 * @param {BundleState | string | null} state
 * @returns {Promise<{ state: BundleState, version: number }>}
 */
export async function currentRoot(config, state) {
  /** @type {unknown} */
  const parsed = typeof state === "string" ? JSON.parse(state) : state;
  const chain = parsed !== null && typeof parsed === "object" && Array.isArray(/** @type {{ rootChain?: unknown }} */ (parsed).rootChain) ? /** @type {{ rootChain: unknown[] }} */ (parsed).rootChain : [];
  const candidates = chain.length > 0 ? [JSON.stringify(chain[chain.length - 1]), config.pinnedRoot] : [config.pinnedRoot];
  /** @type {unknown} */
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

/**
 * The stored state, accepted only when the verifier can walk its root chain from the pinned root.
 * @param {Config} config
 * @param {string | null} stateText
 * @param {Warn} warn
 * @returns {Promise<BundleState | null>}
 */
export async function checkedState(config, stateText, warn) {
  if (stateText === null) return null;
  try {
    return (await currentRoot(config, stateText)).state;
  } catch (error) {
    warn("storage", error);
    return null;
  }
}

/**
 * Walks the trust root forward through roots/V+1.json, V+2.json, ... until a 404 or a refusal.
 * @param {Config} config
 * @param {BundleState | string | null} state
 * @param {Warn} warn
 * @returns {Promise<{ state: BundleState | string | null, advanced: boolean }>}
 */
export async function walkRoots(config, state, warn) {
  /** @type {BundleState} */
  let current;
  /** @type {number} */
  let version;
  try {
    ({ state: current, version } = await currentRoot(config, state));
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
    if (response.bytes === null) break; // 404: no newer root
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
