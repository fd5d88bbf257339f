// The timeline of a run read back from its datastore, for any run (finished, crashed, made by
// Metaflow): the Runs view's model gives the steps in flow order and each task's state, foreach
// index and input (explorer/treeModel.ts); each attempt's start and end are the `time` of its
// `<attempt>.attempt.json` (written when it starts) and of its `DONE.lock` (written last).
// No `vscode` here: unit tests and the benchmark read real datastores.
import type { ExplorerModel, TaskItem, TaskItemStatus } from "../explorer/treeModel";
import type { RunSessionStatus, TaskState } from "../../../server/src/protocol/runStates";
import type { TimelineAttempt, TimelineMessage, TimelineTask } from "../../../server/src/protocol/timeline";

/** How a stored task's state reads on the timeline: an attempt cut off (incomplete, damaged) reads as failed. */
const stateOfItem: Record<TaskItemStatus, TaskState> = {
  succeeded: "succeeded",
  failed: "failed",
  running: "running",
  cancelled: "cancelled",
  incomplete: "failed",
  corrupt: "failed",
};

async function timeOf(model: ExplorerModel, flow: string, key: string): Promise<number | undefined> {
  try {
    const t = await model.ds(flow).readJson<{ time?: unknown }>(key);
    return typeof t?.time === "number" ? t.time * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** A task's attempts with their times; an attempt with no end gets the next attempt's start, else `runEnd` (a finished run), else none (still running). */
async function attemptsOf(model: ExplorerModel, item: TaskItem, runEnd: number | undefined): Promise<TimelineAttempt[]> {
  const ds = model.ds(item.flow);
  const prefix = ds.taskPrefix(item.runId, item.step, item.taskId);
  const listed = await ds.listAttempts(item.runId, item.step, item.taskId);
  const out: TimelineAttempt[] = [];
  for (const [i, a] of listed.entries()) {
    const start = await timeOf(model, item.flow, `${prefix}${a.attempt}.attempt.json`);
    if (start === undefined) continue;
    const end = a.done ? await timeOf(model, item.flow, `${prefix}${a.attempt}.DONE.lock`) : undefined;
    const last = i === listed.length - 1;
    // An attempt before the last one was retried: it failed.
    const state: TaskState = last ? stateOfItem[item.status] : "failed";
    const attempt: TimelineAttempt = { attempt: a.attempt, state, start };
    const nextStart = last ? undefined : await timeOf(model, item.flow, `${prefix}${listed[i + 1]!.attempt}.attempt.json`);
    const closed = end ?? nextStart ?? (state === "running" ? undefined : runEnd);
    if (closed !== undefined) attempt.end = Math.max(start, closed);
    if (item.problem && last) attempt.reason = item.problem;
    // The stored outcome (explorer/taskOutcome.ts): a success whose exception @catch swallowed.
    if (last && item.caught && state === "succeeded") {
      attempt.caught = true;
      attempt.reason = `@catch caught ${item.caught.headline}`;
    }
    out.push(attempt);
  }
  return out;
}

/** Reads tasks `width` at a time: a 10,000-task run must not open 10,000 files at once. */
async function mapLimited<T, R>(items: T[], width: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}

export async function readTimeline(model: ExplorerModel, flow: string, runId: string, now: number = Date.now()): Promise<TimelineMessage> {
  const run = await model.run(flow, runId);
  const runEnd = run.record?.finished_at !== undefined ? run.record.finished_at * 1000 : undefined;
  const steps = (await model.steps(flow, runId)).flatMap((s) => (s.kind === "step" && s.step !== "_parameters" ? [s.step] : []));
  const items: TaskItem[] = [];
  for (const step of steps) {
    for (const t of await model.tasks(flow, runId, step, run.status)) if (t.kind === "task") items.push(t);
  }
  const tasks = await mapLimited(items, 32, async (item): Promise<TimelineTask> => {
    const task: TimelineTask = { step: item.step, taskId: item.taskId, attempts: await attemptsOf(model, item, runEnd ?? (run.status === "running" ? undefined : now)) };
    if (item.index !== undefined) task.index = item.index;
    if (item.input !== undefined) task.input = item.input;
    return task;
  });
  // A run without a Flowlens record (made by Metaflow) or with a damaged one: its tasks say how it went.
  const status: RunSessionStatus = run.status !== "metaflow" && run.status !== "corrupt" ? run.status : items.some((t) => stateOfItem[t.status] === "failed") ? "failed" : "succeeded";
  return { type: "timeline", flow, runId, status, steps, tasks, now };
}
