// Alipay mini-program Worker side (source; bundled by pkg-config/assemble.mjs into
// worker/index.js: CommonJS, ES2015, the UTF-8 codec injected). `MyWebAssembly` exists only in a
// Worker, so the engine lives here and the page talks to it with one postMessage per call:
//   page → worker  {id, op, args}      args are strings (JSON texts, dates, paths)
//   worker → page  {id, ok: true, json} or {id, ok: false, error: {code, message, path?}}
import { __wbg_get_imports, __wbg_finalize_init } from "puhui-glue";
import * as engine from "puhui-glue";

/** Where the worker files are copied (see README: app.json "workers": "workers"). */
export const DEFAULT_WASM_PATH = "/workers/puhui/puhui_bg.wasm.br";

let ready = null;
const engines = {};
let nextEngine = 1;

function load(wasmPath) {
  if (ready) return ready;
  if (typeof MyWebAssembly === "undefined" || typeof MyWebAssembly.instantiate !== "function") {
    return Promise.reject({ code: "host-unsupported", message: "MyWebAssembly is not available (it exists only inside an Alipay Worker)" });
  }
  ready = Promise.resolve()
    .then(() => MyWebAssembly.instantiate(wasmPath || DEFAULT_WASM_PATH, __wbg_get_imports()))
    .then(
      (result) => {
        const instance = result && result.instance ? result.instance : result;
        __wbg_finalize_init(instance, result && result.module);
      },
      (error) => {
        ready = null;
        throw error;
      },
    );
  return ready;
}

function parse(text) {
  return text === null || text === undefined ? null : JSON.parse(text);
}

function engineOf(id) {
  const found = engines[id];
  if (!found) throw { code: "engine-freed", message: "this Engine was freed or never loaded" };
  return found;
}

/** Runs one request; returns the JSON text of the answer. */
function run(op, args) {
  switch (op) {
    case "init":
      return load(args[0]).then(() => "null");
    case "call":
      return engine.callJson(args[0], args[1]);
    case "engineVersion":
      return JSON.stringify(engine.engineVersion());
    case "operations":
      return JSON.stringify(engine.operations());
    case "verifyBundle":
      return JSON.stringify(engine.verifyBundle(args[0], args[1], args[2], args[3], parse(args[4])));
    case "rotateRoot":
      return JSON.stringify(engine.rotateRoot(args[0], args[1], args[2]));
    case "scoreLines":
      return JSON.stringify(engine.scoreLines(args[0], args[1]));
    case "engineLoad": {
      const loaded = engine.Engine.load(args[0], args[1], args[2], args[3], parse(args[4]));
      const id = nextEngine++;
      engines[id] = loaded;
      return JSON.stringify({ id, summary: loaded.summary, state: loaded.state, preview: loaded.preview });
    }
    case "engineProducts":
      return JSON.stringify(engineOf(args[0]).products());
    case "engineQuote":
      return JSON.stringify(engineOf(args[0]).quote(args[1]));
    case "engineAssess":
      return JSON.stringify(engineOf(args[0]).assess(args[1]));
    case "engineFree": {
      const found = engines[args[0]];
      delete engines[args[0]];
      if (found) found.free();
      return "null";
    }
    default:
      throw { code: "unknown-operation", message: "unknown worker operation " + JSON.stringify(op) };
  }
}

function shapeError(error) {
  const shaped = { code: (error && typeof error.code === "string" && error.code) || "internal", message: error && error.message ? String(error.message) : String(error) };
  if (error && typeof error.path === "string") shaped.path = error.path;
  return shaped;
}

/**
 * Serves the page: `serve(worker)` with the Worker global (`worker` in an Alipay Worker script).
 * Every message gets exactly one answer with its id.
 */
export function serve(host) {
  host.onMessage((message) => {
    const id = message && message.id;
    Promise.resolve()
      .then(() => {
        if (!ready && message.op !== "init") throw { code: "not-initialized", message: "call init() first" };
        return ready && message.op !== "init" ? ready.then(() => run(message.op, message.args || [])) : run(message.op, message.args || []);
      })
      .then(
        (json) => host.postMessage({ id, ok: true, json }),
        (error) => host.postMessage({ id, ok: false, error: shapeError(error) }),
      );
  });
}

// In an Alipay Worker the global `worker` is the channel to the page.
if (typeof worker !== "undefined" && worker && typeof worker.onMessage === "function") serve(worker);
