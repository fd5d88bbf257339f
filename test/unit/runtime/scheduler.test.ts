// The scheduler's state machine driven by a fake executor: fan-out, joins, switch loops,
// retry budgets, worker limits, split limits, cancellation.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { TaskResult } from "../../../runtime/src/executors/types";
import { describeTaskCounts } from "../../../server/src/protocol/runEvents";
import { FakeExecutor, fanOut, linearBehaviour, ok, plan, runScheduler, states } from "./fakes";

const foreachFlow = plan({
  start: { type: "split-foreach", next: ["body"], foreach: "items", join: "join" },
  body: { type: "linear", next: ["join"] },
  join: { type: "join", next: ["end"] },
  end: { type: "end" },
});

void test("a linear flow runs each step once, each task reading its parent", async () => {
  const p = plan({ start: { type: "start", next: ["a"] }, a: { type: "linear", next: ["end"] }, end: { type: "end" } });
  const ex = new FakeExecutor(linearBehaviour(p));
  const { outcome, events } = await runScheduler(p, ex, { startInputs: ["1/_parameters/0"] });
  assert.equal(outcome.status, "succeeded");
  assert.deepEqual(ex.calls.map((c) => [c.ref.step, c.ref.taskId, c.inputPaths]), [
    ["start", "1", ["1/_parameters/0"]],
    ["a", "2", ["1/start/1"]],
    ["end", "3", ["1/a/2"]],
  ]);
  assert.deepEqual(states(events, "succeeded"), ["start/1", "a/2", "end/3"]);
  assert.ok(ex.calls.every((c) => c.graph === p.graph), "every task gets the graph");
});

void test("a foreach fans out one task per element and the join waits for all of them, in index order", async () => {
  const ex = new FakeExecutor((spec) => {
    if (spec.ref.step === "start") return fanOut("body", 5);
    // Later splits finish first: the join must still list its inputs by index.
    if (spec.ref.step === "body") return new Promise<TaskResult>((r) => setTimeout(() => r(ok("join")), 20 - 4 * (spec.splitIndex ?? 0)));
    return ok(...(foreachFlow.steps[spec.ref.step]?.next ?? []));
  });
  const { outcome, events } = await runScheduler(foreachFlow, ex);
  assert.equal(outcome.status, "succeeded");
  const body = ex.calls.filter((c) => c.ref.step === "body");
  assert.deepEqual(body.map((c) => c.splitIndex), [0, 1, 2, 3, 4]);
  assert.ok(body.every((c) => c.splitCount === 5));
  const join = ex.calls.find((c) => c.ref.step === "join");
  assert.deepEqual(join?.inputPaths, body.map((c) => `1/body/${c.ref.taskId}`));
  assert.equal(ex.calls.at(-1)?.ref.step, "end");
  const fe = events.find((e) => e.type === "task-state" && e.task.step === "body" && e.state === "running");
  assert.deepEqual(fe?.type === "task-state" ? fe.foreach : undefined, { index: 0, count: 5 });
});

void test("a nested foreach joins each inner fan-out separately, then the outer one", async () => {
  const p = plan({
    start: { type: "split-foreach", next: ["outer"], foreach: "a", join: "outer_join" },
    outer: { type: "split-foreach", next: ["inner"], foreach: "b", join: "inner_join" },
    inner: { type: "linear", next: ["inner_join"] },
    inner_join: { type: "join", next: ["outer_join"] },
    outer_join: { type: "join", next: ["end"] },
    end: { type: "end" },
  });
  const ex = new FakeExecutor(linearBehaviour(p, { start: 2, outer: 3 }));
  const { outcome } = await runScheduler(p, ex);
  assert.equal(outcome.status, "succeeded");
  const count = (s: string): number => ex.calls.filter((c) => c.ref.step === s).length;
  assert.deepEqual([count("start"), count("outer"), count("inner"), count("inner_join"), count("outer_join"), count("end")], [1, 2, 6, 2, 1, 1]);
  for (const j of ex.calls.filter((c) => c.ref.step === "inner_join")) {
    assert.equal(j.inputPaths.length, 3);
    // All three inputs come from inner tasks of the same outer task.
    const parents = new Set(j.inputPaths.map((path) => ex.calls.find((c) => `1/inner/${c.ref.taskId}` === path)?.inputPaths[0]));
    assert.equal(parents.size, 1);
  }
  const outerJoin = ex.calls.find((c) => c.ref.step === "outer_join");
  assert.deepEqual(outerJoin?.inputPaths.map((x) => x.split("/")[1]), ["inner_join", "inner_join"]);
});

