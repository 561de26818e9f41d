// @ts-check
// The puhui client loader: fetches a signed rule bundle, verifies it in the wasm engine and keeps
// the last good one in host storage, so a page can quote offline and a hostile network or a
// tampered storage can never put unverified numbers on screen.
//
// It owns the host side of shared/spec/bundles.md "Delivery": ETag revalidation of latest.json,
// a size cap enforced on the download itself, trust-root walking, persistence only after
// success, and the offline-grace policy. It must not decide what is valid: every byte it uses,
// including what it reads back from storage, goes through the verifier first: `wasm.Engine.load`
// (verified and compiled in one step; the result carries the engine) or, for a module without
// `Engine`, `wasm.verifyBundle`.
//
// Server layout it reads (what `puhui serve` / `puhui publish` produce, any static host works):
//   <baseUrl><bundleId>/<channel>/latest.json  {"version": N, "path": "N.json", "sha256": "..."}
//   <baseUrl><bundleId>/<channel>/<N>.json     signed DSSE envelope, immutable
//   <baseUrl>roots/<V>.json                    trust root envelope version V, immutable
//   <baseUrl>roots/latest.json                 {"version": V}: the newest root published
// Root discovery: from the current root version V (the pinned root walked through the persisted
// chain), the loader fetches roots/V+1.json, V+2.json, ... up to the version roots/latest.json
// names and hands each one to `wasm.rotateRoot` (which accepts it only when signed by a threshold
// of V's keys and its own). The pointer keeps a normal load from requesting a root that does not
// exist (a 404 that browsers log as a console error on every load); like latest.json it is
// unsigned, and a lagging one can only hide a rotation, as withholding roots/V+1.json could.
// Without it (hosts that publish roots/<V>.json only) and after a root-outdated verdict, the
// loader probes V+1, V+2, ... until a 404.
// "roots" is therefore not usable as a bundle id under the same baseUrl (override `rootsUrl`).
// Roots are walked before verifying every newly offered bundle (so a client that never saw root
// V+1 stops trusting keys it dropped) and once more when the verifier answers root-outdated.
//
// Storage keys (per adapter prefix): <bundleId>/<channel>/envelope | state | etag | expiresAt.
// Limits, by design: storage is as trustworthy as the host makes it. Tampered bytes never verify,
// but a party that can write storage can reset the state (losing the rollback floor across
// restarts) or plant an older, validly signed bundle with a matching state; within one loader the
// in-memory state stays the floor. Mini-programs: pass `fetch` (a wx.request/my.request wrapper
// returning {status, headers.get, body|null, arrayBuffer()}); without a body stream the size cap
// is checked after the body arrived, still before anything parses it.
//
// This file is the public entry (`<pkg>/loader.js`, types in loader.d.ts); the code lives in
// loader/, one concern per file:
//   index.js     createBundleLoader and the load flow (what is stored, fetched, verified, kept)
//   config.js    options checked and completed with their defaults
//   verify.js    the one door to the verifier (Engine.load, or verifyBundle), engines freed
//   roots.js     trust-root discovery: the current root, the walk through roots/V+1.json
//   download.js  capped GETs, the timeout, the latest.json pointer, URL joining
//   storage.js   storage adapters (memory, localStorage, wx, my), keys, persistence
//   host.js      fetch over wx.request / my.request
//   errors.js    BundleLoadError and warnings
//   text.js      UTF-8 (host codec, else ../utf8.js)
// pkg-config/assemble.mjs bundles them with esbuild into one loader.js per package (ESM for web
// and bundler, CommonJS ES2015 for the mini-programs).

export { createBundleLoader } from "./loader/index.js";
export { BundleLoadError } from "./loader/errors.js";
export { memoryStorage, localStorageAdapter, wxStorage, myStorage } from "./loader/storage.js";
export { wxRequestFetch, myRequestFetch } from "./loader/host.js";
