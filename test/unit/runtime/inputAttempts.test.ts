// A task's spec names the attempt each of its inputs finished with, as the scheduler saw it
// (retried, cloned by resume), so the harness reads those attempts without listing folders.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { TaskResult } from "../../../runtime/src/executors/types";
import { childKey, startKey } from "../../../runtime/src/scheduler/keys";
import type { TaskRecord } from "../../../runtime/src/scheduler/types";
import { FakeExecutor, fanOut, linearBehaviour, ok, plan, runScheduler } from "./fakes";

const p = plan({
  start: { type: "split-foreach", next: ["body"], foreach: "items", join: "join" },
  body: { type: "linear", next: ["join"], decorators: [{ name: "retry", attributes: { times: 2 } }] },
  join: { type: "join", next: ["end"] },
  end: { type: "end" },
});

const failure: TaskResult = { ok: false, durationMs: 1, failure: { headline: "ValueError: flaky", kind: "user" } };

void test("a spec names the attempt each input finished with, retried ones included, and only those the scheduler saw", async () => {
  // body[1] fails once and body[2] twice before succeeding.
  const failures = new Map([[1, 1], [2, 2]]);
  const ex = new FakeExecutor((spec) => {
    if (spec.ref.step === "_parameters") return ok("start");
    if (spec.ref.step === "start") return fanOut("body", 3);
    const left = failures.get(spec.splitIndex ?? -1) ?? 0;
    if (spec.ref.step === "body" && left > 0) {
      failures.set(spec.splitIndex ?? -1, left - 1);
      return failure;
    }
    return ok(...(p.steps[spec.ref.step]?.next ?? []));
  });
  const { outcome } = await runScheduler(p, ex, { parameters: {} });
  assert.equal(outcome.status, "succeeded");
  const spec = (step: string): (typeof ex.calls)[number] | undefined => ex.calls.find((c) => c.ref.step === step);
  assert.deepEqual(spec("join")?.inputAttempts, [0, 1, 2]);
  assert.deepEqual(spec("start")?.inputAttempts, [0], "the run's own _parameters task");
  assert.deepEqual(spec("end")?.inputAttempts, [0]);
  assert.ok(ex.calls.filter((c) => c.ref.step === "body").every((c) => c.inputAttempts?.[0] === 0));
  // Inputs the scheduler did not see finish (a reused _parameters task) are left for the harness to find.
  const reused = new FakeExecutor(linearBehaviour(p, { start: 2 }));
  assert.equal((await runScheduler(p, reused, { startInputs: ["1/_parameters/0"] })).outcome.status, "succeeded");
  assert.equal(reused.calls.find((c) => c.ref.step === "start")?.inputAttempts, undefined);
});

void test("a resumed join names the attempts its cloned inputs finished with in the origin run", async () => {
  const start = childKey("", startKey);
  const frame = (index: number): TaskRecord["stack"][number] => ({ split: "start", splitTask: "1", splitKey: start, index, count: 2, foreach: true });
  const records: TaskRecord[] = [
    { key: start, step: "start", taskId: "1", attempt: 0, inputPaths: ["1/_parameters/0"], stack: [], transition: { next: ["body"], foreachCount: 2 } },
    { key: childKey(start, "body", 0), step: "body", taskId: "2", attempt: 1, inputPaths: ["1/start/1"], stack: [frame(0)], splitIndex: 0, transition: { next: ["join"] } },
    { key: childKey(start, "body", 1), step: "body", taskId: "3", attempt: 2, inputPaths: ["1/start/1"], stack: [frame(1)], splitIndex: 1, transition: { next: ["join"] } },
  ];
  const ex = new FakeExecutor(linearBehaviour(p, { start: 2 }));
  const store = { recordTask: (): Promise<void> => Promise.resolve(), cloneTask: (): Promise<void> => Promise.resolve() };
  const clone = { originRunId: "1", records: new Map(records.map((r) => [r.key, r])), allowed: (s: string): boolean => s !== "join" && s !== "end" };
  const { outcome } = await runScheduler(p, ex, { runId: "2", store, clone, firstTaskId: 4, startInputs: ["2/_parameters/0"] });
  assert.equal(outcome.status, "succeeded");
  const join = ex.calls.find((c) => c.ref.step === "join");
  assert.deepEqual(join?.inputPaths, ["2/body/2", "2/body/3"], "the test's keys must match the scheduler's, or nothing was cloned");
  assert.deepEqual(join?.inputAttempts, [1, 2]);
});