void test("a static split runs every branch and the join gets them in branch order", async () => {
  const p = plan({
    start: { type: "split-static", next: ["a", "b"], join: "join" },
    a: { type: "linear", next: ["join"] },
    b: { type: "linear", next: ["join"] },
    join: { type: "join", next: ["end"] },
    end: { type: "end" },
  });
  const ex = new FakeExecutor(linearBehaviour(p));
  const { outcome } = await runScheduler(p, ex);
  assert.equal(outcome.status, "succeeded");
  const join = ex.calls.find((c) => c.ref.step === "join");
  assert.deepEqual(join?.inputPaths.map((x) => x.split("/")[1]), ["a", "b"]);
});

void test("a switch that picks its own step again creates a new task each round", async () => {
  const p = plan({
    start: { type: "start", next: ["loop"] },
    loop: { type: "split-switch", next: ["loop", "end"], condition: "again", cases: { yes: "loop", no: "end" } },
    end: { type: "end" },
  });
  let rounds = 0;
  const ex = new FakeExecutor((spec) => {
    if (spec.ref.step === "loop") return ++rounds < 3 ? ok("loop") : ok("end");
    return ok(...(p.steps[spec.ref.step]?.next ?? []));
  });
  const { outcome } = await runScheduler(p, ex);
  assert.equal(outcome.status, "succeeded");
  const loops = ex.calls.filter((c) => c.ref.step === "loop");
  assert.equal(loops.length, 3);
  assert.equal(new Set(loops.map((c) => c.ref.taskId)).size, 3, "each round is a new task");
  assert.deepEqual(loops[1]?.inputPaths, [`1/loop/${loops[0]?.ref.taskId ?? ""}`]);
});

void test("every failure spends one attempt of @retry's budget plus @catch's fallback attempts, as in Metaflow", async () => {
  const p = plan({
    start: { type: "start", next: ["end"], decorators: [{ name: "retry", attributes: { times: 1 } }, { name: "catch", attributes: {} }] },
    end: { type: "end" },
  });
  const script: TaskResult[] = [
    { ok: false, durationMs: 1, failure: { headline: "killed by SIGKILL", kind: "infrastructure" } },
    { ok: false, durationMs: 1, failure: { headline: "ValueError: boom", kind: "user" } },
    { ok: false, durationMs: 1, failure: { headline: "killed by SIGKILL", kind: "infrastructure" } },
    ok("end"),
  ];
  const ex = new FakeExecutor((spec) => (spec.ref.step === "start" ? (script.shift() as TaskResult) : ok()));
  const { outcome, events } = await runScheduler(p, ex);
  assert.equal(outcome.status, "succeeded");
  const starts = ex.calls.filter((c) => c.ref.step === "start");
  assert.deepEqual(starts.map((c) => c.ref.attempt), [0, 1, 2, 3]);
  assert.deepEqual(starts.map((c) => c.retryCount), [0, 1, 2, 3], "retry_count is the attempt, as current.retry_count in Metaflow");
  assert.deepEqual(starts.map((c) => c.finalAttempt), [false, true, true, true], "@catch applies from the last @retry attempt on");
  assert.equal(states(events, "retrying").length, 3);
});

