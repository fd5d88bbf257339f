// Retried, caught and out-of-memory steps end to end in code-server + headless Chromium: the cases
// in test/e2e/marks-tests/index.ts run the flows; at each checkpoint this side checks the graph
// webview's marks and pills and the status bar, and writes screenshots in the light and the dark
// theme into test-output/ (marks-<checkpoint>-light.png / -dark.png). Waits on events, no sleeps.
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, watch, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Frame, Page } from "playwright-core";
import { chromium } from "playwright-core";
import { bundleTestCases } from "./support/bundleTests";
import { prepareDirs, startCodeServer } from "./support/codeServer";
import { readCaseResults, runPayloadTests } from "./support/payloadTests";
import { chromiumArgs, chromiumPath, missing, outputDir, repoRoot, skipIfMissing } from "./support/environment";

const reason = missing({ chromium: true, codeServer: true, dist: ["dist/client.js", "dist/server.js", "dist/cli.js", "dist/webview.js"] });

interface Checkpoint {
  flow?: string;
  marks?: Record<string, string>;
  pills?: Record<string, string>;
  status?: string;
  welcome?: string;
  theme?: "light" | "dark";
}

/** The frame of the graph panel that shows `flow`. */
async function graphFrame(page: Page, flow: string, ms = 30_000): Promise<Frame | undefined> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if ((await frame.locator(`svg#graph`).count().catch(() => 0)) > 0 && ((await frame.locator("body").textContent().catch(() => "")) ?? "").includes(flow)) return frame;
    }
    await page.waitForEvent("framenavigated", { timeout: Math.max(1, deadline - Date.now()) }).catch(() => undefined);
  }
  return undefined;
}

/** Waits until the workbench (and the graph webview, when there is one) draws in the theme the cases chose. */
async function waitForTheme(page: Page, theme: "light" | "dark"): Promise<void> {
  await page.locator(theme === "light" ? ".monaco-workbench.vs" : ".monaco-workbench.vs-dark").waitFor({ state: "attached", timeout: 20_000 });
  for (const frame of page.frames()) {
    if ((await frame.locator("svg#graph").count().catch(() => 0)) > 0) await frame.locator(`body.vscode-${theme}`).waitFor({ state: "attached", timeout: 20_000 });
  }
}

async function checkGraph(page: Page, data: Checkpoint): Promise<string[]> {
  const problems: string[] = [];
  const frame = await graphFrame(page, data.flow ?? "");
  if (!frame) return [`no graph panel shows ${data.flow ?? ""}`];
  for (const [step, cls] of Object.entries(data.marks ?? {})) {
    const node = frame.locator(`svg#graph .node[data-step="${step}"].${cls}`);
    const found = await node.waitFor({ state: "attached", timeout: 20_000 }).then(() => true, () => false);
    if (!found) problems.push(`node ${step} has no class ${cls}`);
  }
  for (const [step, text] of Object.entries(data.pills ?? {})) {
    const pill = (await frame.locator(`svg#graph .node[data-step="${step}"] .run-pill text`).textContent().catch(() => null)) ?? "";
    if (!pill.startsWith(text)) problems.push(`node ${step}'s pill reads "${pill}", expected "${text}…"`);
  }
  return problems;
}

void test("retried, caught and out-of-memory steps: marks and headlines in the graph, status bar and Runs view", { timeout: 300_000 }, async (t) => {
  if (skipIfMissing(t, reason)) return;
  const testsBundle = await bundleTestCases("marks-tests", "e2e-marks-tests");
  const dirs = prepareDirs("marks");
  copyFileSync(join(repoRoot, "test", "runtime", "fixtures", "marks", "flow.py"), join(dirs.workspace, "marks_flow.py"));
  copyFileSync(join(repoRoot, "test", "runtime", "fixtures", "oom", "flow.py"), join(dirs.workspace, "oom_flow.py"));
  const resultsFile = join(dirs.dir, "results.json");
  const server = await startCodeServer(dirs, { FLOWLENS_E2E_RESULTS: resultsFile });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  mkdirSync(outputDir, { recursive: true });
  const checks: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    const handled = new Set<string>();
    const onCheckpoint = async (name: string): Promise<void> => {
      const data = JSON.parse(readFileSync(join(dirs.dir, `checkpoint-${name}`), "utf8")) as Checkpoint;
      const problems = data.flow ? await checkGraph(page, data) : [];
      if (data.status) {
        const bar = page.locator(".statusbar-item", { hasText: data.status }).first();
        if (!(await bar.waitFor({ state: "visible", timeout: 15_000 }).then(() => true, () => false))) problems.push(`the status bar does not say "${data.status}"`);
      }
      if (data.welcome) {
        const entry = page.getByText(data.welcome).first();
        if (!(await entry.waitFor({ state: "visible", timeout: 20_000 }).then(() => true, () => false))) problems.push(`the Welcome page does not list "${data.welcome}"`);
      }
      const theme = data.theme ?? "light";
      await waitForTheme(page, theme);
      await page.screenshot({ path: join(outputDir, `marks-${name.replace(/-dark$/, "")}-${theme}.png`) });
      checks.push(`${name}: ${problems.length === 0 ? "ok" : problems.join("; ")}`);
      const ack = { ok: problems.length === 0, detail: problems.join("; ") };
      writeFileSync(join(dirs.dir, `.tmp-ack-${name}`), JSON.stringify(ack));
      renameSync(join(dirs.dir, `.tmp-ack-${name}`), join(dirs.dir, `ack-${name}`));
    };
    const watcher = watch(dirs.dir, (_e, file) => {
      const m = /^checkpoint-(.+)$/.exec(String(file));
      if (!m?.[1] || handled.has(m[1]) || !existsSync(join(dirs.dir, String(file)))) return;
      handled.add(m[1]);
      onCheckpoint(m[1]).catch((err: unknown) => writeFileSync(join(dirs.dir, `ack-${m[1]}`), JSON.stringify({ ok: false, detail: String(err) })));
    });
    const code = await runPayloadTests(page, server, testsBundle, "the marks cases", 260_000);
    watcher.close();
    const results = readCaseResults(resultsFile, code, server);
    for (const c of checks) console.log(`  check: ${c}`);
    assert.equal(results.length, 3, "every case ran");
    assert.equal(checks.filter((c) => !c.endsWith(": ok")).length, 0, checks.join("\n"));
    assert.deepEqual(results.filter((r) => !r.ok).map((r) => r.name), []);
    assert.equal(code, 0);
  } finally {
    await browser.close();
    await server.stop();
  }
});
