// Editor runs end to end in a real VS Code (code-server + headless Chromium): the extension under
// development is this repository (dist/), the extension-host cases are test/e2e/runs-tests/index.ts.
// At each checkpoint the cases pause; this side reads the graph webview's DOM (the node's run
// state class), tries the traceback link in the log pane, takes a screenshot into test-output/,
// and answers with `ack-<name>`. Waits on file-system events and Playwright conditions, no sleeps.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Frame, Page } from "playwright-core";
import { missing, outputDir, skipIfMissing } from "./support/environment";
import { assertAllPassed, runPayloadSuite } from "./support/payloadSuite";
import { findFrame, requireFrame } from "./support/webviewFrames";

const reason = missing({ chromium: true, codeServer: true, dist: ["dist/client.js", "dist/server.js", "dist/cli.js", "dist/webview.js", "dist/python/flowlens/_preview_artifact.py"] });

function labFlow(workspace: string): string {
  return `import os
import time

import numpy as np
from metaflow import FlowSpec, Parameter, step


class EditorLabFlow(FlowSpec):
    size = Parameter("size", type=int, default=5, help="rows of the matrix")

    @step
    def start(self):
        self.matrix = np.arange(self.size * 3).reshape(self.size, 3)
        print("start made", self.matrix.shape)
        self.next(self.train)

    @step
    def train(self):
        if os.path.exists(${JSON.stringify(join(workspace, "SLOW_TRAIN"))}):
            time.sleep(120)
        if os.path.exists(${JSON.stringify(join(workspace, "FAIL_TRAIN"))}):
            raise RuntimeError("train was told to fail")
        self.score = float(self.matrix.sum())
        print("train score", self.score)
        self.next(self.end)

    @step
    def end(self):
        print("done")


if __name__ == "__main__":
    EditorLabFlow()
`;
}

/** The graph panel's inner frame: the webview document that has the graph's SVG. */
function graphFrame(page: Page): Promise<Frame> {
  return requireFrame(page, { selector: "svg#graph" }, "the graph");
}

/** A page expression (the test's tsconfig has no DOM types): each step's `run-*` class, as JSON. */
function marksExpression(steps: string[]): string {
  return `JSON.stringify(Object.fromEntries(${JSON.stringify(steps)}.map((name) => {
    const node = document.querySelector('svg#graph .node[data-step="' + name + '"]');
    return [name, node ? ([...node.classList].find((c) => c.startsWith("run-")) || "none") : "missing"];
  })))`;
}

/**
 * Waits until the nodes show the run states: one Playwright locator wait per step (the selector
 * engine re-checks on DOM changes), then one read of all the marks together. Not
 * `waitForFunction`: it evaluates its predicate with `eval`, which the graph's Content Security
 * Policy refuses (an EvalError, not a timeout, that made this check fail at once on some runs).
 */
async function waitForMarks(page: Page, expect: Record<string, string>): Promise<{ ok: boolean; marks: Record<string, string>; error?: string }> {
  const frame = await graphFrame(page);
  const deadline = Date.now() + 20_000;
  let error: string | undefined;
  try {
    for (const [step, state] of Object.entries(expect)) {
      await frame.locator(`svg#graph .node[data-step="${step}"].run-${state}`).waitFor({ state: "attached", timeout: Math.max(1, deadline - Date.now()) });
    }
  } catch (err) {
    error = (err instanceof Error ? err.message : String(err)).split("\n")[0];
  }
  const marks = JSON.parse(String(await frame.evaluate(marksExpression(Object.keys(expect))))) as Record<string, string>;
  const ok = Object.entries(expect).every(([step, state]) => marks[step] === `run-${state}`);
  return { ok, marks, ...(error ? { error } : {}) };
}

/** Waits until some (nested) webview frame has `selector`, re-checking whenever a frame navigates. */
async function frameWith(page: Page, selector: string, ms = 20_000): Promise<boolean> {
  return (await findFrame(page, { selector }, ms)) !== undefined;
}

interface ParamsCheckpoint {
  help?: string;
  initial: string;
  bad?: string;
  good?: string;
}

/** The parameters form in the quick input: checks prefill, help and validation, then answers (or Escapes). */
async function answerParameterForm(page: Page, name: string, p: ParamsCheckpoint): Promise<{ ok: boolean; detail: string }> {
  const widget = page.locator(".quick-input-widget");
  const input = widget.locator(".quick-input-box input").first();
  await input.waitFor({ state: "visible", timeout: 20_000 });
  const value = await input.inputValue();
  const text = (await widget.textContent()) ?? "";
  const problems: string[] = [];
  if (value !== p.initial) problems.push(`prefilled "${value}", expected "${p.initial}"`);
  if (p.help && !text.includes(p.help)) problems.push(`the help "${p.help}" is not shown: ${text.slice(0, 200)}`);
  if (!p.good) {
    await page.screenshot({ path: join(outputDir, `runs-${name}.png`) });
    await page.keyboard.press("Escape");
    return { ok: problems.length === 0, detail: problems.join("; ") || `prefilled "${value}"` };
  }
  if (p.bad) {
    await input.fill(p.bad);
    const warned = await widget
      .getByText(/expected an integer/)
      .first()
      .waitFor({ state: "visible", timeout: 10_000 })
      .then(() => true)
      .catch(() => false);
    if (!warned) problems.push(`no validation message for "${p.bad}"`);
    await page.screenshot({ path: join(outputDir, `runs-${name}-invalid.png`) });
  }
  await input.fill(p.good);
  await page.keyboard.press("Enter");
  return { ok: problems.length === 0, detail: problems.join("; ") || `prefilled "${value}", help shown, "${p.bad ?? ""}" refused, "${p.good}" accepted` };
}

