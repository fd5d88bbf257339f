// The editor's picture of retried and caught successes, fed the events a run prints: the step's
// mark and detail for its graph node, the status bar's words, and reasons that belong to their state.
import assert from "node:assert/strict";
import { test } from "node:test";
import { RunSession } from "../../../client/src/runs/runSession";
import type { RunEvent, TaskRef } from "../../../server/src/protocol/runEvents";

const ref = (step: string, taskId: string, attempt = 0): TaskRef => ({ flow: "MarksFlow", runId: "1", step, taskId, attempt });

function session(events: RunEvent[]): RunSession {
  const s = new RunSession({ mode: "run", file: "/w/flow.py" });
  s.accept({ type: "run-started", ts: 0, flow: "MarksFlow", runId: "1", file: "/w/flow.py", datastore: "local:/w/.metaflow", parameters: {}, mode: "run" });
  for (const e of events) s.accept(e);
  return s;
}

const retriedThenCaught: RunEvent[] = [
  { type: "task-state", ts: 1, task: ref("flaky", "2"), state: "running" },
  { type: "task-state", ts: 2, task: ref("flaky", "2"), state: "retrying", reason: "RuntimeError: first (attempt 1 failed; @retry)", cause: "exception", traceback: "Traceback..." },
  { type: "task-state", ts: 3, task: ref("flaky", "2", 1), state: "running" },
  { type: "task-state", ts: 4, task: ref("flaky", "2", 1), state: "succeeded" },
  { type: "task-state", ts: 5, task: ref("risky", "3"), state: "running" },
  { type: "task-state", ts: 6, task: ref("risky", "3"), state: "succeeded", reason: "@catch caught ValueError: bad row 7", caught: { headline: "ValueError: bad row 7", traceback: "Traceback...\nValueError: bad row 7" } },
  { type: "task-state", ts: 7, task: ref("end", "4"), state: "succeeded" },
];

void test("a retried step and a caught step are marked with the attempt and the exception; a plain step is not", () => {
  const steps = session(retriedThenCaught).stepStatuses();
  // Durations are the graph's other annotation (durations.test.ts); here only the state and mark.
  const { durations: _durations, ...flaky } = steps.flaky ?? { state: "pending", done: 0, total: 0 };
  assert.deepEqual(flaky, { state: "succeeded", done: 1, total: 1, mark: "retried", markDetail: "succeeded on attempt 2" });
  assert.equal(steps.risky?.mark, "caught");
  assert.equal(steps.risky?.markDetail, "@catch caught ValueError: bad row 7");
  assert.equal(steps.end?.mark, undefined);
});

void test("a success after a retry does not keep the failed attempt's reason", () => {
  const s = session(retriedThenCaught);
  assert.equal(s.tasks.get("flaky/2")?.reason, undefined);
  assert.equal(s.tasks.get("flaky/2")?.traceback, undefined);
  assert.equal(s.stepStatuses().flaky?.reason, undefined);
});

void test("the status bar counts marked tasks; a run without any says nothing about marks", () => {
  const s = session(retriedThenCaught);
  s.accept({ type: "run-finished", ts: 8, flow: "MarksFlow", runId: "1", status: "succeeded", durationMs: 8, tasks: { succeeded: 3, failed: 0, cloned: 0, skipped: 0, cancelled: 0 } });
  assert.equal(s.progressText(), "MarksFlow 1: 3/3 tasks (1 after retry, 1 caught an exception)");
  assert.equal(s.hasMarks(), true);
  assert.match(s.outcome(), /succeeded in \d+ ms, 1 after retry, 1 caught an exception\.$/);
  const plain = session([{ type: "task-state", ts: 1, task: ref("end", "4"), state: "succeeded" }]);
  assert.equal(plain.progressText(), "MarksFlow 1: 1/1 tasks");
  assert.equal(plain.hasMarks(), false);
});

void test("a failed step carries its cause; a run that never had a task does not read 0/0 tasks", () => {
  const s = session([{ type: "task-state", ts: 1, task: ref("grow", "2"), state: "failed", reason: "Out of memory: killed by SIGKILL after reaching 83 MB", cause: "out-of-memory", peakRssBytes: 87_000_000 }]);
  assert.equal(s.stepStatuses().grow?.cause, "out-of-memory");
  assert.equal(s.tasks.get("grow/2")?.peakRssBytes, 87_000_000);
  const refused = new RunSession({ mode: "run", file: "/w/flow.py", flow: "HelloFlow" });
  refused.accept({ type: "run-refused", ts: 1, headline: "flow.py has 1 error", problems: [{ message: "x" }] });
  assert.equal(refused.progressText(), "HelloFlow: could not start");
  const crashed = new RunSession({ mode: "run", file: "/w/flow.py", flow: "HelloFlow" });
  crashed.processExited(1, null, "boom");
  assert.equal(crashed.progressText(), "HelloFlow: crashed");
});
