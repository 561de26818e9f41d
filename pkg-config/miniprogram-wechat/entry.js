// WeChat mini-program entry (source; pkg-config/assemble.mjs bundles it with the wasm-bindgen web
// glue into miniprogram_dist/index.js: CommonJS, ES2015, the UTF-8 codec injected for
// TextEncoder/TextDecoder). The module is loaded with WXWebAssembly from a package path only.
import { __wbg_get_imports, __wbg_finalize_init } from "puhui-glue";
export { /*EXPORTS*/ } from "puhui-glue";

/** Where the mini-program npm build puts this package's files. */
export const DEFAULT_WASM_PATH = "/miniprogram_npm/" + "/*NAME*/" + "/puhui_bg.wasm.br";

let ready = null;

/**
 * Instantiates the engine once: `WXWebAssembly.instantiate(wasmPath, imports)`, where `wasmPath`
 * is a path inside the mini-program package (default DEFAULT_WASM_PATH). Resolves when every
 * export is usable; a failed load can be retried.
 */
export function init(options) {
  if (ready) return ready;
  const wasmPath = options && options.wasmPath ? String(options.wasmPath) : DEFAULT_WASM_PATH;
  if (typeof WXWebAssembly === "undefined" || typeof WXWebAssembly.instantiate !== "function") {
    const error = new Error("WXWebAssembly is not available on this host (WeChat base library 2.13 or later is needed)");
    error.code = "host-unsupported";
    return Promise.reject(error);
  }
  ready = Promise.resolve()
    .then(() => WXWebAssembly.instantiate(wasmPath, __wbg_get_imports()))
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

export default init;
