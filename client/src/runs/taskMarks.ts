// Retried and caught successes in a live run: which tasks carry a mark, a step's mark for its
// graph node, and the words of the status bar. Pure (no `vscode`); the vocabulary is runStates.ts's.
import { describeMark, describeMarkCounts, successMark, type MarkCounts, type SuccessMark } from "../../../server/src/protocol/runStates";
import type { TaskView } from "./runSession";

/** The mark of one task: only a succeeded task has one. */
export function taskMark(t: TaskView): SuccessMark | undefined {
  return t.state === "succeeded" ? successMark(t.ref.attempt, t.caught !== undefined) : undefined;
}

function detailOf(t: TaskView, mark: SuccessMark): string {
  return describeMark(mark, { attempt: t.ref.attempt, ...(t.caught ? { caught: t.caught.headline } : {}) });
}

/** A succeeded step's mark: `caught` when any task's @catch swallowed an exception, else `retried`. */
export function stepMark(tasks: readonly TaskView[]): { mark?: SuccessMark; markDetail?: string } {
  // One pass without allocations: a foreach step's marks are recomputed on every tick of a live run.
  let first: { task: TaskView; mark: SuccessMark } | undefined;
  let firstCaught: TaskView | undefined;
  const counts: MarkCounts = { retried: 0, caught: 0 };
  for (const t of tasks) {
    const m = taskMark(t);
    if (!m) continue;
    counts[m] += 1;
    first ??= { task: t, mark: m };
    if (m === "caught") firstCaught ??= t;
  }
  const chosen = firstCaught ? { task: firstCaught, mark: "caught" as const } : first;
  if (!chosen) return {};
  const { task, mark } = chosen;
  const more = counts[mark] - 1;
  return { mark, markDetail: `${detailOf(task, mark)}${more > 0 ? ` (and ${more} more task${more === 1 ? "" : "s"})` : ""}` };
}

/** "1 after retry, 1 caught an exception" for a run's tasks (empty when none is marked). */
export function describeTaskMarks(tasks: readonly TaskView[]): string {
  const counts: MarkCounts = { retried: 0, caught: 0 };
  for (const t of tasks) {
    if (t.ref.step === "_parameters") continue;
    const m = taskMark(t);
    if (m) counts[m] += 1;
  }
  return describeMarkCounts(counts);
}
