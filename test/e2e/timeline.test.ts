// The run timeline and the graph's step durations in a real VS Code (code-server + headless
// Chromium). The extension-host cases (test/e2e/timeline-tests/index.ts) run a small foreach flow
// and pause at checkpoints; this side reads the graph's duration labels and slowest mark, clicks
// the graph's Timeline button, hovers a bar of the timeline for its tooltip, and writes
// screenshots into test-output/ (timeline-graph-durations.png, timeline-light.png,
// timeline-dark.png). Waits on file-system events and Playwright conditions, no sleeps.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Frame, Page } from "playwright-core";
import { missing, outputDir, skipIfMissing } from "./support/environment";
import { assertAllPassed, runPayloadSuite } from "./support/payloadSuite";
import { requireFrame } from "./support/webviewFrames";

const reason = missing({ chromium: true, codeServer: true, dist: ["dist/client.js", "dist/server.js", "dist/cli.js", "dist/webview.js", "dist/timeline.js"] });

const flow = `import time

from metaflow import FlowSpec, current, retry, step


class TimelineE2EFlow(FlowSpec):
    @step
    def start(self):
        self.items = [0, 1, 2, 3]
        self.next(self.work, foreach="items")

    @retry(times=1, minutes_between_retries=0)
    @step
    def work(self):
        time.sleep(1.5 if self.input == 0 else 0.3)
        if self.input == 1 and current.retry_count == 0:
            raise ConnectionError("busy, try again")
        self.out = self.input
        self.next(self.join)

    @step
    def join(self, inputs):
        self.total = sum(i.out for i in inputs)
        self.next(self.end)

    @step
    def end(self):
        print("total", self.total)


if __name__ == "__main__":
    TimelineE2EFlow()
`;

/** The first (nested) webview frame with a visible `selector`, re-checking whenever a frame navigates. */
function frameWith(page: Page, selector: string, ms = 20_000): Promise<Frame> {
  return requireFrame(page, { selector, visible: true }, selector, ms);
}

/** The graph's duration labels: every step has one, the foreach shows min/med/max, one node is the slowest. */
async function checkGraph(page: Page, data: { steps: string[]; spread: string }): Promise<{ ok: boolean; detail: string }> {
  const frame = await frameWith(page, "svg#graph .node");
  const problems: string[] = [];
  await frame
    .locator(`svg#graph .node[data-step="${data.spread}"] .run-duration .spread`)
    .waitFor({ state: "attached", timeout: 20_000 })
    .catch(() => problems.push(`no min/med/max under ${data.spread}`));
  const labels: Record<string, string> = {};
  for (const step of data.steps) {
    labels[step] = ((await frame.locator(`svg#graph .node[data-step="${step}"] .run-duration`).textContent({ timeout: 2_000 }).catch(() => null)) ?? "").trim();
    if (!/\d+(\.\d)? (ms|s)/.test(labels[step])) problems.push(`${step} shows no duration ("${labels[step]}")`);
  }
  if (!/min .* · med .* · max /.test(labels[data.spread] ?? "")) problems.push(`${data.spread}: "${labels[data.spread] ?? ""}" has no spread`);
  const slowest = await frame.locator("svg#graph .node.slowest").getAttribute("data-step", { timeout: 2_000 }).catch(() => null);
  if (slowest !== data.spread) problems.push(`the slowest step is ${slowest ?? "none"}, expected ${data.spread} (its first task sleeps 1.5 s)`);
  await page.screenshot({ path: join(outputDir, "timeline-graph-durations.png") });
  // The Timeline button switches to the run's timeline, in the graph's own editor group.
  await frame.locator('button[data-command="timeline"]').click();
  await frameWith(page, "canvas#timeline").catch((err: unknown) => problems.push(String(err)));
  return { ok: problems.length === 0, detail: `${JSON.stringify(labels)}, slowest ${slowest ?? "none"}${problems.length ? `; ${problems.join("; ")}` : ""}` };
}

/** Hovers along the first foreach task's row until the tooltip shows it; then a screenshot. */
async function checkTimeline(page: Page, name: string, runId: string): Promise<{ ok: boolean; detail: string }> {
  const frame = await frameWith(page, "canvas#timeline");
  await frame.locator("#status", { hasText: `run ${runId}: succeeded` }).waitFor({ timeout: 20_000 });
  const box = await frame.locator("canvas#timeline").boundingBox();
  if (!box) return { ok: false, detail: "the canvas has no box" };
  // Rows (view.ts: 24 px axis, 18 px rows, 170 px labels): [start] 1 [work] index0 ... The first
  // foreach task sleeps 1.5 s, its bar is the longest of its step: look for it along its row.
  const y = box.y + 24 + 3 * 18 + 9;
  const tip = frame.locator("#tip");
  let text = "";
  for (let f = 0.02; f < 1 && !text.includes("foreach index 0"); f += 0.02) {
    await page.mouse.move(box.x + 170 + (box.width - 178) * f, y);
    text = (await tip.isVisible()) ? ((await tip.textContent()) ?? "") : "";
  }
  await page.screenshot({ path: join(outputDir, `${name}.png`) });
  const ok = /^work\/\d+ — attempt 1 of 1\nsucceeded, [\d.]+ s\nforeach index 0\ninput: 0/.test(text);
  return { ok, detail: `tooltip: ${JSON.stringify(text)}` };
}

void test("run timeline and graph durations: a foreach run, the graph's labels and slowest step, the timeline tab live and stored, hover, light and dark", { timeout: 300_000 }, async (t) => {
  if (skipIfMissing(t, reason)) return;
  const run = await runPayloadSuite({
    cases: "timeline-tests",
    bundle: "e2e-timeline-tests",
    label: "timeline",
    what: "the timeline cases",
    timeoutMs: 260_000,
    viewport: { width: 1500, height: 950 },
    prepare: (dirs) => writeFileSync(join(dirs.workspace, "timeline_flow.py"), flow),
    answer: async (page, name, raw, report) => {
      const data = raw as { steps?: string[]; spread?: string; runId?: string };
      const ack = name === "graph-durations" ? await checkGraph(page, { steps: data.steps ?? [], spread: data.spread ?? "" }) : await checkTimeline(page, name, data.runId ?? "");
      report(`${name}: ${ack.ok ? "ok" : "FAILED"} ${ack.detail}`);
      return ack;
    },
  });
  assertAllPassed(run, 2);
});
