// The one owner of the wasm modules on a page. The calculator-first module
// (`puhui_calc.js`, schedule/apr/disclose only) is loaded first so the first figure comes fast;
// the full engine (`puhui.js`: bundles, quotes, pre-eligibility) is loaded when offers need it.
// When the calculator module is missing or fails, the full module serves the calculator too.
// Each module is imported and instantiated at most once per page (the promises are shared).
import type {
  AprRequest, AprResponse, BundleState, BundleSummary, DiscloseRequest, DiscloseResponse, ScheduleRequest,
  ScheduleResponse, VerifyOptions, VerifyResult, RotateResult, ProductList, QuoteRequest, BundleAssessment, Applicant,
} from "./types";
import type { QuoteWithParties, ProductWithParties } from "./types";

/** What the calculator needs (both modules export it). */
export interface CalcModule {
  default(init?: unknown): Promise<unknown>;
  schedule(request: ScheduleRequest): ScheduleResponse;
  apr(request: AprRequest): AprResponse;
  disclose(request: DiscloseRequest): DiscloseResponse;
  engineVersion(): string;
}

/** A verified bundle's quote engine (wasm `Engine`). */
export interface EngineInstance {
  readonly summary: BundleSummary;
  readonly state: BundleState;
  readonly preview: boolean;
  products(): Omit<ProductList, "products"> & { products: ProductWithParties[] };
  quote(request: QuoteRequest): QuoteWithParties;
  assess(applicant: Applicant): BundleAssessment;
}

/** The full engine module. */
export interface FullModule extends CalcModule {
  Engine: { load(envelope: Uint8Array | string, root: Uint8Array | string, state: BundleState | string | null, now: string, options: VerifyOptions | null): EngineInstance };
  verifyBundle(envelope: Uint8Array | string, root: Uint8Array | string, state: BundleState | string | null, now: string, options: VerifyOptions | null): VerifyResult;
  rotateRoot(root: Uint8Array | string, state: BundleState | string | null, next: Uint8Array | string): RotateResult;
}

let base = "/pkg/web/";
let calc: Promise<CalcModule> | null = null;
let full: Promise<FullModule> | null = null;

/** Where the engine package is served (default `/pkg/web/`); call before the first load. */
export function configureEngine(options: { baseUrl?: string }): void {
  if (options.baseUrl) base = options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`;
}

async function importModule<T>(name: string): Promise<T> {
  const url = new URL(name, new URL(base, location.href)).href;
  return (await import(/* webpackIgnore: true */ url)) as T;
}

/** Starts the streaming compilation of `name` under the package base; `undefined` when the
 *  browser lacks `compileStreaming` or it fails (the glue then fetches the wasm itself). */
function compileEarly(name: string): Promise<WebAssembly.Module | undefined> {
  if (typeof WebAssembly?.compileStreaming !== "function") return Promise.resolve(undefined);
  const url = new URL(name, new URL(base, location.href)).href;
  return WebAssembly.compileStreaming(fetch(url)).catch(() => undefined);
}

/** The full engine, imported and instantiated once. */
export function loadFull(): Promise<FullModule> {
  full ??= (async () => {
    const module = await importModule<FullModule>("puhui.js");
    await module.default();
    return module;
  })();
  return full;
}

/** The calculator: the small module when it is there, else the full one (never both for it). */
export function loadCalculator(): Promise<CalcModule> {
  calc ??= (async () => {
    // The page build names the module it preloads for the calculator; without that hint the
    // small module is tried and a failed import falls back to the full one.
    const hinted = globalThis.document?.querySelector<HTMLLinkElement>("link[data-puhui-calc]")?.getAttribute("href");
    if (hinted && !hinted.endsWith("puhui_calc.js")) return loadFull();
    try {
      // The wasm is fetched (the page preloads it) and compiled while the glue module is
      // imported, not after: streaming compilation runs off the main thread.
      const wasm = compileEarly("puhui_calc_bg.wasm");
      const module = await importModule<CalcModule>("puhui_calc.js");
      const compiled = await wasm;
      await module.default(compiled ? { module_or_path: compiled } : undefined);
      return module;
    } catch {
      return loadFull();
    }
  })();
  return calc;
}

/** The error shape every engine export throws. */
export interface EngineError {
  code?: string;
  message: string;
  path?: string;
}

export function asEngineError(error: unknown): EngineError {
  if (error && typeof error === "object" && "message" in error) {
    const e = error as { code?: unknown; message: unknown; path?: unknown };
    return {
      message: String(e.message),
      ...(typeof e.code === "string" ? { code: e.code } : {}),
      ...(typeof e.path === "string" ? { path: e.path } : {}),
    };
  }
  return { message: String(error) };
}
