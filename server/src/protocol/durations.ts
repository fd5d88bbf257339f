// How long something took, as every surface writes it (log pane, notifications, the graph's step
// durations, the run timeline), and the spread of a step's task durations. Pure.

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** The spread of the durations of a step's tasks (a foreach's siblings). */
export interface DurationStats {
  count: number;
  minMs: number;
  medianMs: number;
  maxMs: number;
}

/** Min, median (the mean of the middle two for an even count) and max; undefined for no values. */
export function durationStats(values: readonly number[]): DurationStats | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { count: sorted.length, minMs: sorted[0]!, medianMs: median, maxMs: sorted[sorted.length - 1]! };
}

/** A task's start and end (epoch ms); an unfinished task has no end yet. */
export interface TimedSpan {
  start: number;
  end?: number;
}

/** A step's wall time (its first task's start to its last task's end, `now` for unfinished ones) and its tasks' spread. */
export interface StepDurations {
  wallMs: number;
  /** Over the finished tasks only; absent while none finished. */
  tasks?: DurationStats;
  /** Some task of the step has not finished: the wall time is still growing. */
  open: boolean;
}

export function stepDurations(spans: readonly TimedSpan[], now: number): StepDurations | undefined {
  if (spans.length === 0) return undefined;
  let first = Infinity;
  let last = -Infinity;
  let open = false;
  const finished: number[] = [];
  for (const s of spans) {
    first = Math.min(first, s.start);
    if (s.end === undefined) open = true;
    else finished.push(Math.max(0, s.end - s.start));
    last = Math.max(last, s.end ?? now);
  }
  const stats = durationStats(finished);
  return { wallMs: Math.max(0, last - first), open, ...(stats ? { tasks: stats } : {}) };
}

/** The step with the longest wall time (the first in order on a tie); undefined for none or only instant steps. */
export function slowestStep(durations: Readonly<Record<string, StepDurations | undefined>>): string | undefined {
  let best: string | undefined;
  let bestMs = 0;
  for (const [step, d] of Object.entries(durations)) {
    if (d && d.wallMs > bestMs) {
      best = step;
      bestMs = d.wallMs;
    }
  }
  return best;
}
