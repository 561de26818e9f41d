// Shared by the JS tests: the built wasm package (pkg/node), the vector files and the CLI binary.
import { createRequire } from "node:module";
import { readFileSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(import.meta.url);

/** The Node build of the wasm package, as a consumer would load it. */
export const puhui = require(join(root, "pkg", "node", "puhui.js"));

/** Every case of tests/vectors/<name> (the project's copy of shared/spec/vectors). */
export function vectors(name) {
  return JSON.parse(readFileSync(join(root, "tests", "vectors", name), "utf8"));
}

/** Path of the native `puhui` binary built by `make test` (PUHUI overrides). */
export function cliPath() {
  const candidates = [process.env.PUHUI, join(root, "target", "release", "puhui"), join(root, "target", "debug", "puhui")];
  const found = candidates.find((p) => p && existsSync(p));
  if (!found) throw new Error("puhui binary not built: run `cargo build -p puhui-cli`");
  return found;
}

/** Runs `puhui <args...> -` with `input` on stdin; returns { status, json }. */
export function runCli(args, input) {
  try {
    const out = execFileSync(cliPath(), [...args, "-"], { input: JSON.stringify(input), encoding: "utf8" });
    return { status: 0, json: JSON.parse(out) };
  } catch (error) {
    if (typeof error.status !== "number" || !error.stdout) throw error;
    return { status: error.status, json: JSON.parse(error.stdout) };
  }
}

/** Calls the wasm export `op` and returns { ok, value } or { ok: false, error: {code, message, path} }. */
export function runWasm(op, request) {
  try {
    return { ok: true, value: puhui.call(op, request) };
  } catch (error) {
    const shaped = { code: error.code, message: error.message };
    if (error.path !== undefined) shaped.path = error.path;
    return { ok: false, error: shaped };
  }
}

/** A free TCP port on the loopback interface (nothing listens on it when this returns). */
export async function freePort() {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the real `puhui serve --dir DIR` (default: the repository) on a free loopback port with
 * `args` appended; resolves once /healthz answers to `{base, stop(), log()}`.
 */
export async function startServer({ dir = root, args = [] } = {}) {
  const { spawn } = await import("node:child_process");
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(cliPath(), ["serve", "--dir", dir, "--addr", `127.0.0.1:${port}`, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
    await exited;
  };
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) return { base, stop, log: () => log };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`puhui serve did not start:\n${log}`);
}
