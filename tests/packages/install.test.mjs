// Installs every package as a user would: `npm pack` of pkg/<target>, the tarball installed
// (offline, no registry) into scratch projects — a Node ESM script, a Node CJS script, a plain
// HTML page and a Vite build opened in headless Chromium — each running a schedule against the
// shared vectors; and `tsc --noEmit --strict` on a consumer example per target.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, existsSync, createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, extname, normalize } from "node:path";
import { execFileSync } from "node:child_process";
import { root, vectors } from "../js/helpers.mjs";
import { launchBrowser } from "../../www/tests/harness.mjs";

const TARGETS = ["web", "bundler", "node", "miniprogram-wechat", "miniprogram-alipay"];
const bin = (name) => join(root, "node_modules", ".bin", name);
const vector = vectors("schedules.json").find((v) => v.request.method === "equal-installment" && v.request.principal === "10000.00" && v.request.termMonths === 12 && !v.request.fees);
const expectedFirst = vector.expected.installments[0].payment;
const expectedTotal = vector.expected.totals.payment;

let work;
const tarballs = {};
const names = {};

function npm(args, cwd) {
  return execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd, encoding: "utf8", env: { ...process.env, npm_config_offline: "true", npm_config_update_notifier: "false" } });
}

/** A scratch project with `deps` installed from the packed tarballs. */
function scratch(name, packageJson, deps) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, version: "0.0.0", ...packageJson }));
  npm(["install", "--offline", ...deps.map((t) => tarballs[t])], dir);
  return dir;
}

