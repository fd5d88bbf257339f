// Extension-host integration tests in a real VS Code (code-server), loaded through the `payload`
// URL route: the extension under development is this repository (dist/client.js, dist/server.js),
// the tests are test/e2e/extension-tests/index.ts bundled to out/e2e-tests/index.js.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { chromium } from "playwright-core";
import { bundleExtensionTests } from "./support/bundleTests";
import { prepareDirs, startCodeServer } from "./support/codeServer";
import { readCaseResults, runPayloadTests } from "./support/payloadTests";
import { chromiumArgs, chromiumPath, missing, outputDir, repoRoot, skipIfMissing } from "./support/environment";

const reason = missing({ chromium: true, codeServer: true, dist: ["dist/client.js", "dist/server.js", "dist/cli.js"] });

/** Restricted Mode: a real run in the workspace's datastore, made here (trusted) before the editor starts. */
function seedRun(workspace: string): void {
  const run = spawnSync(process.execPath, [join(repoRoot, "dist", "cli.js"), "run", join(workspace, "hello_flow.py")], { cwd: workspace, encoding: "utf8", timeout: 120_000 });
  assert.equal(run.status, 0, `the seed run failed: ${run.stderr}`);
}

async function runExtensionHostTests(mode: "trusted" | "restricted", expected: number): Promise<void> {
  const testsBundle = await bundleExtensionTests();

  const dirs = prepareDirs(`exthost-${mode}`, { trusted: mode === "trusted" });
  const resultsFile = join(dirs.dir, "results.json");
  if (mode === "restricted") seedRun(dirs.workspace);
  const server = await startCodeServer(dirs, { FLOWLENS_E2E_RESULTS: resultsFile, FLOWLENS_E2E_MODE: mode });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  let passed = false;
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const code = await runPayloadTests(page, server, testsBundle, "the extension tests", 150_000);
    mkdirSync(outputDir, { recursive: true });
    await page.screenshot({ path: join(outputDir, `exthost-${mode}-end.png`) });
    const results = readCaseResults(resultsFile, code, server, 4);
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
  await runExtensionHostTests("trusted", 8);
});

void test("extension host in Restricted Mode: analysis works, run commands and artifact values explain why they are disabled, no Python starts", { timeout: 240_000 }, async (t) => {
  if (skipIfMissing(t, reason)) return;
  await runExtensionHostTests("restricted", 5);
});
