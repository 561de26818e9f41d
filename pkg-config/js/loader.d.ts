// Types of the puhui client loader (loader.js). Shipped next to puhui.d.ts in the web package.
import type { BundleState, BundleSummary, Engine, VerifyOptions, VerifyResult, RotateResult } from "./puhui.js";

/**
 * The verifier exports the loader calls: pass the puhui module itself (after `init()` on the web).
 * With `Engine` (every full package) an envelope is verified and compiled in one call and the
 * result carries the engine; `verifyBundle` is the fallback for a module without `Engine` (a
 * host's own verifier). Promise answers are awaited, so the Alipay page-side module (engine in a
 * Worker) fits too.
 */
export interface LoaderWasm {
  Engine?: { load(envelope: Uint8Array | string, root: Uint8Array | string, state: BundleState | string | null, now: string, options: VerifyOptions | null): Engine | Promise<Engine> };
  verifyBundle?(envelope: Uint8Array | string, root: Uint8Array | string, state: BundleState | string | null, now: string, options: VerifyOptions | null): VerifyResult | Promise<VerifyResult>;
  rotateRoot(root: Uint8Array | string, state: BundleState | string | null, next: Uint8Array | string): RotateResult | Promise<RotateResult>;
}

/**
 * Host storage. Values are strings; `get` answers null (or "") for a missing key. Any method may
 * return a Promise. Storage is treated as attacker-writable: everything read back is re-verified.
 */
export interface StorageAdapter {
  get(key: string): string | null | Promise<string | null>;
  set(key: string, value: string): void | Promise<void>;
  remove(key: string): void | Promise<void>;
}

/** The part of a fetch `Response` the loader reads (a mini-program wrapper may provide just this). */
export interface LoaderResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  /** Streamed and cut at the cap when present; otherwise `arrayBuffer()` is read and checked. */
  readonly body: ReadableStream<Uint8Array> | null;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface LoaderRequestInit {
  method: "GET";
  headers: Record<string, string>;
  signal?: AbortSignal;
}

export type LoaderFetch = (url: string, init: LoaderRequestInit) => Promise<LoaderResponse>;

/** What to do when the last good bundle has expired and no valid new one can be had. */
export type OfflineGrace =
  | { mode: "refuse" }
  /** Serve the expired bundle marked `stale: true`, only up to `maxStaleSeconds` after its signed `expiresAt`. */
  | { mode: "stale"; maxStaleSeconds: number };

export interface BundleLoaderOptions {
  /** The puhui module (`Engine` or `verifyBundle`, and `rotateRoot`). */
  wasm: LoaderWasm;
  /** URL of the bundle tree, e.g. "https://cdn.example/bundles/" (a trailing slash is added). */
  baseUrl: string;
  bundleId: string;
  /** Default "production"; must equal the signed payload's channel. */
  channel?: string;
  /** The trust root envelope pinned in the app (never fetched). */
  pinnedRoot: Uint8Array | string;
  storage: StorageAdapter;
  /** Default `globalThis.fetch`. */
  fetch?: LoaderFetch;
  /** Host clock as RFC 3339; default `() => new Date().toISOString()`. */
  now?: () => string;
  /** Default `{ mode: "refuse" }`. */
  offlineGrace?: OfflineGrace;
  /** Size cap of one download and of the envelope given to the verifier; default 1 MiB. */
  maxBytes?: number;
  /** Accept unsigned drafts (results say `preview: true`, never persisted); default false. */
  previewAllowed?: boolean;
  /** Lowest trust root version this release accepts; default 0. */
  minRootVersion?: number;
  /** Where trust roots are published as `<V>.json`, with `latest.json` (`{"version": V}`) naming the
   * newest; default `<baseUrl>roots/`. Without that pointer the loader probes `<V+1>.json` until a 404. */
  rootsUrl?: string;
  /** Abort a request after this many milliseconds (0: never); default 15000. */
  timeoutMs?: number;
}

/** Where a warning came from: the stored copy, the download, root discovery, or the verifier's verdict on the download. */
export type WarningSource = "storage" | "network" | "root" | "verify";

/**
 * A failure that did not stop the load. `code` is the verifier's code (bad-signature, rollback,
 * expired, root-outdated, unsigned, …) or one of the loader's: network, http-error, too-large,
 * bad-pointer, wrong-bundle-id, storage-read-failed, storage-write-failed, stale-beyond-grace.
 */
