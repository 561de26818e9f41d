// @ts-check
// The network side of delivery: GET with a size cap enforced on the download itself (a declared
// Content-Length above the cap aborts before the body, a streamed count aborts as it crosses the
// cap, a buffered body is checked before anything parses it), the timeout, the unsigned
// latest.json pointers (a bundle line's and the trust roots') and the one URL join they allow. It must not verify anything: what it
// returns is untrusted bytes for the verifier.

import { BundleLoadError, errorMessage } from "./errors.js";
import { utf8Decode } from "./text.js";

/** @typedef {import("../loader.js").LoaderFetch} LoaderFetch */
/** @typedef {import("../loader.js").LoaderResponse} LoaderResponse */

/** latest.json is a few dozen bytes; anything this large is not a pointer. */
export const POINTER_MAX_BYTES = 16 * 1024;
const SAFE_PATH = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/**
 * What `download` needs of the loader's configuration.
 * @typedef {{ fetch: LoaderFetch, timeoutMs: number }} Transport
 */

/**
 * One GET's outcome: 200 with the bytes, or 304/404 (when asked for) without.
 * @typedef {{ status: 200, etag: string | null, bytes: Uint8Array } | { status: 304 | 404, etag: string | null, bytes: null }} Downloaded
 */

/** @typedef {{ version: number, path: string }} Pointer */

/**
 * A pointer's JSON object with its integer `version` (at least 1), the one rule both pointers share.
 * @param {Uint8Array} bytes
 * @param {string} name  the pointer's name in messages
 * @returns {{ version: number, path?: unknown }}
 */
function pointerFields(bytes, name) {
  /** @type {unknown} */
  let pointer;
  try {
    pointer = JSON.parse(utf8Decode(bytes) ?? "");
  } catch {
    throw new BundleLoadError("bad-pointer", `${name} is not JSON`);
  }
  const fields = /** @type {{ version?: unknown, path?: unknown } | null} */ (pointer !== null && typeof pointer === "object" ? pointer : null);
  if (!fields || typeof fields.version !== "number" || !Number.isSafeInteger(fields.version) || fields.version < 1) {
    throw new BundleLoadError("bad-pointer", `${name} needs an integer version`);
  }
  return { version: fields.version, path: fields.path };
}

/**
 * The unsigned pointer `<bundleId>/<channel>/latest.json`: an integer version and a plain
 * relative path next to it.
 * @param {Uint8Array} bytes
 * @returns {Pointer}
 */
export function parsePointer(bytes) {
  const fields = pointerFields(bytes, "latest.json");
  if (typeof fields.path !== "string") throw new BundleLoadError("bad-pointer", "latest.json needs an integer version and a path");
  const path = fields.path;
  // The pointer is unsigned: it may only name a file next to it, never another host or a parent.
  if (!SAFE_PATH.test(path) || path.split("/").some((part) => part === "." || part === "..")) {
    throw new BundleLoadError("bad-pointer", `latest.json path ${JSON.stringify(path)} is not a plain relative path`);
  }
  return { version: fields.version, path };
}

/**
 * The unsigned pointer `roots/latest.json`: `{"version": V}`, the newest trust root published as
 * `roots/<V>.json`. It only says how far to walk; every root is still judged by the verifier, and
 * a pointer that lags can only hide a rotation, as a 404 on `roots/<V+1>.json` could.
 * @param {Uint8Array} bytes
 * @returns {{ version: number }}
 */
export function parseRootsPointer(bytes) {
  return { version: pointerFields(bytes, "roots/latest.json").version };
}

/**
 * `new URL(path, base)` for a plain relative path, without needing `URL` (absent in mini-programs).
 * @param {string} base
 * @param {string} path
 * @returns {string}
 */
export function resolveSibling(base, path) {
  const cut = base.replace(/[?#].*$/, "");
  return cut.slice(0, cut.lastIndexOf("/") + 1) + path;
}

/**
 * GETs `url` and reads at most `cap` bytes: a Content-Length above the cap aborts before the body
 * is read, and the streamed count aborts as soon as it crosses the cap (a lying or missing
 * Content-Length cannot get more through). Returns {status, etag, bytes}; 304 has no bytes.
 * @param {Transport} transport
 * @param {string} url
 * @param {number} cap
 * @param {Record<string, string>} headers
 * @param {{ allowNotFound?: boolean }} [options]
 * @returns {Promise<Downloaded>}
 */
export async function download(transport, url, cap, headers, { allowNotFound = false } = {}) {
  const controller = typeof AbortController === "function" ? new AbortController() : null;
  const timer = controller && transport.timeoutMs > 0 ? setTimeout(() => controller.abort(), transport.timeoutMs) : null;
  try {
    /** @type {LoaderResponse} */
    let response;
    try {
      response = await transport.fetch(url, { method: "GET", headers, signal: controller ? controller.signal : undefined });
    } catch (error) {
      throw new BundleLoadError("network", `GET ${url} failed: ${errorMessage(error)}`, { url });
    }
    const etag = header(response, "etag");
    if (response.status === 304 && headers["If-None-Match"]) return { status: 304, etag, bytes: null };
    if (response.status === 404 && allowNotFound) {
      await discard(response);
      return { status: 404, etag, bytes: null };
    }
    if (response.status !== 200) {
      await discard(response);
      throw new BundleLoadError("http-error", `GET ${url} answered ${response.status}`, { url, status: response.status });
    }
    const declared = Number(header(response, "content-length") ?? NaN);
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

/**
 * A response header, or null when the response (a host's fetch-like) has no headers to ask.
 * @param {LoaderResponse} response
 * @param {string} name
 * @returns {string | null}
 */
function header(response, name) {
  return response.headers && typeof response.headers.get === "function" ? response.headers.get(name) : null;
}

/**
 * The body, at most `cap` bytes: streamed and cut when there is a stream, else buffered and checked.
 * @param {LoaderResponse} response
 * @param {number} cap
 * @param {AbortController | null} controller
 * @param {string} url
 * @returns {Promise<Uint8Array>}
 */
async function readCapped(response, cap, controller, url) {
  const body = response.body;
  if (body && typeof body.getReader === "function") {
    const reader = body.getReader();
    /** @type {Uint8Array[]} */
    const chunks = [];
    let total = 0;
    for (;;) {
      /** @type {ReadableStreamReadResult<Uint8Array>} */
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

/**
 * Releases a body nobody will read.
 * @param {LoaderResponse} response
 */
async function discard(response) {
  try {
    if (response.body && typeof response.body.cancel === "function") await response.body.cancel();
  } catch {
    // nothing to release
  }
}

/**
 * @param {string} url
 * @param {number} size
 * @param {number} cap
 * @param {"declared" | "streamed" | "buffered"} how
 */
function tooLarge(url, size, cap, how) {
  return new BundleLoadError("too-large", `GET ${url}: ${how} size ${size} bytes exceeds the ${cap}-byte cap`, { url, size, max: cap });
}
