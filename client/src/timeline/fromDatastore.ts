// The timeline of a run read back from its datastore, for any run (finished, crashed, made by
// Metaflow). A run Flowlens made has a task index (runtime/src/timeline/taskIndex.ts): one file
// with every ended task's attempts, read at once. Tasks it does not stand for (all of them in a
// run without one) are read from their own files: the Runs view's model gives each task's state,
// foreach index and input (explorer/treeModel.ts); each attempt's start and end are the `time` of
// its `<attempt>.attempt.json` (written when it starts) and of its `DONE.lock` (written last).
// No `vscode` here: unit tests and the benchmark read real datastores.
import type { ExplorerModel, TaskItem, TaskItemStatus } from "../explorer/treeModel";
import type { RunSessionStatus, TaskState } from "../../../server/src/protocol/runStates";
import { isFinishedTaskState } from "../../../server/src/protocol/runStates";
import type { TimelineAttempt, TimelineMessage, TimelineTask } from "../../../server/src/protocol/timeline";
import { readTaskIndex } from "../../../runtime/src/timeline/taskIndex";

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

/** Whether every attempt of an indexed task ended: only then may a run's index that is not final stand for it. */
function ended(t: TimelineTask): boolean {
  const last = t.attempts.at(-1);
  return last !== undefined && last.end !== undefined && isFinishedTaskState(last.state);
}

/** An attempt the run retried was "retrying" when the index was written; in a stored run it failed, as its own files say. */
function asStored(t: TimelineTask): TimelineTask {
  if (t.attempts.length < 2) return t;
  return { ...t, attempts: t.attempts.map((a, i) => (i < t.attempts.length - 1 && a.state === "retrying" ? { ...a, state: "failed" } : a)) };
}

function keyOf(step: string, taskId: string): string {
  return `${step}/${taskId}`;
}

/** A stored run's timeline, and (when tasks came from the run's index, which has no inputs) a reader of their foreach inputs. */
export interface StoredTimeline {
  message: TimelineMessage;
  withInputs?: () => Promise<TimelineMessage>;
}

/**
 * The timeline of a stored run: the tasks the run's index (runtime/src/timeline/taskIndex.ts)
 * stands for come from that one file; every other task (all of them for a run without an index)
 * from its own files, `width` tasks at a time.
 */
export async function readStoredTimeline(model: ExplorerModel, flow: string, runId: string, now: number = Date.now()): Promise<StoredTimeline> {
  const run = await model.run(flow, runId);
  const runEnd = run.record?.finished_at !== undefined ? run.record.finished_at * 1000 : undefined;
  const steps = (await model.steps(flow, runId)).flatMap((s) => (s.kind === "step" && s.step !== "_parameters" ? [s.step] : []));
  const ds = model.ds(flow);
  const index = await readTaskIndex(ds, runId);
  const indexed = (index?.tasks ?? []).filter((t) => index?.final === true || ended(t)).map(asStored);
  const known = new Set(indexed.map((t) => keyOf(t.step, t.taskId)));
  const unread: { step: string; taskId: string }[] = [];
  if (index?.final !== true) {
    for (const step of steps) {
      const ids = await ds.listTasks(runId, step).catch(() => []);
      for (const taskId of ids) if (!known.has(keyOf(step, taskId))) unread.push({ step, taskId });
    }
  }
  const closeAt = runEnd ?? (run.status === "running" ? undefined : now);
  const read = await mapLimited(unread, 32, async ({ step, taskId }) => {
    const item = await model.task(flow, runId, step, taskId, run.status);
    const task: TimelineTask = { step, taskId, attempts: await attemptsOf(model, item, closeAt) };
    if (item.index !== undefined) task.index = item.index;
    if (item.input !== undefined) task.input = item.input;
    return { item, task };
  });
  // A run without a Flowlens record (made by Metaflow) or with a damaged one: its tasks say how it went.
  const status: RunSessionStatus = run.status !== "metaflow" && run.status !== "corrupt" ? run.status : read.some((r) => stateOfItem[r.item.status] === "failed") || indexed.some((t) => t.attempts.at(-1)?.state === "failed") ? "failed" : "succeeded";
  const message: TimelineMessage = { type: "timeline", flow, runId, status, steps, tasks: [...indexed, ...read.map((r) => r.task)], now };
  const needInputs = indexed.filter((t) => t.index !== undefined && t.input === undefined);
  if (needInputs.length === 0) return { message };
  return { message, withInputs: () => readInputs(model, message, needInputs) };
}

/** The foreach inputs of `tasks` (from their previews), into a copy of `message`. */
async function readInputs(model: ExplorerModel, message: TimelineMessage, tasks: TimelineTask[]): Promise<TimelineMessage> {
  const ds = model.ds(message.flow);
  const inputs = new Map<string, string>();
  await mapLimited(tasks, 32, async (t) => {
    const attempt = t.attempts.at(-1)?.attempt ?? 0;
    const previews = await ds.readPreviews(message.runId, t.step, t.taskId, attempt).catch(() => undefined);
    const input = previews?.input?.repr;
    if (input !== undefined) inputs.set(keyOf(t.step, t.taskId), input);
  });
  const withInput = (t: TimelineTask): TimelineTask => {
    const input = inputs.get(keyOf(t.step, t.taskId));
    return input === undefined ? t : { ...t, input };
  };
  return { ...message, tasks: message.tasks.map(withInput) };
}

/** The whole timeline of a stored run, foreach inputs included. */
export async function readTimeline(model: ExplorerModel, flow: string, runId: string, now: number = Date.now()): Promise<TimelineMessage> {
  const stored = await readStoredTimeline(model, flow, runId, now);
  return stored.withInputs ? stored.withInputs() : stored.message;
}
