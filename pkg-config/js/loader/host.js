// @ts-check
// Request adapters: a `fetch` for hosts that only have wx.request / my.request (mini-programs).
// They answer what download.js reads: {status, headers.get(name), body: null, arrayBuffer()}.
// They own the hosts' quirks (header spellings, Alipay's HTTP errors through `fail`, buffers from
// another realm) and nothing else: caps and timeouts stay in download.js.

import { utf8Encode } from "./text.js";

/** @typedef {import("../loader.js").LoaderFetch} LoaderFetch */
/** @typedef {import("../loader.js").LoaderResponse} LoaderResponse */
/** @typedef {import("../loader.js").LoaderRequestInit} LoaderRequestInit */
/** @typedef {import("../loader.js").WxRequestApi} WxRequestApi */
/** @typedef {import("../loader.js").MyRequestApi} MyRequestApi */

/**
 * Case-insensitive header lookup over a host's plain header object.
 * @param {Record<string, unknown> | undefined} headers
 * @returns {LoaderResponse["headers"]}
 */
function headerGetter(headers) {
  /** @type {Record<string, unknown>} */
  const lower = {};
  for (const key of Object.keys(headers || {})) lower[key.toLowerCase()] = /** @type {Record<string, unknown>} */ (headers)[key];
  return {
    get: (name) => {
      const value = lower[String(name).toLowerCase()];
      if (value === undefined || value === null) return null;
      return Array.isArray(value) ? value.join(", ") : String(value);
    },
  };
}

/**
 * @param {number} status
 * @param {unknown} data an ArrayBuffer, a typed array, or text from an adapter that ignored responseType
 * @param {Record<string, unknown> | undefined} headers
 * @returns {LoaderResponse}
 */
function requestResponse(status, data, headers) {
  // Tag checks, not instanceof: a host may hand over buffers made in another realm.
  /** @param {unknown} value */
  const tag = (value) => Object.prototype.toString.call(value);
  /** @type {ArrayBuffer} */
  let buffer;
  if (tag(data) === "[object ArrayBuffer]") buffer = /** @type {ArrayBuffer} */ (data);
  else if (isView(data)) buffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  else if (typeof data === "string") buffer = /** @type {ArrayBuffer} */ (utf8Encode(data).buffer);
  else buffer = new ArrayBuffer(0);
  return { status, headers: headerGetter(headers), body: null, arrayBuffer: () => Promise.resolve(buffer) };

  /**
   * A typed array or DataView over an ArrayBuffer (from any realm).
   * @param {unknown} value
   * @returns {value is { buffer: ArrayBuffer, byteOffset: number, byteLength: number }}
   */
  function isView(value) {
    return Boolean(value) && tag(/** @type {{ buffer?: unknown }} */ (value).buffer) === "[object ArrayBuffer]";
  }
}

/**
 * Aborts the host's request task when the loader's signal fires (the timeout, the size cap).
 * @param {LoaderRequestInit | undefined} init
 * @param {{ abort(): void } | void} task
 */
function abortable(init, task) {
  const signal = init && init.signal;
  if (signal && typeof signal.addEventListener === "function" && task && typeof task.abort === "function") {
    signal.addEventListener("abort", () => task.abort());
  }
}

/**
 * A fetch over WeChat's `wx.request` (binary body, status, headers) for `options.fetch`.
 * @param {WxRequestApi} wx
 * @returns {LoaderFetch}
 */
export function wxRequestFetch(wx) {
  return (url, init) =>
    new Promise((resolve, reject) => {
      const task = wx.request({
        url,
        method: (init && init.method) || "GET",
        header: (init && init.headers) || {},
        responseType: "arraybuffer",
        dataType: "binary",
        success: (res) => resolve(requestResponse(res.statusCode, res.data, res.header)),
        fail: (err) => reject(new Error((err && err.errMsg) || "wx.request failed")),
      });
      abortable(init, task);
    });
}

/**
 * A fetch over Alipay's `my.request` for `options.fetch`; HTTP errors arrive as statuses.
 * @param {MyRequestApi} my
 * @returns {LoaderFetch}
 */
export function myRequestFetch(my) {
  return (url, init) =>
    new Promise((resolve, reject) => {
      const task = my.request({
        url,
        method: (init && init.method) || "GET",
        headers: (init && init.headers) || {},
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
