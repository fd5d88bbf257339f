// The run's timeline recorder keeps its attempts as columns (a few bytes a task); what it gives
// back must be what the timeline and the task index have always carried: every attempt in order
// of number, retried ones closed where the next starts, reasons, @catch marks, foreach indexes,
// and the index's JSON text exactly JSON.stringify of the tasks.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { TaskStateEvent } from "../../../server/src/protocol/runEvents";
import type { TaskState } from "../../../server/src/protocol/runStates";
import { TimelineRecorder } from "../../../runtime/src/timeline/recorder";

function event(step: string, taskId: string, attempt: number, state: TaskState, ts: number, extra: Partial<TaskStateEvent> = {}): TaskStateEvent {
  return { type: "task-state", ts, task: { flow: "F", runId: "1", step, taskId, attempt }, state, ...extra };
}

const events: TaskStateEvent[] = [
  event("_parameters", "0", 0, "running", 1),
  event("start", "1", 0, "pending", 2),
  event("start", "1", 0, "running", 3),
  event("start", "1", 0, "succeeded", 4),
  event("work", "2", 0, "pending", 5, { foreach: { index: 0, count: 2 } }),
  event("work", "3", 0, "pending", 5, { foreach: { index: 1, count: 2 } }),
  event("work", "2", 0, "running", 6),
  event("work", "2", 0, "retrying", 7, { reason: "busy (attempt 1 failed; @retry)" }),
  event("work", "2", 1, "running", 8),
  event("work", "3", 0, "running", 8),
  // An attempt whose end event never came: the next attempt's start closes it.
  event("work", "3", 1, "running", 9),
  event("work", "3", 1, "succeeded", 10, { reason: "@catch caught ZeroDivisionError", caught: { headline: "ZeroDivisionError" } }),
  event("work", "2", 1, "succeeded", 11),
  // A task id that is not a small integer, and the same id under another step.
  event("other", "x-7", 0, "cloned", 12, { reason: "cloned from run 0" }),
  event("again", "2", 0, "skipped", 13, { reason: "run stopped" }),
  // An attempt that is reported before a lower one (kept in order of number).
  event("late", "20", 2, "running", 14),
  event("late", "20", 1, "failed", 15, { reason: "boom" }),
];

const expected = [
  { step: "start", taskId: "1", attempts: [{ attempt: 0, state: "succeeded", start: 3, end: 4 }] },
  {
    step: "work",
    taskId: "2",
    attempts: [
      { attempt: 0, state: "retrying", start: 6, reason: "busy (attempt 1 failed; @retry)", end: 7 },
      { attempt: 1, state: "succeeded", start: 8, end: 11 },
    ],
    index: 0,
  },
  {
    step: "work",
    taskId: "3",
    attempts: [
      { attempt: 0, state: "running", start: 8, end: 9 },
      { attempt: 1, state: "succeeded", start: 9, reason: "@catch caught ZeroDivisionError", caught: true, end: 10 },
    ],
    index: 1,
  },
  { step: "other", taskId: "x-7", attempts: [{ attempt: 0, state: "cloned", start: 12, reason: "cloned from run 0", end: 12 }] },
  { step: "again", taskId: "2", attempts: [{ attempt: 0, state: "skipped", start: 13, reason: "run stopped", end: 13 }] },
  {
    step: "late",
    taskId: "20",
    attempts: [
      { attempt: 1, state: "failed", start: 15, reason: "boom", end: 15 },
      { attempt: 2, state: "running", start: 14 },
    ],
  },
];

void test("the recorder gives every task's attempts as the events told them, and its JSON is exactly the snapshot's", () => {
  const recorder = new TimelineRecorder();
  for (const e of events) recorder.accept(e);
  assert.deepEqual(recorder.snapshot(), expected);
  assert.equal(recorder.json(), JSON.stringify(expected), "same text, keys in the same order");
});

void test("a snapshot is a copy: later events do not change it", () => {
  const recorder = new TimelineRecorder();
  for (const e of events.slice(0, 7)) recorder.accept(e);
  const before = recorder.snapshot();
  const copy = JSON.stringify(before);
  for (const e of events.slice(7)) recorder.accept(e);
  assert.equal(JSON.stringify(before), copy);
});

void test("thousands of tasks, ids past the arrays' first sizes, come back in the order they were first seen", () => {
  const recorder = new TimelineRecorder();
  const ids = Array.from({ length: 3000 }, (_, i) => String(3000 - i));
  for (const id of ids) recorder.accept(event("work", id, 0, "running", Number(id)));
  for (const id of ids) recorder.accept(event("work", id, 0, "succeeded", Number(id) + 1));
  const tasks = recorder.snapshot();
  assert.deepEqual(tasks.map((t) => t.taskId), ids);
  assert.ok(tasks.every((t) => t.attempts.length === 1 && t.attempts[0]?.end === Number(t.taskId) + 1));
});
