// RunSession from real event streams: a run with a foreach, a failing run, a refused run, a crash.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { RunSession } from "../../../client/src/runs/runSession";
import { labDir, runCli } from "./helpers";

void test("a real run's events give every step succeeded, foreach progress 3/3 and the logs", () => {
  const dir = labDir();
  const { lines, status } = runCli(dir, ["run", join(dir, "flow.py"), "--json"]);
  assert.equal(status, 0);
  const session = new RunSession({ mode: "run", file: join(dir, "flow.py") });
  for (const line of lines) session.acceptLine(line);
  assert.equal(session.status, "succeeded");
  assert.equal(session.flow, "LabFlow");
  assert.equal(session.runId, "1");
  const steps = session.stepStatuses();
  assert.deepEqual(Object.keys(steps), ["start", "train", "join", "end"], "the parameters pseudo-step is not a node");
  const { durations, ...train } = steps.train ?? { state: "pending", done: 0, total: 0 };
  assert.deepEqual(train, { state: "succeeded", done: 3, total: 3 });
  assert.equal(durations?.tasks?.count, 3, "the foreach's three task durations");
  assert.equal(steps.end?.state, "succeeded");
  assert.ok(session.logs.some((l) => l.line.includes("starting with 3 items")));
  assert.match(session.progressText(), /LabFlow 1: 6\/6 tasks/);
  assert.match(session.outcome(), /succeeded/);
  const msg = session.runStatusMessage();
  assert.equal(msg.type, "runStatus");
  assert.equal(msg.runId, "1");
});

void test("a failing task marks its step failed with the reason and traceback; the run failed", () => {
  const dir = labDir();
  const { lines } = runCli(dir, ["run", join(dir, "flow.py"), "--fail", "true", "--json"]);
  const session = new RunSession({ mode: "run", file: join(dir, "flow.py") });
  for (const line of lines) session.acceptLine(line);
  assert.equal(session.status, "failed");
  const train = session.stepStatuses().train;
  assert.equal(train?.state, "failed");
  assert.match(train?.reason ?? "", /bad item 2/);
  const failure = session.firstFailure();
  assert.equal(failure?.ref.step, "train");
  assert.match(failure?.traceback ?? "", /File ".*flow\.py", line \d+/);
  assert.match(session.outcome(), /failed/);
});

void test("steps in progress: running, pending and partial foreach progress", () => {
  const s = new RunSession({ mode: "run", file: "/w/flow.py" });
  const task = (step: string, taskId: string) => ({ flow: "F", runId: "7", step, taskId, attempt: 0 });
  s.accept({ type: "run-started", ts: 1, flow: "F", runId: "7", file: "/w/flow.py", datastore: "local:/w/.metaflow", parameters: {}, mode: "run" });
  s.accept({ type: "task-state", ts: 2, task: task("start", "1"), state: "succeeded" });
  for (let i = 0; i < 100; i++) s.accept({ type: "task-state", ts: 3, task: task("train", String(i + 2)), state: i < 37 ? "succeeded" : "running", foreach: { index: i, count: 100 } });
  s.accept({ type: "task-state", ts: 4, task: task("join", "200"), state: "pending" });
  s.accept({ type: "task-state", ts: 5, task: task("retry", "201"), state: "retrying", reason: "ConnectionError" });
  const st = s.stepStatuses(103);
  // The 63 running tasks started at 3: the step's wall time grows with the clock while they run.
  assert.deepEqual(st.train, { state: "running", done: 37, total: 100, durations: { wallMs: 100, open: true } });
  assert.equal(st.join?.state, "pending");
  assert.equal(st.retry?.state, "retrying");
  assert.equal(s.status, "running");
  assert.equal(s.done, false);
});

void test("a refused run says why with file:line; a crash without run-finished is a failure with the exit reason", () => {
  const refused = new RunSession({ mode: "run", file: "/w/flow.py" });
  refused.acceptLine(JSON.stringify({ type: "run-refused", ts: 1, headline: "--epochs: expected an integer, got 'x'", problems: [{ message: "--epochs: expected an integer, got 'x'", location: "flow.py:12" }] }));
  assert.equal(refused.status, "refused");
  assert.match(refused.outcome(), /flow\.py:12/);

  const crashed = new RunSession({ mode: "step", file: "/w/flow.py", step: "train" });
  crashed.acceptLine("not an event");
  crashed.acceptLine(JSON.stringify({ type: "run-started", ts: 1, flow: "F", runId: "3", file: "/w/flow.py", datastore: "x", parameters: {}, mode: "step" }));
  crashed.processExited(null, "SIGKILL", "Traceback...\nMemoryError");
  assert.equal(crashed.status, "crashed");
  assert.match(crashed.outcome(), /killed by SIGKILL.*MemoryError/);
  assert.deepEqual(crashed.otherOutput, ["not an event"]);

  const stopped = new RunSession({ mode: "run", file: "/w/flow.py" });
  stopped.stopRequested = true;
  stopped.accept({ type: "task-state", ts: 1, task: { flow: "F", runId: "4", step: "train", taskId: "2", attempt: 0 }, state: "cancelled", reason: "cancelled" });
  assert.deepEqual(stopped.stepStatuses().train, { state: "cancelled", done: 1, total: 1, reason: "cancelled" }, "a task killed by Stop is not a failure");
  stopped.processExited(null, "SIGTERM", "");
  assert.equal(stopped.status, "cancelled");
  assert.equal(stopped.progressText(), "flow: stopped");
});

void test("a real failure that lands while a stop is pending is shown as failed; only the stopped task is stopped", () => {
  const s = new RunSession({ mode: "run", file: "/w/flow.py" });
  const task = (taskId: string): { flow: string; runId: string; step: string; taskId: string; attempt: number } => ({ flow: "F", runId: "4", step: "train", taskId, attempt: 0 });
  s.accept({ type: "run-started", ts: 0, flow: "F", runId: "4", file: "/w/flow.py", datastore: "x", parameters: {}, mode: "run" });
  s.stopRequested = true;
  s.accept({ type: "task-state", ts: 1, task: task("2"), state: "failed", reason: "ValueError: bad row" });
  s.accept({ type: "task-state", ts: 2, task: task("3"), state: "cancelled", reason: "cancelled" });
  assert.equal(s.tasks.get("train/2")?.state, "failed");
  assert.equal(s.tasks.get("train/2")?.reason, "ValueError: bad row");
  assert.equal(s.tasks.get("train/3")?.state, "cancelled");
  assert.equal(s.stepStatuses().train?.state, "failed");
  assert.equal(s.firstFailure()?.ref.taskId, "2");
});

void test("a stream written by an earlier version (failed with reason \"cancelled\") reads as a stopped task", () => {
  const s = new RunSession({ mode: "run", file: "/w/flow.py" });
  s.acceptLine(JSON.stringify({ type: "task-state", ts: 1, task: { flow: "F", runId: "4", step: "train", taskId: "2", attempt: 0 }, state: "failed", reason: "cancelled" }));
  assert.equal(s.tasks.get("train/2")?.state, "cancelled");
  assert.equal(s.firstFailure(), undefined);
});
