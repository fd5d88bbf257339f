// Run comparison inside code-server's extension host (loaded through the `payload` route by
// test/e2e/compare.test.ts, bundled to out/e2e-compare-tests/index.js). The outer test made two
// runs of CompareFlow with the CLI; these cases open their comparison from the Runs view's
// "Compare with Previous Run", in a light and a dark theme, load the changed values and open the
// code diff. At each checkpoint the outer test reads the comparison tab's DOM, clicks what a user
// would click and takes a screenshot; it answers `ack-<name>` (fs.watch, no sleeps).
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import { checkpoint, hooks, resultsDir, runCases, setColorTheme, type Case } from "../support/payloadCases";

const runs = JSON.parse(readFileSync(join(resultsDir, "runs.json"), "utf8")) as { a: string; b: string };

interface Rendered {
  runs: [string, string];
  changed: number;
}

function nextRender(): Promise<Rendered> {
  return hooks().nextComparisonRender();
}

/** Resolves with the label of the first diff editor tab that opens (or is open) whose label has `text`. */
function diffTab(text: string): Promise<string> {
  const find = (): string | undefined =>
    vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff && t.label.includes(text))?.label;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`no diff editor "${text}" opened within 30 s`));
    }, 30_000);
    const sub = vscode.window.tabGroups.onDidChangeTabs(() => {
      const label = find();
      if (!label) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(label);
    });
    const now = find();
    if (now) {
      clearTimeout(timer);
      sub.dispose();
      resolve(now);
    }
  });
}

const cases: Case[] = [
  [
    "Compare with Previous Run on the latest run opens the comparison of the two runs (light theme)",
    async () => {
      await setColorTheme("Default Light Modern");
      // Active before the first command: the test-only command below is not contributed, so it activates nothing.
      await vscode.extensions.getExtension("flowlens.flowlens")?.activate();
      const drawn = nextRender();
      const key = await vscode.commands.executeCommand<string>("flowlens.run.compareWithPrevious", { kind: "run", flow: "CompareFlow", runId: runs.b });
      assert.equal(key, `CompareFlow/${runs.a}..${runs.b}`);
      const r = await drawn;
      assert.deepEqual(r.runs, [runs.a, runs.b]);
      assert.ok(r.changed >= 4, `alpha, settings, square, total and extra differ (drawn ${r.changed})`);
      const ack = await checkpoint("compare-light", runs);
      assert.ok(ack.ok, ack.detail);
    },
  ],
  [
    "the same comparison in a dark theme; Load changed values shows the value differences",
    async () => {
      await setColorTheme("Default Dark Modern");
      const loaded = nextRender();
      const ack = await checkpoint("compare-dark", runs);
      assert.ok(ack.ok, ack.detail);
      await loaded;
      const ack2 = await checkpoint("values-loaded", runs);
      assert.ok(ack2.ok, ack2.detail);
    },
  ],
  [
    "a changed code file opens in the diff editor",
    async () => {
      const opened = diffTab("compare_flow.py: run");
      const ack = await checkpoint("code-diff-click", runs);
      assert.ok(ack.ok, ack.detail);
      const label = await opened;
      assert.equal(label, `compare_flow.py: run ${runs.a} ↔ run ${runs.b}`);
      const ack2 = await checkpoint("code-diff", runs);
      assert.ok(ack2.ok, ack2.detail);
    },
  ],
];

export function run(): Promise<void> {
  return runCases(cases, "comparison");
}