export interface LoadWarning {
  code: string;
  message: string;
  source: WarningSource;
  path?: string;
  status?: number;
}

export type LoadStatus = "fresh" | "not-modified" | "cached" | "stale";

export interface LoadResult {
  /** fresh: downloaded and verified now; not-modified: latest.json unchanged (304 or same version), stored copy re-verified; cached: the update failed, stored copy re-verified; stale: expired copy within the grace. */
  status: LoadStatus;
  /**
   * The verified, compiled engine when the module has `Engine`: quote from it directly (the
   * envelope is verified once). The caller owns it: `engine.free()` when it is replaced or no
   * longer used. Engines the loader made and did not hand back are freed by the loader.
   */
  engine?: Engine;
  /** The verified payload, only from the `verifyBundle` fallback (a module without `Engine`). */
  bundle?: VerifyResult["bundle"];
  summary: BundleSummary;
  /** The verifier state belonging to this bundle (already persisted when fresh). */
  state: BundleState;
  /** The exact envelope that verified (what is persisted; `Engine.load` input without `engine`). */
  envelope: Uint8Array | string;
  warnings: LoadWarning[];
  /** True only with status "stale": quotes from it must be shown as stale. */
  stale: boolean;
  /** Seconds since the signed expiresAt (stale results only). */
  staleSeconds?: number;
  /** True for an unsigned draft accepted with `previewAllowed`: every output must say so. */
  preview: boolean;
}

export interface BundleLoader {
  readonly bundleId: string;
  readonly channel: string;
  /** Overlapping calls share one run. Resolves with a verified bundle or rejects with `BundleLoadError` code "no-valid-bundle" (its `warnings` say why). */
  load(): Promise<LoadResult>;
  /** Forgets the stored bundle, state and ETag of this bundle id + channel. */
  clear(): Promise<void>;
}

export class BundleLoadError extends Error {
  /** "no-valid-bundle" from `load()`; "invalid-now" when `now()` is not RFC 3339. */
  readonly code: string;
  readonly warnings?: LoadWarning[];
  constructor(code: string, message: string, extra?: { warnings?: LoadWarning[] });
}

export function createBundleLoader(options: BundleLoaderOptions): BundleLoader;

export function memoryStorage(): StorageAdapter;
export function localStorageAdapter(prefix?: string, localStorage?: Pick<Storage, "getItem" | "setItem" | "removeItem">): StorageAdapter;

/** The `wx` storage calls used by `wxStorage` (WeChat mini-programs; tested against a stub, tests/miniprogram). */
export interface WxStorageApi {
  getStorageSync(key: string): unknown;
  setStorageSync(key: string, data: string): void;
  removeStorageSync(key: string): void;
}
export function wxStorage(wx: WxStorageApi, prefix?: string): StorageAdapter;

/** The `my` storage calls used by `myStorage` (Alipay mini-programs; tested against a stub, tests/miniprogram). */
export interface MyStorageApi {
  getStorageSync(options: { key: string }): { data?: unknown } | null | undefined;
  setStorageSync(options: { key: string; data: string }): void;
  removeStorageSync(options: { key: string }): void;
}
export function myStorage(my: MyStorageApi, prefix?: string): StorageAdapter;

/** The `wx.request` call used by `wxRequestFetch` (WeChat). */
export interface WxRequestApi {
  request(options: {
    url: string;
    method: string;
    header: Record<string, string>;
    responseType: "arraybuffer";
    dataType: string;
    success(res: { statusCode: number; data: ArrayBuffer; header: Record<string, string> }): void;
    fail(err: { errMsg?: string }): void;
  }): { abort(): void } | void;
}
/** A `fetch` for `options.fetch` over `wx.request` (binary body, ETag and Content-Length headers). */
export function wxRequestFetch(wx: WxRequestApi): LoaderFetch;

/** The `my.request` call used by `myRequestFetch` (Alipay). */
export interface MyRequestApi {
  request(options: {
    url: string;
    method: string;
    headers: Record<string, string>;
    dataType: "arraybuffer";
    success(res: { status: number; data: ArrayBuffer; headers: Record<string, string> }): void;
    fail(err: { error?: number; errorMessage?: string; errMsg?: string; status?: number; data?: ArrayBuffer; headers?: Record<string, string> }): void;
  }): { abort(): void } | void;
}
/** A `fetch` for `options.fetch` over `my.request`; HTTP error statuses come back as responses. */
export function myRequestFetch(my: MyRequestApi): LoaderFetch;
