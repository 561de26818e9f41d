// @ts-check
// Trust-root discovery on the host side: the current root of a state (the pinned root walked
// through the persisted chain) and the walk forward through roots/V+1.json, V+2.json, ... up to
// the newest root the unsigned roots/latest.json names, so a normal load requests only files that
// exist (a browser logs every 404 as a console error). Without that pointer (a host that publishes
// roots/<V>.json only), or when the verifier has just answered root-outdated (a bundle signed
// under a root the pointer does not name yet), the walk probes until a 404 instead. Every root is
// judged by `wasm.rotateRoot` (accepted only when signed by a threshold of V's keys and its own);
// this file only fetches and hands over. The walked state is never persisted here: it is
// persisted later, with a verified bundle.

import { download, parseRootsPointer, POINTER_MAX_BYTES } from "./download.js";

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
 * The newest root version roots/latest.json names, Infinity when the host has no pointer (walk
 * until a 404), or null after a warned failure (walk nothing).
 * @param {Config} config
 * @param {Warn} warn
 * @returns {Promise<number | null>}
 */
async function newestPublished(config, warn) {
  try {
    const pointer = await download(config, config.rootsPointerUrl, POINTER_MAX_BYTES, {}, { allowNotFound: true });
    return pointer.bytes === null ? Infinity : parseRootsPointer(pointer.bytes).version;
  } catch (error) {
    warn("root", error);
    return null;
  }
}

/**
 * Walks the trust root forward through roots/V+1.json, V+2.json, ... up to the version
 * roots/latest.json names (or, with `probe` or without a pointer, until a 404), stopping at a
 * refusal.
 * @param {Config} config
 * @param {BundleState | string | null} state
 * @param {Warn} warn
 * @param {{ probe?: boolean }} [options]  probe: ignore the pointer and walk until a 404
 * @returns {Promise<{ state: BundleState | string | null, advanced: boolean }>}
 */
export async function walkRoots(config, state, warn, { probe = false } = {}) {
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
  const newest = probe ? Infinity : await newestPublished(config, warn);
  let advanced = false;
  for (let step = 0; newest !== null && version < newest && step < MAX_ROOT_STEPS; step++) {
    const url = `${config.rootsUrl}${version + 1}.json`;
    let response;
    try {
      // Below the pointer's version a missing root is an error (the pointer promised it); only an
      // open-ended walk takes a 404 as "no newer root".
      response = await download(config, url, config.maxBytes, {}, { allowNotFound: newest === Infinity });
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
