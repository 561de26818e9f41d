// @ts-check
// The loader's options, checked once and completed with their defaults: everything after
// `normalize` reads a `Config` whose fields are known to be present and well-formed. It owns the
// bundle-id and channel rule on the loader side (1-128 of [A-Za-z0-9._-], as the verifier's) and
// the URLs one bundle line uses.

/** @typedef {import("../loader.js").BundleLoaderOptions} BundleLoaderOptions */
/** @typedef {import("../loader.js").LoaderWasm} LoaderWasm */
/** @typedef {import("../loader.js").LoaderFetch} LoaderFetch */
/** @typedef {import("../loader.js").OfflineGrace} OfflineGrace */
/** @typedef {import("../loader.js").StorageAdapter} StorageAdapter */
/** @typedef {import("../puhui.js").VerifyOptions} VerifyOptions */

/**
 * @typedef {object} Config
 * @property {LoaderWasm} wasm
 * @property {string} bundleId
 * @property {string} channel
 * @property {Uint8Array | string} pinnedRoot
 * @property {StorageAdapter} storage
 * @property {LoaderFetch} fetch
 * @property {() => string} now
 * @property {OfflineGrace} offlineGrace
 * @property {number} maxBytes
 * @property {boolean} previewAllowed
 * @property {number} minRootVersion
 * @property {number} timeoutMs
 * @property {string} latestUrl  <baseUrl><bundleId>/<channel>/latest.json
 * @property {string} rootsUrl   where roots/<V>.json live, with a trailing slash
 * @property {string} rootsPointerUrl  <rootsUrl>latest.json, naming the newest root
 */

const DEFAULT_MAX_BYTES = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 15000;
const SAFE_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

/**
 * @param {BundleLoaderOptions} options
 * @returns {Config}
 */
export function normalize(options) {
  if (!options || typeof options !== "object") throw new TypeError("createBundleLoader needs an options object");
  const { wasm, baseUrl, bundleId, pinnedRoot, storage } = options;
  if (!wasm || !(hasEngine(wasm) || typeof wasm.verifyBundle === "function") || typeof wasm.rotateRoot !== "function") {
    throw new TypeError("options.wasm must be the puhui module (Engine.load or verifyBundle, and rotateRoot)");
  }
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
  const globalFetch = typeof globalThis === "undefined" || typeof globalThis.fetch !== "function" ? undefined : /** @type {LoaderFetch} */ (/** @type {unknown} */ (globalThis.fetch.bind(globalThis)));
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
    bundleId: /** @type {string} */ (bundleId),
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
    rootsPointerUrl: `${rootsUrl.endsWith("/") ? rootsUrl : rootsUrl + "/"}latest.json`,
  };
}

/**
 * Whether the module verifies through `Engine.load` (every full puhui package does).
 * @param {LoaderWasm} wasm
 * @returns {boolean}
 */
export function hasEngine(wasm) {
  return Boolean(wasm.Engine) && typeof (/** @type {{ load?: unknown }} */ (wasm.Engine).load) === "function";
}

/**
 * The verifier options this loader's configuration implies.
 * @param {Config} config
 * @returns {VerifyOptions}
 */
export function verifyOptions(config) {
  return { channel: config.channel, maxBytes: config.maxBytes, previewAllowed: config.previewAllowed, minRootVersion: config.minRootVersion };
}
