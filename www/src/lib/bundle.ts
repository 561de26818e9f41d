// Loads the signed rule bundle for the offers: the shipped loader fetches `latest.json` and the
// envelope, verifies it in wasm (the full engine, shared through engine.ts) with `Engine.load`,
// persists the last good copy, and hands back that verified, compiled `Engine`: the envelope is
// verified once and the payload never crosses into JS. Failures are sorted into the states a
// consumer is told about: offline, unverifiable; successes can be stale/cached.
import { loadFull, type EngineInstance } from "./engine";
import type { BundleSummary } from "./types";

export type BundleState = "fresh" | "cached" | "stale" | "offline" | "unverifiable";

export interface LoadedBundle {
  engine: EngineInstance;
  summary: BundleSummary;
  state: "fresh" | "cached" | "stale";
  warnings: { code: string; message: string }[];
}

export class BundleFailure extends Error {
  constructor(readonly state: "offline" | "unverifiable", readonly code: string, readonly details: { code: string; message: string }[]) {
    super(`${state}: ${code}`);
  }
}

interface LoaderModule {
  createBundleLoader(options: Record<string, unknown>): { load(): Promise<LoaderResult> };
  localStorageAdapter(prefix?: string, localStorage?: Storage): unknown;
  memoryStorage(): unknown;
}

/** localStorage when the host lets this document use it; memory otherwise (a third-party frame
 * with storage blocked throws a SecurityError on the first access: no last-good copy then). */
function bundleStorage(loader: LoaderModule): unknown {
  try {
    const storage = globalThis.localStorage;
    storage.getItem("puhui:probe");
    return loader.localStorageAdapter("puhui:", storage);
  } catch {
    return loader.memoryStorage();
  }
}
interface LoaderResult {
  status: "fresh" | "not-modified" | "cached" | "stale";
  /** The verified engine: present whenever the module has `Engine`, as the full module does. */
  engine: EngineInstance;
  summary: BundleSummary;
  warnings: { code: string; message: string; source: string }[];
  stale: boolean;
}

/** RFC 3339 of the host clock, whole seconds. */
export function nowRfc3339(clock: () => Date = () => new Date()): string {
  return clock().toISOString().replace(/\.\d+Z$/, "Z");
}

export interface BundleOptions {
  /** Where the bundle tree is served (default `/bundles/`). */
  baseUrl?: string;
  bundleId?: string;
  /** The signed channel (default "production"). */
  channel?: string;
  /** The pinned trust root's URL (default `<baseUrl>pinned-root.json`) or its text. */
  pinnedRoot?: string;
  pkgBase?: string;
}

const loads = new Map<string, Promise<LoadedBundle>>();

/** Verifies and loads the current bundle once per page (once per distinct options: embeds may differ). */
export function loadBundle(options: BundleOptions = {}): Promise<LoadedBundle> {
  const key = JSON.stringify([options.baseUrl, options.bundleId, options.channel, options.pinnedRoot, options.pkgBase]);
  let loading = loads.get(key);
  if (!loading) {
    loading = load(options);
    loads.set(key, loading);
  }
  return loading;
}

async function load(options: BundleOptions): Promise<LoadedBundle> {
  const baseUrl = new URL(options.baseUrl ?? "/bundles/", location.href).href;
  const wasmPromise = loadFull(); // in parallel with the root and loader downloads
  let pinnedRoot: string;
  let loaderModule: LoaderModule;
  try {
    const pkgBase = new URL(options.pkgBase ?? "/pkg/web/", location.href).href;
    [pinnedRoot, loaderModule] = await Promise.all([
      options.pinnedRoot?.trim().startsWith("{") ? Promise.resolve(options.pinnedRoot) : fetch(options.pinnedRoot ?? `${baseUrl}pinned-root.json`).then((r) => {
        if (!r.ok) throw new Error(`pinned root: HTTP ${r.status}`);
        return r.text();
      }),
      import(/* webpackIgnore: true */ `${pkgBase}loader.js`) as Promise<LoaderModule>,
    ]);
  } catch (error) {
    throw new BundleFailure(navigator.onLine === false || error instanceof TypeError ? "offline" : "unverifiable", "fetch-failed", [{ code: "fetch-failed", message: String(error) }]);
  }
  const wasm = await wasmPromise;
  const loader = loaderModule.createBundleLoader({
    wasm,
    baseUrl,
    bundleId: options.bundleId ?? "puhui-sample",
    ...(options.channel ? { channel: options.channel } : {}),
    pinnedRoot,
    storage: bundleStorage(loaderModule),
    offlineGrace: { mode: "stale", maxStaleSeconds: 7 * 86400 },
  });
  let loaded: LoaderResult;
  try {
    loaded = await loader.load();
  } catch (error) {
    const e = error as { code?: string; warnings?: { code: string; message: string }[] };
    const warnings = e.warnings ?? [];
    const offline = warnings.length > 0 && warnings.every((w) => w.code === "network" || w.code === "http-error");
    throw new BundleFailure(offline ? "offline" : "unverifiable", e.code ?? "no-valid-bundle", warnings);
  }
  // The loader verified through `wasm.Engine.load`: quote from that engine, never verify again.
  const engine = loaded.engine;
  const state = loaded.stale ? "stale" : loaded.status === "cached" ? "cached" : "fresh";
  return { engine, summary: loaded.summary, state, warnings: loaded.warnings };
}
