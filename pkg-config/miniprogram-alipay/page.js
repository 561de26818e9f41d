// Alipay mini-program page side (source; bundled by pkg-config/assemble.mjs into index.js:
// CommonJS, ES2015). The engine runs in a Worker (MyWebAssembly exists only there); this module
// gives the page the web package's API as promises, one postMessage per call, JSON texts inside.
import { TextDecoder } from "../js/utf8.js";

/** Where `my.createWorker` finds the worker copied from this package's worker/ folder. */
export const DEFAULT_WORKER_PATH = "workers/puhui/index.js";

let channel = null;
let ready = null;
let nextId = 1;
const pending = {};

function fail(code, message, path) {
  const error = new Error(message);
  error.name = "PuhuiError";
  error.code = code;
  if (path !== undefined) error.path = path;
  return error;
}

function onMessage(message) {
  const waiter = message && pending[message.id];
  if (!waiter) return;
  delete pending[message.id];
  if (message.ok) {
    let value;
    try {
      value = JSON.parse(message.json);
    } catch (error) {
      waiter.reject(fail("internal", "the worker answered with text that is not JSON"));
      return;
    }
    waiter.resolve(value);
  } else {
    const e = message.error || {};
    waiter.reject(fail(e.code || "internal", e.message || "worker error", e.path));
  }
}

function send(op, args) {
  if (!channel) return Promise.reject(fail("not-initialized", "call init() first"));
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending[id] = { resolve, reject };
    channel.postMessage({ id, op, args });
  });
}

function after(op, args) {
  if (!ready) return Promise.reject(fail("not-initialized", "call init() first"));
  return ready.then(() => send(op, args));
}

/** A request as JSON text (objects are stringified here; strings pass as they are). */
function text(value) {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return new TextDecoder("utf-8", { fatal: true }).decode(value);
  return JSON.stringify(value);
}

/**
 * Starts the engine Worker once and loads the wasm inside it. Options: `worker` (an existing
 * Worker), `workerPath` (default DEFAULT_WORKER_PATH, for `my.createWorker`), `wasmPath` (a path
 * inside the package, default the worker folder's puhui_bg.wasm.br).
 */
export function init(options) {
  if (ready) return ready;
  const opts = options || {};
  if (opts.worker) channel = opts.worker;
  else if (typeof my !== "undefined" && my && typeof my.createWorker === "function") channel = my.createWorker(opts.workerPath || DEFAULT_WORKER_PATH);
  else return Promise.reject(fail("host-unsupported", "no Worker: pass init({ worker }) or run in an Alipay mini-program"));
  channel.onMessage(onMessage);
  ready = send("init", [opts.wasmPath || null]).then(
    () => undefined,
    (error) => {
      ready = null;
      throw error;
    },
  );
  return ready;
}

/** Any operation of the JSON contract by name. */
export function call(operation, request) {
  return after("call", [operation, text(request)]);
}
/** Runs an operation on JSON text; resolves to JSON text. */
export function callJson(operation, request) {
  return call(operation, request).then((value) => JSON.stringify(value));
}
export const schedule = (request) => call("schedule", request);
export const apr = (request) => call("apr", request);
export const disclose = (request) => call("disclose", request);
export const subsidy = (request) => call("subsidy", request);
export const engineVersion = () => after("engineVersion", []);
export const operations = () => after("operations", []);
export const verifyBundle = (envelope, root, state, now, options) => after("verifyBundle", [text(envelope), text(root), text(state), now, text(options)]);
export const rotateRoot = (root, state, next) => after("rotateRoot", [text(root), text(state), text(next)]);
export const scoreLines = (card, lines) => after("scoreLines", [text(card), text(lines)]);

/** A verified bundle held inside the Worker; the same methods as the web `Engine`, as promises. */
export class Engine {
  constructor(id, loaded) {
    this.id = id;
    this.summary = loaded.summary;
    this.state = loaded.state;
    this.preview = loaded.preview;
  }
  static load(envelope, root, state, now, options) {
    return after("engineLoad", [text(envelope), text(root), text(state), now, text(options)]).then((loaded) => new Engine(loaded.id, loaded));
  }
  products() {
    return after("engineProducts", [this.id]);
  }
  quote(request) {
    return after("engineQuote", [this.id, text(request)]);
  }
  assess(applicant) {
    return after("engineAssess", [this.id, text(applicant)]);
  }
  free() {
    return after("engineFree", [this.id]);
  }
}

export default init;
