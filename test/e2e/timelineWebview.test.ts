// The run timeline's page in headless Chromium (its real HTML, CSP and bundle): a run's bars are
// drawn (only the rows on screen), hovering a bar shows its task, attempt, duration, foreach
// index and input, clicking it asks for that attempt's logs, the page refuses a malformed
// message, the page keeps its run as the webview's state (for the serializer that restores the tab
// after a window reload), and nothing breaks its Content Security Policy. Screenshots in light and dark themes.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { missing, outputDir, skipIfMissing } from "./support/environment";
import { syntheticRun, TimelinePage } from "./support/timelinePage";

const reason = missing({ chromium: true, dist: ["dist/timeline.js", "dist/media/timeline.css"] });

/** The canvas position of task row `row` (0-based among all rows) at the middle of its bar. */
async function barPoint(page: TimelinePage, row: number, fraction: number): Promise<{ x: number; y: number }> {
  const box = await page.page.locator("#timeline").boundingBox();
  if (!box) throw new Error("no canvas");
  // Layout constants of view.ts: a 24 px axis, 18 px rows, a 170 px label column, 8 px right margin.
  return { x: box.x + 170 + (box.width - 178) * fraction, y: box.y + 24 + row * 18 + 9 };
}

void test("timeline page: bars drawn and virtualised, its run kept as state, hover tooltip, click opens logs, CSP kept, light and dark", { timeout: 120_000 }, async (t) => {
  if (skipIfMissing(t, reason)) return;
  mkdirSync(outputDir, { recursive: true });
  for (const theme of ["light", "dark"] as const) {
    const page = await TimelinePage.open({ width: 1100, height: 640 }, theme);
    const violations: string[] = [];
    page.page.on("console", (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    try {
      // A one-task step and a foreach: rows are [start] 1 [work] 2 3 ...
      const run = { ...syntheticRun(400), status: "succeeded" as const };
      run.tasks = run.tasks.map((task) => ({ ...task, attempts: task.attempts.map((a) => (a.end === undefined ? { ...a, state: "succeeded" as const, end: a.start + 1000 } : a)) }));
      const first = run.tasks[1]!.attempts[0]!;
      // The first foreach task spans the whole run, so the hover and click below land on it.
      run.tasks[1] = { ...run.tasks[1]!, attempts: [{ ...first, start: run.tasks[0]!.attempts[0]!.start, end: run.now }] };
      const { drawn } = await page.send(run);
      assert.equal(drawn.rows, 2 + run.tasks.length, "a header per step and a row per task");
      assert.ok(drawn.drawnBars > 0 && drawn.drawnBars < 40, `only the rows on screen are drawn (${drawn.drawnBars} of ${drawn.bars})`);
      // The page keeps its run as the webview's state: after a window reload the host's serializer reopens that run.
      assert.deepEqual(await page.page.evaluate(() => (globalThis as unknown as { __state?: unknown }).__state), { flow: run.flow, runId: run.runId });
      const point = await barPoint(page, 3, 0.5);
      await page.page.mouse.move(point.x, point.y);
      const tip = page.page.locator("#tip");
      await tip.waitFor({ state: "visible", timeout: 5_000 });
      const text = (await tip.textContent()) ?? "";
      assert.match(text, /^work\/2 — attempt 1 of 1\nsucceeded, 10 min 0 s\nforeach index 0\ninput: 'item-0'/, text);
      await page.page.screenshot({ path: join(outputDir, `timeline-page-${theme}.png`) });
      await page.page.mouse.click(point.x, point.y);
      const posted = await page.posted();
      assert.deepEqual(posted.filter((m) => m.type === "openLogs"), [{ type: "openLogs", step: "work", taskId: "2", attempt: 0 }]);
      await page.page.evaluate(() => (globalThis as unknown as { postMessage(m: unknown, o: string): void }).postMessage({ type: "timeline", flow: 3 }, "*"));
      await page.page.waitForFunction(() => (globalThis as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === "error"));
      assert.deepEqual(violations, []);
    } finally {
      await page.close();
    }
  }
});
