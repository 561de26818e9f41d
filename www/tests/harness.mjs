// Browser-test harness: the real `puhui serve` on a free loopback port and Debian's chromium
// driven by playwright-core (no browser download; see env-notes).
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { cliPath, root } from "../../tests/js/helpers.mjs";

export async function freePort() {
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

/** Starts `puhui serve` over the repository; resolves once /healthz answers. */
export async function startServer(extraArgs = []) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(cliPath(), ["serve", "--dir", root, "--addr", `127.0.0.1:${port}`, ...extraArgs], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) return { base, stop: () => child.kill("SIGINT"), log: () => log };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`puhui serve did not start:\n${log}`);
}

/** Launches headless Debian chromium with the flags this closed network needs. */
export async function launchBrowser() {
  const userDataDir = mkdtempSync(join(tmpdir(), "puhui-chromium-"));
  const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