/** Ctrl+click on `File "<file>", line N` in the terminal (xterm's DOM renderer), if it is on screen. */
async function clickTraceback(page: Page, file: string, line: number): Promise<{ clicked: boolean; detail: string }> {
  const text = `File "${file}", line ${line}`;
  const row = page.locator(".xterm-rows > div", { hasText: `line ${line}` }).filter({ hasText: "File" }).last();
  if ((await row.count()) === 0) return { clicked: false, detail: `no terminal row shows ${text} (the terminal may use a canvas renderer)` };
  const box = await row.boundingBox();
  if (!box) return { clicked: false, detail: "the row has no box" };
  const rowText = (await row.textContent()) ?? "";
  const at = rowText.indexOf("File");
  const charWidth = box.width / Math.max(1, rowText.length);
  const x = box.x + (at + 3) * charWidth;
  const y = box.y + box.height / 2;
  // VS Code resolves terminal links on hover: wait for its "Open …" hover before the Ctrl+click.
  const hover = page.getByText(`Open ${file}:${line}`).first();
  let hovered = false;
  for (const dx of [0, 2, -2, 6]) {
    await page.mouse.move(x + dx * charWidth, y);
    hovered = await hover
      .waitFor({ state: "visible", timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    if (hovered) break;
  }
  await page.keyboard.down("Control");
  await page.mouse.click(x, y);
  await page.keyboard.up("Control");
  // The link's own text, not the row's start: a long path would cut the line number off.
  const clicked = rowText.slice(at).trim().slice(0, 160);
  if (!hovered) return { clicked: true, detail: `clicked "${clicked}" without seeing the link's hover` };
  return { clicked: true, detail: `clicked "${clicked}"` };
}

void test("editor runs: Run flow, Run step, graph marks, explorer, preview, failing step + traceback + Resume, Stop", { timeout: 420_000 }, async (t) => {
  if (skipIfMissing(t, reason)) return;
  const run = await runPayloadSuite({
    cases: "runs-tests",
    bundle: "e2e-runs-tests",
    label: "runs",
    what: "the editor-run cases",
    timeoutMs: 380_000,
    viewport: { width: 1500, height: 950 },
    prepare: (dirs) => {
      writeFileSync(join(dirs.workspace, "lab_flow.py"), labFlow(dirs.workspace));
      // xterm's DOM renderer (no GPU canvas) puts the log pane's text in the DOM, so the traceback link can be clicked.
      const settingsFile = join(dirs.userData, "User", "settings.json");
      writeFileSync(settingsFile, JSON.stringify({ ...(JSON.parse(readFileSync(settingsFile, "utf8")) as object), "terminal.integrated.gpuAcceleration": "off" }, null, 2));
    },
    answer: async (page, name, raw, report) => {
      const data = raw as { expect?: Record<string, string>; file?: string; line?: number; shape?: string; initial?: string; treeRow?: string; treeText?: string };
      let ack: { ok: boolean; detail?: string; clicked?: boolean } = { ok: true };
      if (data.expect) {
        const r = await waitForMarks(page, data.expect);
        const why = r.error ? ` (${r.error})` : "";
        ack = { ok: r.ok, detail: `graph marks ${JSON.stringify(r.marks)}${why}` };
        report(`${name}: graph ${JSON.stringify(r.marks)}${why}`);
      }
      if (name === "params-form" || name === "params-remembered") ack = await answerParameterForm(page, name, data as ParamsCheckpoint);
      if (data.treeRow) {
        // The Runs view updates on its own (run events, file watcher): wait for the row, no refresh command.
        const row = page.locator(".monaco-list-row", { hasText: data.treeRow }).filter({ hasText: data.treeText ?? "" }).first();
        const shown = await row
          .waitFor({ state: "visible", timeout: 15_000 })
          .then(() => true)
          .catch(() => false);
        ack = { ok: ack.ok && shown, detail: `${ack.detail ?? ""}${shown ? "" : `; the Runs view shows no row "${data.treeRow} … ${data.treeText ?? ""}"`}` };
        report(`${name}: Runs view row "${data.treeRow}" ${shown ? "shown" : "missing"}`);
      }
      if (name === "preview") {
        const found = await frameWith(page, `[data-shape="${data.shape ?? ""}"]`);
        ack = { ok: found, detail: found ? "preview shows the shape" : `no webview shows data-shape=${data.shape ?? ""}` };
        report(`preview: ${ack.detail ?? ""}`);
      }
      await page.screenshot({ path: join(outputDir, `runs-${name}.png`) });
      if (name === "step-failed" && data.file && data.line) {
        const click = await clickTraceback(page, data.file, data.line);
        ack = { ...ack, clicked: click.clicked, detail: `${ack.detail ?? ""}; ${click.detail}` };
        report(`traceback: ${click.detail}`);
      }
      return ack;
    },
  });
  assertAllPassed(run, 9);
});
