// Compiled by `tsc --noEmit` in `make test`: the loader's shipped types describe real usage.
import init, * as puhui from "../../pkg/web/puhui.js";
import { createBundleLoader, localStorageAdapter, memoryStorage, wxStorage, BundleLoadError, type LoadResult, type StorageAdapter } from "../../pkg/web/loader.js";

export async function loadRules(pinnedRoot: string): Promise<string> {
  await init();
  const storage: StorageAdapter = typeof localStorage === "undefined" ? memoryStorage() : localStorageAdapter("puhui:");
  const loader = createBundleLoader({
    wasm: puhui,
    baseUrl: "https://cdn.example/bundles/",
    bundleId: "puhui-sample",
    pinnedRoot,
    storage,
    fetch: globalThis.fetch,
    offlineGrace: { mode: "stale", maxStaleSeconds: 86400 },
  });
  try {
    const result: LoadResult = await loader.load();
    const codes: string[] = result.warnings.map((w) => `${w.source}:${w.code}`);
    const version: number = result.summary.version;
    // The engine that verified quotes directly (the envelope is verified once); the caller frees it.
    const engine: puhui.Engine | undefined = result.engine;
    const first: string | undefined = engine?.quote({ productId: "consumer-loan", amount: "10000.00", termMonths: 12 }).schedule.installments[0]?.payment;
    engine?.free();
    void first;
    return `${result.status} v${version} stale=${result.stale} preview=${result.preview} ${codes.join(",")} ${result.state.bundles.length}`;
  } catch (error) {
    if (error instanceof BundleLoadError && error.code === "no-valid-bundle") return (error.warnings ?? []).map((w) => w.code).join(",");
    throw error;
  }
}

export const miniProgramStorage = (wx: { getStorageSync(key: string): unknown; setStorageSync(key: string, data: string): void; removeStorageSync(key: string): void }): StorageAdapter => wxStorage(wx, "app:");
