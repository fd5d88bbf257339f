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
  const marked = tasks.map((t) => [t, taskMark(t)] as const).filter((p): p is readonly [TaskView, SuccessMark] => p[1] !== undefined);
  const first = marked.find(([, m]) => m === "caught") ?? marked[0];
  if (!first) return {};
  const [task, mark] = first;
  const more = marked.filter(([, m]) => m === mark).length - 1;
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
