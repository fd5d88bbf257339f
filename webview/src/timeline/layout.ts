// The run timeline's geometry, pure (no DOM): rows (a header per step in flow order, then one row
// per task), the time range, the window of rows and bars that are on screen, hit testing and the
// words of a bar's tooltip. The canvas view (view.ts) draws only what `visibleRows` and
// `barsOfRow` return, so a 10,000-task run costs what its ~50 visible rows cost.
import { formatMs } from "../../../server/src/protocol/durations";
import { describeState, stateTone } from "../../../server/src/protocol/runStates";
import type { TimelineAttempt, TimelineMessage, TimelineTask } from "../../../server/src/protocol/timeline";

export type Row = { kind: "step"; step: string; tasks: number; wallMs: number } | { kind: "task"; task: TimelineTask };

export interface TimelineLayout {
  rows: Row[];
  /** Earliest start and latest end (or `now` for running attempts), epoch ms. */
  t0: number;
  t1: number;
  bars: number;
}

/** The time range on screen, epoch ms. */
export interface TimeView {
  start: number;
  end: number;
}

/** How a bar is coloured: the state's tone (runStates.ts), or an attempt that was retried, or a success only because `@catch` swallowed an exception. */
export type BarTone = "ok" | "error" | "stopped" | "busy" | "idle" | "retried" | "caught";

/** Task order inside a step: by foreach index, then by when they started, then by id. */
function compareTasks(a: TimelineTask, b: TimelineTask): number {
  const ia = a.index ?? Number.MAX_SAFE_INTEGER;
  const ib = b.index ?? Number.MAX_SAFE_INTEGER;
  if (ia !== ib) return ia - ib;
  const sa = a.attempts[0]?.start ?? 0;
  const sb = b.attempts[0]?.start ?? 0;
  if (sa !== sb) return sa - sb;
  return Number(a.taskId) - Number(b.taskId) || (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0);
}

export function attemptEnd(a: TimelineAttempt, now: number): number {
  return a.end ?? Math.max(a.start, now);
}

export function layoutTimeline(m: TimelineMessage): TimelineLayout {
  const byStep = new Map<string, TimelineTask[]>();
  for (const step of m.steps) byStep.set(step, []);
  let t0 = Infinity;
  let t1 = -Infinity;
  let bars = 0;
  for (const task of m.tasks) {
    if (task.step === "_parameters") continue;
    let list = byStep.get(task.step);
    if (!list) byStep.set(task.step, (list = []));
    list.push(task);
    for (const a of task.attempts) {
      t0 = Math.min(t0, a.start);
      t1 = Math.max(t1, attemptEnd(a, m.now));
      bars++;
    }
  }
  const rows: Row[] = [];
  for (const [step, tasks] of byStep) {
    if (tasks.length === 0) continue;
    tasks.sort(compareTasks);
    let first = Infinity;
    let last = -Infinity;
    for (const t of tasks) {
      for (const a of t.attempts) {
        first = Math.min(first, a.start);
        last = Math.max(last, attemptEnd(a, m.now));
      }
    }
    rows.push({ kind: "step", step, tasks: tasks.length, wallMs: Number.isFinite(first) ? last - first : 0 });
    for (const task of tasks) rows.push({ kind: "task", task });
  }
  if (!Number.isFinite(t0)) t0 = t1 = m.now;
  return { rows, t0, t1: Math.max(t1, t0 + 1), bars };
}

/** The rows a viewport of `height` pixels scrolled by `scrollTop` shows: [first, end). */
export function visibleRows(scrollTop: number, height: number, rowHeight: number, rowCount: number): { first: number; end: number } {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight));
  const end = Math.min(rowCount, Math.ceil((scrollTop + height) / rowHeight));
  return { first: Math.min(first, rowCount), end: Math.max(end, first) };
}

export function clampScroll(scrollTop: number, height: number, rowHeight: number, rowCount: number): number {
  return Math.max(0, Math.min(scrollTop, rowCount * rowHeight - height));
}

export interface PlacedBar {
  attempt: TimelineAttempt;
  tone: BarTone;
  x0: number;
  x1: number;
}