before(() => {
  work = mkdtempSync(join(tmpdir(), "puhui-packages-"));
  for (const target of TARGETS) {
    const out = npm(["pack", join(root, "pkg", target), "--pack-destination", work, "--json"], work);
    const [info] = JSON.parse(out);
    tarballs[target] = join(work, info.filename);
    names[target] = info.name;
  }
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test("each tarball carries its entry points, types, wasm and a generated package.json", () => {
  for (const target of TARGETS) {
    const pkg = JSON.parse(readFileSync(join(root, "pkg", target, "package.json"), "utf8"));
    const cargo = readFileSync(join(root, "Cargo.toml"), "utf8");
    assert.equal(pkg.version, /\[workspace\.package\][^[]*?version\s*=\s*"([^"]+)"/s.exec(cargo)[1], target);
    assert.equal(pkg.license, "Apache-2.0", target);
    assert.ok(pkg.exports && pkg.types, `${target}: exports and types`);
    const listed = execFileSync("tar", ["-tzf", tarballs[target]], { encoding: "utf8" });
    for (const file of pkg.files) assert.ok(listed.includes(`package/${file}`), `${target}: ${file} in the tarball`);
    assert.ok(/\.wasm(\.br)?\n/.test(listed), `${target}: wasm in the tarball`);
    assert.ok(statSync(tarballs[target]).size < 2 * 1024 * 1024, `${target}: tarball under 2 MB`);
  }
});

test("Node ESM and CJS scratch projects quote the vector from the node tarball", () => {
  const request = JSON.stringify(vector.request);
  const esm = scratch("node-esm", { type: "module" }, ["node"]);
  writeFileSync(join(esm, "main.js"), `import { schedule, engineVersion } from "${names.node}";\nconst s = schedule(${request});\nconsole.log(JSON.stringify([s.installments[0].payment, s.totals.payment, typeof engineVersion()]));\n`);
  assert.deepEqual(JSON.parse(execFileSync("node", ["main.js"], { cwd: esm, encoding: "utf8" })), [expectedFirst, expectedTotal, "string"]);

  const cjs = scratch("node-cjs", { type: "commonjs" }, ["node"]);
  writeFileSync(join(cjs, "main.js"), `const puhui = require("${names.node}");\nconst s = puhui.schedule(${request});\nconsole.log(JSON.stringify([s.installments[0].payment, s.totals.payment, typeof puhui.Engine]));\n`);
  assert.deepEqual(JSON.parse(execFileSync("node", ["main.js"], { cwd: cjs, encoding: "utf8" })), [expectedFirst, expectedTotal, "function"]);
});

const MIME = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json", ".css": "text/css" };

/** A static file server over `dir` on a free loopback port. */
async function serveStatic(dir) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    let file = join(dir, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": MIME[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { base: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

const PAGE_SCRIPT = (importFull, importCalc) => `
${importFull}
${importCalc}
const request = ${JSON.stringify(vector.request)};
await calcInit();
const fromCalc = calc.schedule(request);
await fullInit();
const fromFull = full.schedule(request);
let refused = "";
try { calc.call("subsidy", {}); } catch (error) { refused = error.code; }
document.body.dataset.result = JSON.stringify([fromCalc.installments[0].payment, fromFull.totals.payment, refused]);
`;

async function openAndRead(url) {
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(url);
    await page.waitForFunction(() => document.body && document.body.dataset.result, null, { timeout: 20000 }).catch(() => {});
    const result = await page.evaluate(() => document.body.dataset.result);
    assert.ok(result, `no result on ${url}: ${errors.join("; ")}`);
    return JSON.parse(result);
  } finally {
    await browser.close();
  }
}

test("a plain HTML page loads the web tarball with <script type=module> (calc module first, then the full engine)", async () => {
  const dir = scratch("plain-html", {}, ["web"]);
  const base = `./node_modules/${names.web}`;
  writeFileSync(join(dir, "index.html"), `<!doctype html><meta charset="utf-8"><title>puhui</title><body><script type="module">${PAGE_SCRIPT(`import fullInit, * as full from "${base}/puhui.js";`, `import calcInit, * as calc from "${base}/puhui_calc.js";`)}</script></body>`);
  const server = await serveStatic(dir);
  try {
    assert.deepEqual(await openAndRead(`${server.base}/index.html`), [expectedFirst, expectedTotal, "operation-unavailable"]);
  } finally {
    await server.close();
  }
});

test("a Vite build of the bundler tarball runs in Chromium (no bundler plugin needed)", async () => {
  const dir = scratch("vite-app", { type: "module" }, ["bundler"]);
  writeFileSync(join(dir, "index.html"), `<!doctype html><meta charset="utf-8"><title>puhui</title><body><script type="module" src="/main.js"></script></body>`);
  writeFileSync(join(dir, "main.js"), PAGE_SCRIPT(`import fullInit, * as full from "${names.bundler}";`, `import calcInit, * as calc from "${names.bundler}/calc";`));
  const { build } = await import(join(root, "node_modules", "vite", "dist", "node", "index.js"));
  await build({ root: dir, logLevel: "silent", build: { outDir: join(dir, "dist"), target: "es2022" } });
  const emitted = execFileSync("ls", [join(dir, "dist", "assets")], { encoding: "utf8" });
  assert.match(emitted, /puhui_calc_bg-.*\.wasm/, "the calc wasm is an emitted asset");
  const server = await serveStatic(join(dir, "dist"));
  try {
    assert.deepEqual(await openAndRead(`${server.base}/index.html`), [expectedFirst, expectedTotal, "operation-unavailable"]);
  } finally {
    await server.close();
  }
});

test("tsc --noEmit --strict accepts a consumer example per target", () => {
  const dir = scratch("typescript", { type: "module" }, TARGETS);
  const request = `{ principal: "10000.00", annualRate: "0.072", termMonths: 12, method: "equal-installment" }`;
  const sources = {
    "web.ts": `import init, { schedule, Engine, type ScheduleResponse } from "${names.web}";\nimport calcInit, { apr } from "${names.web}/calc";\nimport { createBundleLoader, memoryStorage } from "${names.web}/loader";\nawait init(); await calcInit();\nconst s: ScheduleResponse = schedule(${request});\nconst first: string = s.installments[0].payment;\nconst r = apr({ method: "cn-irr", advance: "100", payments: ["101"] });\nconst p: string = r.percent;\nvoid Engine; void createBundleLoader; void memoryStorage; void first; void p;\n`,
    "bundler.ts": `import init, { disclose } from "${names.bundler}";\nawait init();\nconst d = disclose({ schedule: ${request} });\nconst label: string | undefined = d.cn.label;\nvoid label;\n`,
    "node.mts": `import { schedule, type Installment } from "${names.node}";\nconst rows: Installment[] = schedule(${request}).installments;\nvoid rows;\n`,
    "wechat.ts": `import init, { schedule, Engine } from "${names["miniprogram-wechat"]}";\nimport { createBundleLoader, wxStorage, wxRequestFetch } from "${names["miniprogram-wechat"]}/loader";\nawait init({ wasmPath: "/miniprogram_npm/x/puhui_bg.wasm.br" });\nconst total: string = schedule(${request}).totals.payment;\nvoid total; void Engine; void createBundleLoader; void wxStorage; void wxRequestFetch;\n`,
    "alipay.ts": `import init, { schedule, Engine } from "${names["miniprogram-alipay"]}";\nimport { myStorage, myRequestFetch } from "${names["miniprogram-alipay"]}/loader";\nawait init();\nconst total: string = (await schedule(${request})).totals.payment;\nconst engine: Engine = await Engine.load("{}", "{}", null, "2026-01-01T00:00:00Z", null);\nconst quote = await engine.quote({ productId: "p", amount: "1000.00", termMonths: 12 });\nconst pay: string = quote.schedule.installments[0].payment;\nvoid total; void pay; void myStorage; void myRequestFetch;\n`,
  };
  for (const [file, text] of Object.entries(sources)) writeFileSync(join(dir, file), text);
  const common = ["--noEmit", "--strict", "--target", "es2022", "--skipLibCheck", "false", "--lib", "es2022,dom"];
  execFileSync(bin("tsc"), [...common, "--module", "esnext", "--moduleResolution", "bundler", "web.ts", "bundler.ts", "wechat.ts", "alipay.ts"], { cwd: dir, encoding: "utf8" });
  execFileSync(bin("tsc"), [...common, "--module", "nodenext", "--moduleResolution", "nodenext", "node.mts"], { cwd: dir, encoding: "utf8" });
});
