// @ts-check
// Host storage: the four adapters a host can pass (memory, localStorage, wx, my), the keys one
// bundle line uses, reading them back and persisting a verified bundle. Storage is
// attacker-writable, so nothing here trusts what it reads: the load flow re-verifies every stored
// byte before use. Keys (per adapter prefix): <bundleId>/<channel>/envelope | state | etag | expiresAt.

/** @typedef {import("../loader.js").StorageAdapter} StorageAdapter */
/** @typedef {import("../loader.js").WxStorageApi} WxStorageApi */
/** @typedef {import("../loader.js").MyStorageApi} MyStorageApi */
/** @typedef {import("./errors.js").Failure} Failure */

/**
 * Reports a failure that does not stop the load (index.js collects them as warnings).
 * @typedef {(source: import("../loader.js").WarningSource, error: Failure) => void} Warn
 */

/** @typedef {{ envelope: string, state: string, etag: string, expiresAt: string }} StorageKeys */

/**
 * What storage held at the start of a load; every field is null when missing or empty.
 * @typedef {{ envelope: string | null, state: string | null, etag: string | null, expiresAt: string | null }} Stored
 */

import { errorMessage } from "./errors.js";

/**
 * @param {string} bundleId
 * @param {string} channel
 * @returns {StorageKeys}
 */
export function storageKeys(bundleId, channel) {
  const base = `${bundleId}/${channel}/`;
  return { envelope: base + "envelope", state: base + "state", etag: base + "etag", expiresAt: base + "expiresAt" };
}

/**
 * @param {StorageAdapter} storage
 * @param {StorageKeys} keys
 * @param {Warn} warn
 * @returns {Promise<Stored>}
 */
export async function readStored(storage, keys, warn) {
  /** @param {string} key */
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

/**
 * @param {StorageAdapter} storage
 * @param {string} key
 * @param {string} value
 * @param {Warn} warn
 * @returns {Promise<boolean>} whether the write succeeded
 */
export async function writeKey(storage, key, value, warn) {
  try {
    await storage.set(key, value);
    return true;
  } catch (error) {
    warn("storage", { code: "storage-write-failed", message: errorMessage(error) });
    return false;
  }
}

/**
 * Persists a verified bundle: envelope, state, expiry, then the etag.
 * @param {StorageAdapter} storage
 * @param {StorageKeys} keys
 * @param {{ envelope: string, state: string, etag: string | null, expiresAt: string }} record
 * @param {Warn} warn
 */
export async function persist(storage, keys, record, warn) {
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

// ---------------------------------------------------------------------------------------------
// Storage adapters: {get(key), set(key, value), remove(key)}, sync or async.

/**
 * In-memory storage (tests, server-side use, or hosts without persistence).
 * @returns {StorageAdapter}
 */
export function memoryStorage() {
  /** @type {Map<string, string>} */
  const map = new Map();
  return {
    get: (key) => map.get(key) ?? null,
    set: (key, value) => void map.set(key, String(value)),
    remove: (key) => void map.delete(key),
  };
}

/**
 * Browser `localStorage` under a key prefix.
 * @param {string} [prefix]
 * @param {Pick<Storage, "getItem" | "setItem" | "removeItem">} [localStorage]
 * @returns {StorageAdapter}
 */
export function localStorageAdapter(prefix = "puhui:", localStorage = typeof globalThis === "undefined" ? undefined : globalThis.localStorage) {
  if (!localStorage) throw new TypeError("no localStorage on this host");
  const store = localStorage;
  return {
    get: (key) => store.getItem(prefix + key),
    set: (key, value) => store.setItem(prefix + key, value),
    remove: (key) => store.removeItem(prefix + key),
  };
}

/**
 * WeChat mini-program storage (`wx.getStorageSync` and friends); tested against a wx stub in tests/miniprogram.
 * @param {WxStorageApi} wx
 * @param {string} [prefix]
 * @returns {StorageAdapter}
 */
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

/**
 * Alipay mini-program storage (`my.getStorageSync({key})` and friends); tested against a my stub in tests/miniprogram.
 * @param {MyStorageApi} my
 * @param {string} [prefix]
 * @returns {StorageAdapter}
 */
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
