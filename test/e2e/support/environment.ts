// What the end-to-end tests need on this machine, and what happens when it is missing: outside CI
// the suite is skipped with the reason printed; with CI=true a missing tool is a failure.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { skipIfMissing as skipOrFail } from "../../support/missingTool";

export const repoRoot = join(import.meta.dirname, "..", "..", "..");
export const chromiumPath = process.env.FLOWLENS_CHROMIUM ?? "/usr/bin/chromium";
export const codeServerEntry = join(repoRoot, ".vscode-test", "code-server", "node_modules", "code-server", "out", "node", "entry.js");
export const outputDir = join(repoRoot, "test-output");

/** Chromium's flags for headless runs on a machine without a GPU, sandbox or network. */
export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Returns the reason the suite cannot run here, or undefined when everything is present. */
export function missing(needs: { chromium?: boolean; codeServer?: boolean; dist?: string[] }): string | undefined {
  if (needs.chromium && !existsSync(chromiumPath)) return `Chromium not found at ${chromiumPath} (run: npm run setup:e2e, or set FLOWLENS_CHROMIUM)`;
  if (needs.codeServer && !existsSync(codeServerEntry)) return `code-server not installed at ${codeServerEntry} (run: npm run setup:e2e)`;
  for (const f of needs.dist ?? []) {
    if (!existsSync(join(repoRoot, f))) return `${f} is missing (run: npm run build)`;
  }
  return undefined;
}

/** Skips the test with a printed reason, or fails it under CI. Returns true when the test must stop. */
export function skipIfMissing(t: TestContext, reason: string | undefined): boolean {
  return skipOrFail(t, "e2e", reason);
}
