// The mini-program packages (pkg/miniprogram-wechat, pkg/miniprogram-alipay) in Node `vm`
// sandboxes shaped like the hosts (shared/spec/platforms.md): no WebAssembly, TextEncoder,
// TextDecoder, fetch, URL, performance or crypto. WeChat gets a WXWebAssembly that only accepts a
// path inside the package and reads the .wasm.br from there; Alipay's MyWebAssembly exists only in
// the Worker sandbox, and page and Worker talk through JSON-serialized postMessage. A schedule
// and a quote must equal the shared vectors, and a bundle signed by the real CLI, served by the
// real `puhui serve` and fetched through wx.request / my.request stubs must verify.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import vm from "node:vm";
import { readFileSync, writeFileSync, mkdtempSync, mkdirSync, rmSync, chmodSync, existsSync, statSync } from "node:fs";
import { brotliDecompressSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { root, vectors, cliPath, startServer } from "../js/helpers.mjs";

const wechatDir = join(root, "pkg", "miniprogram-wechat");
const alipayDir = join(root, "pkg", "miniprogram-alipay");
const wechatName = JSON.parse(readFileSync(join(wechatDir, "package.json"), "utf8")).name;
const HOST_GAPS = ["WebAssembly", "TextEncoder", "TextDecoder", "fetch", "URL", "performance", "crypto", "require", "process", "Buffer", "setTimeout"];

/** A context with only the language builtins, then WebAssembly removed, plus `globals`. */
function sandbox(globals) {
  const context = vm.createContext({});
  vm.runInContext("delete globalThis.WebAssembly;", context);
  Object.assign(context, { console: { log() {}, info() {}, warn() {}, error() {}, debug() {} } }, globals);
  for (const name of HOST_GAPS) assert.equal(vm.runInContext(`typeof ${name}`, context), "undefined", `${name} leaked into the sandbox`);
  return context;
}

/** Loads a CommonJS file into `context` the way a mini-program does (no Node `require`). */
function requireIn(context, file) {
  const wrapper = vm.runInContext(`(function (module, exports, require) {${readFileSync(file, "utf8")}\n})`, context, { filename: file });
  const module = vm.runInContext("({ exports: {} })", context);
  wrapper(module, module.exports, (name) => {
    throw new Error(`require(${JSON.stringify(name)}): a mini-program bundle must be self-contained`);
  });
  return module.exports;
}

/** A WXWebAssembly / MyWebAssembly: instantiates only `<mount><file>.wasm.br` read from `dir`. */
function packageWasm(dir, mount) {
  const calls = [];
  return {
    calls,
    api: {
      instantiate(path, imports) {
        calls.push(path);
        if (typeof path !== "string") return Promise.reject(new TypeError("instantiate takes a package path, never bytes"));
        if (!path.startsWith(mount) || path.includes("..") || !path.endsWith(".wasm.br")) return Promise.reject(new Error(`not a .wasm.br path inside the package: ${path}`));
        const file = join(dir, path.slice(mount.length));
        if (!existsSync(file)) return Promise.reject(new Error(`no such file in the package: ${path}`));
        return WebAssembly.instantiate(brotliDecompressSync(readFileSync(file)), imports);
      },
    },
  };
}

/** Fields of `actual` (an object from another realm) equal those of `expected`. */
function sameFields(actual, expected, label) {
  for (const [field, value] of Object.entries(expected)) {
    if (value !== null && typeof value === "object") sameFields(actual[field], value, `${label}.${field}`);
    else assert.equal(actual[field], value, `${label}.${field}`);
  }
}

function checkScheduleVectors(run) {
  return (async () => {
    const cases = vectors("schedules.json");
    assert.ok(cases.length >= 11);
    for (const { name, request, expected } of cases) {
      const actual = await run(JSON.parse(JSON.stringify(request)));
      assert.equal(actual.installments.length, expected.installments.length, `${name}: rows`);
      expected.installments.forEach((row, idx) => sameFields(actual.installments[idx], row, `${name} row ${idx + 1}`));
      sameFields(actual.totals, expected.totals, `${name} totals`);
    }
  })();
}

/** The schedule vector the sample bundle's consumer-loan at band A reproduces (7.2 %, 10000, 12 m). */
function quoteVector() {
  const vector = vectors("schedules.json").find((v) => v.request.method === "equal-installment" && v.request.principal === "10000.00" && v.request.annualRate === "0.072" && v.request.termMonths === 12 && !v.request.fees);
  assert.ok(vector, "the 10000 @7.2% 12m vector");
  return vector;
}

// ---- a bundle signed by the real CLI and served by the real server ---------------------------
let work;
let server;
let pinnedRoot;
const NOW = new Date().toISOString();
const cli = (...args) => execFileSync(cliPath(), args, { encoding: "utf8" });

before(async () => {
  work = mkdtempSync(join(tmpdir(), "puhui-miniprogram-"));
  chmodSync(work, 0o700);
  cli("keygen", "--out", join(work, "keys"), "--name", "k1");
  cli("root", "new", "--threshold", "1", "--expires", new Date(Date.now() + 365 * 86400e3).toISOString().replace(/\.\d+Z$/, "Z"), "--key", join(work, "keys", "k1.pub"), "--sign", join(work, "keys", "k1.key"), "-o", join(work, "root.json"));
  pinnedRoot = readFileSync(join(work, "root.json"), "utf8");
  const payload = JSON.parse(readFileSync(join(root, "data", "sample-bundle.json"), "utf8"));
  Object.assign(payload, { version: 7, issuedAt: new Date(Date.now() - 86400e3).toISOString().replace(/\.\d+Z$/, "Z"), expiresAt: new Date(Date.now() + 30 * 86400e3).toISOString().replace(/\.\d+Z$/, "Z"), rootVersion: 1 });
  writeFileSync(join(work, "payload.json"), JSON.stringify(payload));
  cli("sign", "--key", join(work, "keys", "k1.key"), join(work, "payload.json"), "-o", join(work, "signed.json"));
  mkdirSync(join(work, "bundles"));
  cli("publish", "--bundles", join(work, "bundles"), join(work, "signed.json"));
  server = await startServer({ dir: work, args: ["--bundles", join(work, "bundles")] });
  bundleId = payload.bundleId;
});
let bundleId;

after(async () => {
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** wx.request over the real network (Node's fetch stays outside the sandbox). */
function wxStub() {
  const storage = new Map();
  const requests = [];
  return {
    requests,
    storage,
    request({ url, method, header, responseType, success, fail }) {
      requests.push({ url, responseType, ifNoneMatch: header["If-None-Match"] ?? null });
      fetch(url, { method, headers: header }).then(
        async (response) => success({ statusCode: response.status, data: await response.arrayBuffer(), header: Object.fromEntries(response.headers) }),
        (error) => fail({ errMsg: `request:fail ${error.message}` }),
      );
      return { abort() {} };
    },
    getStorageSync: (key) => (storage.has(key) ? storage.get(key) : ""),
    setStorageSync: (key, value) => void storage.set(key, value),
    removeStorageSync: (key) => void storage.delete(key),
  };
}

/** my.request (HTTP errors through `fail` with a status, as Alipay does) and my storage. */
function myStub(extra = {}) {
  const storage = new Map();
  return {
    storage,
    request({ url, method, headers, success, fail }) {
      fetch(url, { method, headers }).then(
        async (response) => {
          const answer = { status: response.status, data: await response.arrayBuffer(), headers: Object.fromEntries(response.headers) };
          if (response.status >= 400) fail({ error: 19, errorMessage: "http error", ...answer });
          else success(answer);
        },
        (error) => fail({ error: 12, errorMessage: error.message }),
      );
    },
    getStorageSync: ({ key }) => ({ data: storage.has(key) ? storage.get(key) : null }),
    setStorageSync: ({ key, data }) => void storage.set(key, data),
    removeStorageSync: ({ key }) => void storage.delete(key),
    ...extra,
  };
}

// ---- WeChat ------------------------------------------------------------------------------------
function wechat() {
  const mount = `/miniprogram_npm/${wechatName}/`;
  const wasm = packageWasm(join(wechatDir, "miniprogram_dist"), mount);
  const wx = wxStub();
  const context = sandbox({ WXWebAssembly: wasm.api, wx });
  const puhui = requireIn(context, join(wechatDir, "miniprogram_dist", "index.js"));
  const loader = requireIn(context, join(wechatDir, "miniprogram_dist", "loader.js"));
  return { context, puhui, loader, wasm, wx, mount };
}

test("WeChat: init loads the .wasm.br from the default package path; schedules and APRs equal the vectors", async () => {
  const { puhui, wasm, mount } = wechat();
  await puhui.init();
  assert.deepEqual(wasm.calls, [`${mount}puhui_bg.wasm.br`]);
  await checkScheduleVectors((request) => puhui.schedule(request));
  for (const { name, request, expected } of vectors("apr.json")) sameFields(puhui.apr(JSON.parse(JSON.stringify(request))), expected, name);
  assert.throws(() => puhui.schedule({ principal: "1.001", annualRate: "0.07", termMonths: 12, method: "bullet" }), (e) => typeof e.code === "string" && e.code !== "internal");
  assert.equal(typeof puhui.Engine.load, "function");
});

test("WeChat: init refuses a path outside the package, and a later init with the right path works", async () => {
  const { puhui, wasm } = wechat();
  await assert.rejects(puhui.init({ wasmPath: "https://cdn.example.com/puhui_bg.wasm" }), /not a \.wasm\.br path inside the package/);
  await assert.rejects(puhui.init({ wasmPath: "/miniprogram_npm/../evil/puhui_bg.wasm.br" }));
  await puhui.init({ wasmPath: `/miniprogram_npm/${wechatName}/puhui_bg.wasm.br` });
  assert.equal(wasm.calls.length, 3);
  assert.equal(typeof puhui.engineVersion(), "string");
});

test("WeChat: a bundle fetched with wx.request from the real server verifies, persists in wx storage, and quotes the vector", async () => {
  const { puhui, loader, wx } = wechat();
  await puhui.init();
  const client = loader.createBundleLoader({ wasm: puhui, baseUrl: `${server.base}/bundles/`, bundleId, pinnedRoot, storage: loader.wxStorage(wx), fetch: loader.wxRequestFetch(wx), now: () => NOW });
  const first = await client.load();
  assert.equal(first.status, "fresh");
  assert.equal(first.summary.version, 7);
  assert.ok(wx.requests.every((r) => r.responseType === "arraybuffer"));
  assert.ok([...wx.storage.keys()].some((k) => k.endsWith("/envelope")), "the verified envelope is in wx storage");

  const second = await client.load();
  assert.equal(second.status, "not-modified");
  assert.ok(wx.requests.some((r) => r.ifNoneMatch), "revalidated with If-None-Match");

  // The loader verified through Engine.load: its engine quotes, nothing verifies twice.
  const engine = first.engine;
  assert.equal(first.bundle, undefined, "the payload never crosses into JS as an object");
  const { request, expected } = quoteVector();
  const quote = engine.quote({ productId: "consumer-loan", amount: request.principal, termMonths: request.termMonths, method: request.method, band: "A" });
  assert.equal(quote.schedule.installments.length, expected.installments.length);
  expected.installments.forEach((row, idx) => sameFields(quote.schedule.installments[idx], row, `quote row ${idx + 1}`));
  sameFields(quote.schedule.totals, expected.totals, "quote totals");
  engine.free();

  // A fresh loader with the network down serves the stored bundle, re-verified.
  const offline = loader.createBundleLoader({ wasm: puhui, baseUrl: "http://127.0.0.1:9/bundles/", bundleId, pinnedRoot, storage: loader.wxStorage(wx), fetch: loader.wxRequestFetch(wx), now: () => NOW });
  const cached = await offline.load();
  assert.equal(cached.status, "cached");
  assert.equal(cached.summary.version, 7);
});

// ---- Alipay ------------------------------------------------------------------------------------
/** Page and Worker sandboxes joined by a JSON-only postMessage, the Worker made by my.createWorker. */
function alipay() {
  const mount = "/workers/puhui/";
  const wasm = packageWasm(join(alipayDir, "worker"), mount);
  const messages = [];
  const workers = [];
  const deliver = (listeners, message) => {
    const text = JSON.stringify(message); // one JSON message per call, nothing else crosses
    messages.push(text);
    setImmediate(() => listeners.forEach((listener) => listener(JSON.parse(text))));
  };
  const my = myStub({
    createWorker(path) {
      assert.equal(path, "workers/puhui/index.js");
      const toPage = [];
      const toWorker = [];
      const workerGlobal = { onMessage: (fn) => toWorker.push(fn), postMessage: (m) => deliver(toPage, m) };
      const workerContext = sandbox({ MyWebAssembly: wasm.api, worker: workerGlobal });
      requireIn(workerContext, join(alipayDir, "worker", "index.js"));
      workers.push(workerContext);
      return { onMessage: (fn) => toPage.push(fn), postMessage: (m) => deliver(toWorker, m), terminate() {} };
    },
  });
  const page = sandbox({ my });
  assert.equal(vm.runInContext("typeof MyWebAssembly", page), "undefined", "MyWebAssembly must exist only in the Worker");
  const puhui = requireIn(page, join(alipayDir, "index.js"));
  const loader = requireIn(page, join(alipayDir, "loader.js"));
  return { puhui, loader, my, wasm, messages, workers };
}

test("Alipay: the engine runs in the Worker; the page's promise API gives the vectors", async () => {
  const { puhui, wasm, messages, workers } = alipay();
  await assert.rejects(puhui.schedule({}), { code: "not-initialized" });
  await puhui.init();
  assert.equal(workers.length, 1);
  assert.deepEqual(wasm.calls, ["/workers/puhui/puhui_bg.wasm.br"]);
  await checkScheduleVectors((request) => puhui.schedule(request));
  for (const { name, request, expected } of vectors("apr.json")) sameFields(await puhui.apr(request), expected, name);
  await assert.rejects(puhui.apr({ method: "cn-irr", advance: "100.00", payments: [] }), { code: "bad-flows" });
  assert.equal(typeof (await puhui.engineVersion()), "string");
  assert.ok(messages.every((m) => typeof m === "string"));
});

test("Alipay: a bundle fetched with my.request from the real server verifies in the Worker and quotes the vector", async () => {
  const { puhui, loader, my } = alipay();
  await puhui.init();
  const client = loader.createBundleLoader({ wasm: puhui, baseUrl: `${server.base}/bundles/`, bundleId, pinnedRoot, storage: loader.myStorage(my), fetch: loader.myRequestFetch(my), now: () => NOW });
  const loaded = await client.load();
  assert.equal(loaded.status, "fresh");
  assert.equal(loaded.summary.version, 7);
  assert.ok([...my.storage.keys()].some((k) => k.endsWith("/state")));

  // The loader verified through the Worker's Engine.load: its engine (a Worker handle) quotes.
  const engine = loaded.engine;
  assert.equal(loaded.bundle, undefined, "the payload never crosses into the page as an object");
  const list = await engine.products();
  assert.ok(list.products.some((p) => p.id === "consumer-loan"));
  const { request, expected } = quoteVector();
  const quote = await engine.quote({ productId: "consumer-loan", amount: request.principal, termMonths: request.termMonths, method: request.method, band: "A" });
  expected.installments.forEach((row, idx) => sameFields(quote.schedule.installments[idx], row, `quote row ${idx + 1}`));
  await engine.free();
  await assert.rejects(engine.quote({ productId: "consumer-loan", amount: "10000.00", termMonths: 12 }), { code: "engine-freed" });

  // A tampered envelope is refused inside the Worker with the verifier's code.
  const tampered = loaded.envelope.replace(/("payload"\s*:\s*")(.)/, (m, key, c) => `${key}${c === "A" ? "B" : "A"}`);
  assert.notEqual(tampered, loaded.envelope);
  await assert.rejects(puhui.Engine.load(tampered, pinnedRoot, null, NOW, null), (e) => typeof e.code === "string" && e.code !== "internal");
});

test("every mini-program package is far below the 2 MB limit", () => {
  const report = JSON.parse(readFileSync(join(root, "pkg", "size-report.json"), "utf8"));
  for (const target of ["miniprogram-wechat", "miniprogram-alipay"]) {
    assert.ok(report.packages[target].bytes < 1024 * 1024, `${target}: ${report.packages[target].bytes} B`);
  }
  assert.ok(statSync(join(wechatDir, "miniprogram_dist", "puhui_bg.wasm.br")).size < 400 * 1024);
});
