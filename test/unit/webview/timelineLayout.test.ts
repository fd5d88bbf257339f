// The run timeline's pure geometry (webview/src/timeline/layout.ts): rows grouped by step in flow
// order, the window of rows on screen (virtualisation), bar culling and colours, hit testing,
// zoom and pan limits, and its messages' checks.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { TimelineMessage, TimelineTask } from "../../../server/src/protocol/timeline";
import { isTimelineHostToWebview, isTimelineWebviewToHost } from "../../../server/src/protocol/timeline";
import { barsOfRow, barTone, clampScroll, describeBar, hitTest, layoutTimeline, panView, tickStep, visibleRows, zoomView } from "../../../webview/src/timeline/layout";

function task(step: string, taskId: string, spans: [number, number | undefined][], extra: Partial<TimelineTask> = {}): TimelineTask {
  return { step, taskId, attempts: spans.map(([start, end], attempt) => ({ attempt, state: end === undefined ? "running" : "succeeded", start, ...(end !== undefined ? { end } : {}) })), ...extra };
}

function message(tasks: TimelineTask[], steps = ["start", "work", "end"], now = 1000): TimelineMessage {
  return { type: "timeline", flow: "F", runId: "1", status: "running", steps, tasks, now };
}

void test("rows: a header per step in flow order, then its tasks by foreach index; unknown steps after; _parameters left out", () => {
  const m = message([
    task("end", "9", [[800, 900]]),
    task("work", "4", [[200, 500]], { index: 2 }),
    task("work", "3", [[210, 300]], { index: 0 }),
    task("start", "1", [[100, 150]]),
    task("extra", "7", [[150, 160]]),
    task("_parameters", "0", [[0, 10]]),
    task("work", "5", [[220, 700]], { index: 1 }),
  ]);
  const l = layoutTimeline(m);
  const names = l.rows.map((r) => (r.kind === "step" ? `[${r.step} ${r.tasks} ${r.wallMs}]` : `${r.task.taskId}`));
  assert.deepEqual(names, ["[start 1 50]", "1", "[work 3 500]", "3", "5", "4", "[end 1 100]", "9", "[extra 1 10]", "7"]);
  assert.equal(l.t0, 100);
  assert.equal(l.t1, 900);
  assert.equal(l.bars, 6);
});

void test("a running attempt reaches `now`; an empty run has a 1 ms range at now", () => {
  assert.equal(layoutTimeline(message([task("start", "1", [[100, undefined]])], ["start"], 5000)).t1, 5000);
  const empty = layoutTimeline(message([], ["start"], 42));
  assert.deepEqual([empty.rows.length, empty.t0, empty.t1], [0, 42, 43]);
});

void test("virtualisation: only the rows inside the viewport are drawn, at any scroll of 10,000 rows", () => {
  assert.deepEqual(visibleRows(0, 540, 18, 10_000), { first: 0, end: 30 });
  assert.deepEqual(visibleRows(18 * 5000 + 9, 540, 18, 10_000), { first: 5000, end: 5031 });
  assert.deepEqual(visibleRows(18 * 9990, 540, 18, 10_000), { first: 9990, end: 10_000 });
  assert.deepEqual(visibleRows(0, 540, 18, 3), { first: 0, end: 3 });
  assert.equal(clampScroll(1e9, 540, 18, 10_000), 18 * 10_000 - 540);
  assert.equal(clampScroll(-50, 540, 18, 10_000), 0);
  assert.equal(clampScroll(100, 540, 18, 3), 0, "rows that fit do not scroll");
});

void test("bars outside the time on screen are culled; a 1 ms task is still 2 px wide; positions scale with the view", () => {
  const t = task("work", "2", [[0, 100], [200, 201], [900, 1000]]);
  const bars = barsOfRow(t, { start: 150, end: 650 }, 500, 2000);
  assert.equal(bars.length, 1);
  assert.equal(bars[0]!.attempt.attempt, 1);
  assert.equal(bars[0]!.x0, 50);
  assert.equal(bars[0]!.x1, 52);
  assert.equal(barsOfRow(t, { start: 0, end: 1000 }, 1000, 2000).length, 3);
});