export function xOf(t: number, view: TimeView, width: number): number {
  return ((t - view.start) / Math.max(1, view.end - view.start)) * width;
}

export function barTone(task: TimelineTask, a: TimelineAttempt): BarTone {
  const last = task.attempts[task.attempts.length - 1];
  if (last && a !== last && a.attempt < last.attempt) return "retried";
  if (a.caught) return "caught";
  // An attempt's own state is never a success mark, so "warn" (the marks' tone) does not occur here.
  const tone = stateTone(a.state);
  return tone === "warn" ? "retried" : tone;
}

/** The bars of a task row that overlap the time on screen, in pixels of a `width`-wide plot; at least 2 px wide so a 1 ms task shows. */
export function barsOfRow(task: TimelineTask, view: TimeView, width: number, now: number): PlacedBar[] {
  const out: PlacedBar[] = [];
  for (const a of task.attempts) {
    const end = attemptEnd(a, now);
    if (end < view.start || a.start > view.end) continue;
    const x0 = Math.max(-1, xOf(a.start, view, width));
    const x1 = Math.min(width + 1, Math.max(xOf(end, view, width), x0 + 2));
    out.push({ attempt: a, tone: barTone(task, a), x0, x1 });
  }
  return out;
}

/** The bar under a point of the plot (x from the plot's left, y from the rows' top), with 3 px of slack. */
export function hitTest(layout: TimelineLayout, x: number, y: number, scrollTop: number, rowHeight: number, view: TimeView, width: number, now: number): { task: TimelineTask; bar: PlacedBar } | undefined {
  const row = layout.rows[Math.floor((y + scrollTop) / rowHeight)];
  if (!row || row.kind !== "task") return undefined;
  const bars = barsOfRow(row.task, view, width, now);
  const bar = bars.find((b) => x >= b.x0 - 3 && x <= b.x1 + 3);
  return bar ? { task: row.task, bar } : undefined;
}

/** Zooms the time range by `factor` (< 1 zooms in) around the time `anchor`, kept inside [t0, t1] and at least 1 ms wide. */
export function zoomView(view: TimeView, anchor: number, factor: number, layout: Pick<TimelineLayout, "t0" | "t1">): TimeView {
  const span = Math.min(layout.t1 - layout.t0, Math.max(1, (view.end - view.start) * factor));
  const ratio = (anchor - view.start) / Math.max(1, view.end - view.start);
  return panView({ start: anchor - ratio * span, end: anchor - ratio * span + span }, 0, layout);
}

/** Moves the time range by `deltaMs`, kept inside [t0, t1]. */
export function panView(view: TimeView, deltaMs: number, layout: Pick<TimelineLayout, "t0" | "t1">): TimeView {
  const span = view.end - view.start;
  const start = Math.max(layout.t0, Math.min(view.start + deltaMs, layout.t1 - span));
  return { start, end: start + span };
}

/** Tick spacing for the axis: 1, 2 or 5 times a power of ten ms, so ticks are at least `minPx` apart. */
export function tickStep(view: TimeView, width: number, minPx = 90): number {
  const msPerPx = (view.end - view.start) / Math.max(1, width);
  const raw = msPerPx * minPx;
  const pow = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-3)));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

/** The tooltip of a bar: which task, its attempt, state, duration, foreach index and input. */
export function describeBar(task: TimelineTask, a: TimelineAttempt, tone: BarTone, now: number): string[] {
  const state = tone === "retried" ? `${describeState(a.state)}, retried` : tone === "caught" ? `${describeState(a.state)} (@catch caught an exception)` : describeState(a.state);
  const lines = [`${task.step}/${task.taskId} — attempt ${a.attempt + 1} of ${task.attempts.length}`, `${state}, ${a.end === undefined ? "running for " : ""}${formatMs(attemptEnd(a, now) - a.start)}`];
  if (task.index !== undefined) lines.push(`foreach index ${task.index}`);
  if (task.input !== undefined) lines.push(`input: ${task.input}`);
  if (a.reason) lines.push(a.reason);
  lines.push("click: open its logs");
  return lines;
}
