// Browser-test harness: the real `puhui serve` on a free loopback port and Debian's chromium
// driven by playwright-core (no browser download; see env-notes).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

/** Starts the real `puhui serve` over the repository (shared with the Node tests). */
export { startServer, freePort } from "../../tests/js/helpers.mjs";

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
