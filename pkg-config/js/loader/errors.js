// @ts-check
// The loader's error type and how any failure becomes a warning. Owns `BundleLoadError` (a
// stable kebab-case `code`, extra fields such as `url`, `status`, `warnings`) and the warning
// shape of loader.d.ts `LoadWarning`. It must not decide which failures are fatal: the load flow
// (index.js) does.

/** @typedef {import("../loader.js").LoadWarning} LoadWarning */
/** @typedef {import("../loader.js").WarningSource} WarningSource */

/**
 * Anything a verifier, a fetch or a storage adapter may throw, or a warning-shaped object.
 * @typedef {unknown} Failure
 */

/** Error thrown by the loader; `code` is a stable kebab-case string. */
export class BundleLoadError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {{ warnings?: LoadWarning[], url?: string, status?: number, size?: number, max?: number, path?: string }} [extra]
   */
  constructor(code, message, extra) {
    super(message);
    this.name = "BundleLoadError";
    /** @readonly */
    this.code = code;
    if (extra) Object.assign(this, extra);
  }
}

/**
 * The `code` of a thrown value when it has one.
 * @param {Failure} error
 * @returns {string | null}
 */
export function errorCode(error) {
  const code = field(error, "code");
  return typeof code === "string" && code !== "" ? code : null;
}

/**
 * @param {Failure} error
 * @returns {string}
 */
export function errorMessage(error) {
  const message = field(error, "message");
  if (typeof message === "string") return message;
  return String(error);
}

/**
 * @param {WarningSource} source
 * @param {Failure} error
 * @returns {LoadWarning}
 */
export function toWarning(source, error) {
  /** @type {LoadWarning} */
  const warning = { code: errorCode(error) ?? "error", message: errorMessage(error), source };
  const path = field(error, "path");
  const status = field(error, "status");
  if (typeof path === "string") warning.path = path;
  if (typeof status === "number") warning.status = status;
  return warning;
}

/**
 * One property of a thrown value, whatever was thrown (an Error, a wasm error object, a string).
 * @param {Failure} value
 * @param {string} name
 * @returns {unknown}
 */
function field(value, name) {
  return value !== null && typeof value === "object" ? /** @type {Record<string, unknown>} */ (value)[name] : undefined;
}