void test("a task process that dies is not re-run when the step has neither @retry nor @catch", async () => {
  const p = plan({ start: { type: "start", next: ["end"] }, end: { type: "end" } });
  const ex = new FakeExecutor((spec) => (spec.ref.step === "start" ? { ok: false, durationMs: 1, failure: { headline: "segmentation fault", kind: "infrastructure" } } : ok()));
  const { outcome } = await runScheduler(p, ex);
  assert.equal(outcome.status, "failed");
  assert.deepEqual(ex.stepsRun(), ["start:0"]);
});

void test("a user failure without @retry fails the run at once and nothing after it runs", async () => {
  const p = plan({ start: { type: "start", next: ["a"] }, a: { type: "linear", next: ["end"] }, end: { type: "end" } });
  const ex = new FakeExecutor((spec) => (spec.ref.step === "a" ? { ok: false, durationMs: 1, failure: { headline: "KeyError: 'x'", kind: "user", location: "flow.py:12", traceback: "Traceback ..." } } : ok(...(p.steps[spec.ref.step]?.next ?? []))));
  const { outcome, events } = await runScheduler(p, ex);
  assert.equal(outcome.status, "failed");
  assert.deepEqual(outcome.error, { headline: "step a failed: KeyError: 'x'", location: "flow.py:12" });
  assert.deepEqual(ex.stepsRun(), ["start:0", "a:0"]);
  const failed = events.find((e) => e.type === "task-state" && e.state === "failed");
  assert.equal(failed?.type === "task-state" ? failed.traceback : undefined, "Traceback ...");
});

void test("attempts stop at six in all, whatever the budgets", async () => {
  const p = plan({ start: { type: "start", next: ["end"], decorators: [{ name: "retry", attributes: { times: 9 } }] }, end: { type: "end" } });
  const ex = new FakeExecutor(() => ({ ok: false, durationMs: 1, failure: { headline: "boom", kind: "user" } }));
  const { outcome } = await runScheduler(p, ex);
  assert.equal(outcome.status, "failed");
  assert.equal(ex.calls.length, 6);
});

void test("--max-workers bounds the tasks running at once", async () => {
  const ex = new FakeExecutor(async (spec) => {
    if (spec.ref.step === "start") return fanOut("body", 12);
    await new Promise((r) => setTimeout(r, 5));
    return ok(...(foreachFlow.steps[spec.ref.step]?.next ?? []));
  });
  const { outcome } = await runScheduler(foreachFlow, ex, { maxWorkers: 3 });
  assert.equal(outcome.status, "succeeded");
  assert.equal(ex.maxRunning, 3);
});

void test("a foreach wider than --max-num-splits fails the run with a clear error", async () => {
  const ex = new FakeExecutor((spec) => (spec.ref.step === "start" ? fanOut("body", 150) : ok("join")));
  const { outcome } = await runScheduler(foreachFlow, ex, { maxNumSplits: 100 });
  assert.equal(outcome.status, "failed");
  assert.match(outcome.error?.headline ?? "", /yields 150 splits, more than --max-num-splits 100/);
  assert.equal(ex.calls.length, 1, "no child task starts");
});

void test("a failure caught by @catch counts as success and says so", async () => {
  const p = plan({ start: { type: "start", next: ["end"], decorators: [{ name: "catch", attributes: { var: "e" } }] }, end: { type: "end" } });
  const ex = new FakeExecutor((spec) => (spec.ref.step === "start" ? { ...ok("end"), caught: { headline: "ZeroDivisionError", kind: "user" } } : ok()));
  const { outcome, events } = await runScheduler(p, ex);
  assert.equal(outcome.status, "succeeded");
  const s = events.find((e) => e.type === "task-state" && e.task.step === "start" && e.state === "succeeded");
  assert.match(s?.type === "task-state" ? (s.reason ?? "") : "", /@catch caught ZeroDivisionError/);
});

