// Extension-host integration tests in a real VS Code (code-server), loaded through the `payload`
// URL route: the extension under development is this repository (dist/client.js, dist/server.js),
// the tests are test/e2e/extension-tests/index.ts bundled to out/e2e-tests/index.js.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { chromium } from "playwright-core";
import { bundleExtensionTests } from "./support/bundleTests";
import { prepareDirs, startCodeServer } from "./support/codeServer";
import { chromiumArgs, chromiumPath, missing, outputDir, repoRoot, skipIfMissing } from "./support/environment";

const reason = missing({ chromium: true, codeServer: true, dist: ["dist/client.js", "dist/server.js"] });

async function runExtensionHostTests(mode: "trusted" | "restricted", expected: number): Promise<void> {
  const testsBundle = await bundleExtensionTests();

  const dirs = prepareDirs(`exthost-${mode}`, { trusted: mode === "trusted" });
  const resultsFile = join(dirs.dir, "results.json");
  const server = await startCodeServer(dirs, { FLOWLENS_E2E_RESULTS: resultsFile, FLOWLENS_E2E_MODE: mode });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  let passed = false;
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let resolveExit: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((resolve) => (resolveExit = resolve));
    await page.exposeFunction("codeAutomationExit", (code: number) => resolveExit(code));
    const remote = (p: string): string => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = JSON.stringify([
      ["extensionDevelopmentPath", remote(repoRoot)],
      ["extensionTestsPath", remote(testsBundle)],
    ]);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(server.workspace)}&payload=${encodeURIComponent(payload)}`);
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      exitCode,
      new Promise<number>((_, reject) => (timer = setTimeout(() => reject(new Error(`the extension tests did not finish within 150 s\n${server.output().slice(-3000)}`)), 150_000))),
    ]).finally(() => clearTimeout(timer));
    mkdirSync(outputDir, { recursive: true });
    await page.screenshot({ path: join(outputDir, `exthost-${mode}-end.png`) });
    assert.ok(existsSync(resultsFile), `the extension tests wrote no results (exit code ${code})\n${server.output().slice(-3000)}`);
    const results = JSON.parse(readFileSync(resultsFile, "utf8")) as { name: string; ok: boolean; error?: string; ms: number; note?: string }[];
    for (const r of results) console.log(`  ${r.ok ? "ok" : "FAIL"}  ${r.name} (${r.ms} ms)${r.note ? ` — ${r.note}` : ""}${r.error ? `\n      ${r.error.split("\n").slice(0, 4).join("\n      ")}` : ""}`);
    assert.equal(results.length, expected, "every integration case ran");
    assert.deepEqual(results.filter((r) => !r.ok).map((r) => r.name), []);
    assert.equal(code, 0);
    passed = true;
  } finally {
    await browser.close();
    await server.stop();
    // A failed run keeps its folder (logs, user data) for inspection; its path is in the failure.
    if (passed) rmSync(dirs.dir, { recursive: true, force: true });
    else console.log(`e2e: kept ${dirs.dir} for inspection`);
  }
}

void test("extension host: diagnostics, CodeLens, commands, graph panel, activation time", { timeout: 180_000 }, async (t) => {
  if (skipIfMissing(t, reason)) return;
  await runExtensionHostTests("trusted", 7);
});

void test("extension host in Restricted Mode: analysis works, run commands explain why they are disabled", { timeout: 180_000 }, async (t) => {
  if (skipIfMissing(t, reason)) return;
  await runExtensionHostTests("restricted", 3);
});