void test("colours: an attempt that was retried, a success through @catch, and the tones of runStates", () => {
  const t: TimelineTask = {
    step: "w",
    taskId: "1",
    attempts: [
      { attempt: 0, state: "retrying", start: 0, end: 10 },
      { attempt: 1, state: "succeeded", start: 10, end: 20 },
    ],
  };
  assert.equal(barTone(t, t.attempts[0]!), "retried");
  assert.equal(barTone(t, t.attempts[1]!), "ok");
  const caught: TimelineTask = { step: "r", taskId: "2", attempts: [{ attempt: 0, state: "succeeded", start: 0, end: 5, caught: true, reason: "@catch caught ZeroDivisionError" }] };
  assert.equal(barTone(caught, caught.attempts[0]!), "caught");
  const failed: TimelineTask = { step: "r", taskId: "3", attempts: [{ attempt: 0, state: "failed", start: 0, end: 5 }] };
  assert.equal(barTone(failed, failed.attempts[0]!), "error");
  const stopped: TimelineTask = { step: "r", taskId: "4", attempts: [{ attempt: 0, state: "cancelled", start: 0, end: 5 }] };
  assert.equal(barTone(stopped, stopped.attempts[0]!), "stopped");
  assert.equal(barTone(task("r", "5", [[0, undefined]]), task("r", "5", [[0, undefined]]).attempts[0]!), "busy");
});

void test("hit testing finds the bar under the pointer (with slack) in the scrolled rows, and nothing on a header", () => {
  const l = layoutTimeline(message([task("start", "1", [[0, 100]]), task("work", "2", [[100, 200]], { index: 0 }), task("work", "3", [[100, 400]], { index: 1 })]));
  const view = { start: 0, end: 1000 };
  // Rows: [start] 1 [work] 2 3; scrolled down one row, y = 3 * 18 + 5 is row 4: task 3.
  const hit = hitTest(l, 300, 3 * 18 + 5, 18, 18, view, 1000, 1000);
  assert.equal(hit?.task.taskId, "3");
  assert.equal(hitTest(l, 402, 3 * 18 + 5, 18, 18, view, 1000, 1000)?.task.taskId, "3", "3 px of slack");
  assert.equal(hitTest(l, 600, 3 * 18 + 5, 18, 18, view, 1000, 1000), undefined);
  assert.equal(hitTest(l, 50, 5, 0, 18, view, 1000, 1000), undefined, "a step header");
});

void test("zoom keeps the time under the pointer and stays inside the run; pan stops at its ends", () => {
  const bounds = { t0: 0, t1: 1000 };
  const z = zoomView({ start: 0, end: 1000 }, 250, 0.5, bounds);
  assert.deepEqual(z, { start: 125, end: 625 });
  assert.deepEqual(zoomView(z, 250, 10, bounds), { start: 0, end: 1000 }, "never wider than the run");
  assert.deepEqual(panView(z, 10_000, bounds), { start: 500, end: 1000 });
  assert.deepEqual(panView(z, -10_000, bounds), { start: 0, end: 500 });
  assert.equal(zoomView({ start: 0, end: 1000 }, 0, 1e-9, bounds).end, 1, "at least 1 ms wide");
});

void test("axis ticks are 1, 2 or 5 times a power of ten, at least 90 px apart", () => {
  assert.equal(tickStep({ start: 0, end: 10_000 }, 1000), 1000);
  assert.equal(tickStep({ start: 0, end: 3_000 }, 1000), 500);
  assert.equal(tickStep({ start: 0, end: 60_000 }, 500), 20_000);
});

void test("a bar's tooltip says task, attempt, state, duration, foreach index, input and reason", () => {
  const t: TimelineTask = { step: "work", taskId: "5", index: 3, input: "'b'", attempts: [{ attempt: 0, state: "retrying", start: 0, end: 1500, reason: "ConnectionError: busy" }, { attempt: 1, state: "running", start: 1500 }] };
  assert.deepEqual(describeBar(t, t.attempts[0]!, "retried", 4000), ["work/5 — attempt 1 of 2", "retrying, retried, 1.5 s", "foreach index 3", "input: 'b'", "ConnectionError: busy", "click: open its logs"]);
  assert.equal(describeBar(t, t.attempts[1]!, "busy", 4000)[1], "running, running for 2.5 s");
});

void test("timeline messages are checked on arrival", () => {
  const m = message([task("start", "1", [[0, 10]], { index: 0, input: "1" })]);
  assert.equal(isTimelineHostToWebview(m), true);
  assert.equal(isTimelineHostToWebview({ ...m, status: "exploded" }), false);
  assert.equal(isTimelineHostToWebview({ ...m, tasks: [{ step: "s", taskId: "1", attempts: [{ attempt: 0, state: "succeeded", start: "0" }] }] }), false);
  assert.equal(isTimelineWebviewToHost({ type: "openLogs", step: "s", taskId: "1", attempt: 0 }), true);
  assert.equal(isTimelineWebviewToHost({ type: "openLogs", step: "s", taskId: 1, attempt: 0 }), false);
  assert.equal(isTimelineWebviewToHost({ type: "drawn", runId: "1", rows: 3, bars: 2, drawnBars: 2, ms: 1.5 }), true);
  assert.equal(isTimelineWebviewToHost({ type: "showGraph" }), true);
  assert.equal(isTimelineWebviewToHost({ type: "nope" }), false);
});
