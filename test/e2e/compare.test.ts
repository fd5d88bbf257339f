// Run comparison end to end in a real VS Code (code-server + headless Chromium). Two runs of a
// flow are made with the CLI first (the runtime tests cover runs from the editor); the
// extension-host cases (test/e2e/compare-tests/index.ts) open their comparison from the Runs
// view's command. At each checkpoint this side reads the comparison tab's DOM, clicks "Load
// changed values" and a changed code file as a user would, and writes screenshots into
// test-output/: compare-light.png, compare-dark.png, compare-values-dark.png, compare-code-diff.png.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Frame, Page } from "playwright-core";
import { missing, outputDir, repoRoot, skipIfMissing } from "./support/environment";
import { assertAllPassed, runPayloadSuite } from "./support/payloadSuite";
import { requireFrame } from "./support/webviewFrames";

const reason = missing({ chromium: true, codeServer: true, dist: ["dist/client.js", "dist/cli.js", "dist/comparePanel.js", "dist/media/comparePanel.css"] });

/** Two runs of the compare fixture: the second with --alpha 2, other tags and one more line of code. */
function makeRuns(workspace: string): { a: string; b: string } {
  const flow = join(workspace, "compare_flow.py");
  cpSync(join(repoRoot, "test/runtime/fixtures/compare/flow.py"), flow);
  mkdirSync(join(workspace, ".metaflow"), { recursive: true });
  const run = (args: string[]): string => {
    const r = spawnSync(process.execPath, [join(repoRoot, "dist/cli.js"), "run", flow, "--run-id-file", "run-id.txt", ...args], { cwd: workspace, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    return readFileSync(join(workspace, "run-id.txt"), "utf8").trim();
  };
  const a = run(["--tag", "baseline"]);
  writeFileSync(flow, readFileSync(flow, "utf8").replace('print("total", self.total)', 'print("total", self.total)\n        self.extra = 1'));
  const b = run(["--alpha", "2", "--tag", "candidate"]);
  return { a, b };
}

/** The comparison tab's inner frame: the webview document with `#comparison h1`. */
function comparisonFrame(page: Page): Promise<Frame> {
  return requireFrame(page, { selector: "#comparison h1" }, "a comparison");
}

/** What the page shows of the comparison, checked against the two runs. */
async function checkComparison(frame: Frame, runs: { a: string; b: string }): Promise<string[]> {
  const problems: string[] = [];
  const h1 = (await frame.locator("#comparison h1").textContent()) ?? "";
  if (h1 !== `CompareFlow: run ${runs.a} (A) ↔ run ${runs.b} (B)`) problems.push(`headline "${h1}"`);
  const status = async (name: string): Promise<string> => ((await frame.locator(`tr[data-name="${name}"] td.status`).first().textContent().catch(() => "missing")) ?? "").trim();
  for (const [name, want] of [["alpha", "changed"], ["settings", "changed"], ["square", "changed (3 of 3 tasks)"], ["extra", "only in B"]] as const) {
    const got = await status(name);
    if (got !== want) problems.push(`${name}: "${got}", expected "${want}"`);
  }
  if ((await frame.locator('tr[data-name="items"]').count()) !== 0) problems.push("an artifact that is the same is listed while 'show the same' is off");
  const code = (await frame.locator("ul.files li").allTextContents()).join(" | ");
  if (!/compare_flow\.py changed \+1 −0/.test(code)) problems.push(`code section: "${code}"`);
  return problems;
}

void test("run comparison: Compare with Previous Run, light and dark themes, loaded values, code diff", { timeout: 300_000 }, async (t) => {
  if (skipIfMissing(t, reason)) return;
  let runs = { a: "", b: "" };
  const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(outputDir, `${name}.png`) });
  const handlers: Record<string, (page: Page) => Promise<string[]>> = {
    "compare-light": async (page) => {
      const problems = await checkComparison(await comparisonFrame(page), runs);
      await shot(page, "compare-light");
      return problems;
    },
    "compare-dark": async (page) => {
      const frame = await comparisonFrame(page);
      const problems = await checkComparison(frame, runs);
      await shot(page, "compare-dark");
      await frame.locator("#load-values").click();
      return problems;
    },
    "values-loaded": async (page) => {
      const frame = await comparisonFrame(page);
      const note = await frame.getByText("Changed values are loaded.").count();
      const lr = (await frame.locator('tr[data-name="settings"] ul.value-diff').first().textContent().catch(() => "")) ?? "";
      await shot(page, "compare-values-dark");
      return [...(note === 1 ? [] : ["the page does not say the values are loaded"]), ...(lr === "lr: 0.5 → 1" ? [] : [`settings' value diff: "${lr}"`])];
    },
    "code-diff-click": async (page) => {
      await (await comparisonFrame(page)).locator("ul.files button.link", { hasText: "compare_flow.py" }).click();
      return [];
    },
    "code-diff": async (page) => {
      await page.locator(".monaco-diff-editor").first().waitFor({ state: "visible", timeout: 20_000 });
      await shot(page, "compare-code-diff");
      return [];
    },
  };
  const run = await runPayloadSuite({
    cases: "compare-tests",
    bundle: "e2e-compare-tests",
    label: "compare",
    what: "the comparison cases",
    timeoutMs: 240_000,
    viewport: { width: 1500, height: 950 },
    prepare: (dirs) => {
      runs = makeRuns(dirs.workspace);
      writeFileSync(join(dirs.dir, "runs.json"), JSON.stringify(runs));
    },
    answer: async (page, name, _data, report) => {
      const handler = handlers[name] ?? (() => Promise.resolve([`no handler for checkpoint ${name}`]));
      const problems = await handler(page).catch((err: unknown) => [String(err)]);
      const ack = { ok: problems.length === 0, detail: problems.join("; ") || "as expected" };
      report(`${name}: ${ack.detail}`);
      return ack;
    },
  });
  assertAllPassed(run, 3);
});