void test("cancelling stops running tasks and marks the run cancelled", async () => {
  const controller = new AbortController();
  const ex = new FakeExecutor((spec, signal) => {
    if (spec.ref.step === "start") return fanOut("body", 4);
    return new Promise<TaskResult>((resolve) => {
      const stopped = (): void => resolve({ ok: false, durationMs: 1, failure: { headline: "cancelled", kind: "cancelled" } });
      if (signal.aborted) return stopped();
      signal.addEventListener("abort", stopped);
      if (ex.running === 2) controller.abort();
    });
  });
  const { outcome, events } = await runScheduler(foreachFlow, ex, { maxWorkers: 2, signal: controller.signal });
  assert.equal(outcome.status, "cancelled");
  assert.equal(states(events, "cancelled").length, 2);
  assert.equal(states(events, "failed").length, 0);
  assert.equal(states(events, "skipped").length, 2);
  assert.ok(!ex.calls.some((c) => c.ref.step === "join"));
  // The stopped tasks are counted as stopped, not as failures: the summary reads "…, 2 stopped, 2 skipped".
  assert.deepEqual(outcome.tasks, { succeeded: 1, failed: 0, cloned: 0, skipped: 2, cancelled: 2 });
  assert.equal(describeTaskCounts(outcome.tasks), "1 succeeded, 2 stopped, 2 skipped");
});

void test("a real failure that lands while a stop is pending stays a failure; only the stopped task is cancelled", async () => {
  const controller = new AbortController();
  const ex = new FakeExecutor((spec, signal) => {
    if (spec.ref.step === "start") return fanOut("body", 2);
    return new Promise<TaskResult>((resolve) => {
      // Task 1's code raises as the stop arrives; task 2 is ended by the stop.
      const onStop = (): void =>
        resolve(spec.splitIndex === 0 ? { ok: false, durationMs: 1, failure: { headline: "ValueError: bad row", kind: "user", location: "flow.py:9" } } : { ok: false, durationMs: 1, failure: { headline: "cancelled", kind: "cancelled" } });
      if (signal.aborted) return onStop();
      signal.addEventListener("abort", onStop);
      if (ex.running === 2) controller.abort();
    });
  });
  const { outcome, events } = await runScheduler(foreachFlow, ex, { maxWorkers: 2, signal: controller.signal });
  const failed = events.flatMap((e) => (e.type === "task-state" && e.state === "failed" ? [e.reason] : []));
  assert.deepEqual(failed, ["ValueError: bad row"]);
  assert.equal(states(events, "cancelled").length, 1);
  assert.equal(outcome.status, "failed", "a run in which a step really failed is failed, even when it was also stopped");
  assert.deepEqual(outcome.error, { headline: "step body failed: ValueError: bad row", location: "flow.py:9" });
  assert.equal(describeTaskCounts(outcome.tasks), "1 succeeded, 1 failed, 1 stopped");
});

void test("a run begins with the _parameters task, whose output the start task reads", async () => {
  const p = plan({ start: { type: "start", next: ["end"] }, end: { type: "end" } });
  const ex = new FakeExecutor((spec) => (spec.ref.step === "_parameters" ? ok("start") : ok(...(p.steps[spec.ref.step]?.next ?? []))));
  const { outcome } = await runScheduler(p, ex, { parameters: { alpha: "0.5" } });
  assert.equal(outcome.status, "succeeded");
  assert.deepEqual(ex.calls.map((c) => [c.ref.step, c.ref.taskId]), [["_parameters", "0"], ["start", "1"], ["end", "2"]]);
  assert.deepEqual(ex.calls[0]?.parameters, { alpha: "0.5" });
  assert.deepEqual(ex.calls[1]?.inputPaths, ["1/_parameters/0"]);
  assert.equal(outcome.tasks.succeeded, 2, "the pseudo-task is not counted");
});
