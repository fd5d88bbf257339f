// The `task-state` event the scheduler emits for a task, and the facts a failed attempt adds to it.

import type { TaskFailure } from "../executors/types";
import type { TaskRef, TaskState, TaskStateEvent } from "../../../server/src/protocol/runEvents";
import { classifyFailure, type FailureCause } from "../../../server/src/protocol/failureReasons";
import type { SchedTask } from "./types";

/** The event saying that task `t` (attempt `ref.attempt`) is now in `state`. */
export function taskStateEvent(t: SchedTask, ref: TaskRef, state: TaskState, reason: string | undefined, extra: StateExtra | undefined): TaskStateEvent {
  const top = t.stack.at(-1);
  return {
    type: "task-state",
    ts: Date.now(),
    task: ref,
    state,
    ...(reason !== undefined ? { reason } : {}),
    ...(top?.foreach && t.splitIndex !== undefined ? { foreach: { index: top.index, count: top.count } } : {}),
    ...(extra?.traceback ? { traceback: extra.traceback } : {}),
    ...(extra?.remote ? { remote: extra.remote } : {}),
    ...(extra?.cause ? { cause: extra.cause } : {}),
    ...(extra?.peakRssBytes !== undefined ? { peakRssBytes: extra.peakRssBytes } : {}),
    ...(extra?.caught ? { caught: extra.caught } : {}),
  };
}

/** What a task-state event carries beside its state and reason. */
export interface StateExtra {
  traceback?: string;
  remote?: { backend: string; status: string; jobId?: string };
  cause?: FailureCause;
  peakRssBytes?: number;
  caught?: { headline: string; traceback?: string };
}

/** A failed attempt in plain words (failureReasons.ts), with the facts the event carries. */
export function failureExtra(failure: TaskFailure): { headline: string; extra: StateExtra } {
  const reason = classifyFailure(failure);
  const extra: StateExtra = { cause: reason.cause };
  if (failure.traceback) extra.traceback = failure.traceback;
  if (failure.peakRssBytes !== undefined) extra.peakRssBytes = failure.peakRssBytes;
  return { headline: reason.headline, extra };
}
