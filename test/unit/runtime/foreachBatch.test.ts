// A foreach's waiting children are one queue entry, each child built only when it runs or is
// skipped: what a run says and records must be what creating every child at once gave (ids in
// order of index, pending events with their foreach place, records with their split frames, the
// queued ones skipped in order when the run stops), and a resume still reuses them one by one.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { TaskResult } from "../../../runtime/src/executors/types";
import { childKey, startKey } from "../../../runtime/src/scheduler/keys";
import type { TaskRecord } from "../../../runtime/src/scheduler/types";
import { FakeExecutor, fanOut, ok, plan, runScheduler, states } from "./fakes";

const p = plan({
  start: { type: "split-foreach", next: ["work"], foreach: "items", join: "join" },
  work: { type: "linear", next: ["join"] },
  join: { type: "join", next: ["end"] },
  end: { type: "end" },
});

const failure: TaskResult = { ok: false, durationMs: 1, failure: { headline: "ValueError: bad item", kind: "user" } };

function recordingStore(): { records: TaskRecord[]; store: { recordTask: (r: TaskRecord) => Promise<void>; cloneTask: () => Promise<void> } } {
  const records: TaskRecord[] = [];
  return { records, store: { recordTask: (r) => Promise.resolve(void records.push(r)), cloneTask: () => Promise.resolve() } };
}

void test("a foreach's children get ids in order of index, pending events with their place, and records with their split frame", async () => {
  const { records, store } = recordingStore();
  const ex = new FakeExecutor((spec) => (spec.ref.step === "start" ? fanOut("work", 4) : ok(...(p.steps[spec.ref.step]?.next ?? []))));
  const { outcome, events } = await runScheduler(p, ex, { store, maxWorkers: 2 });
  assert.equal(outcome.status, "succeeded");
  const pending = events.flatMap((e) => (e.type === "task-state" && e.state === "pending" && e.task.step === "work" ? [[e.task.taskId, e.foreach?.index, e.foreach?.count]] : []));
  assert.deepEqual(pending, [["2", 0, 4], ["3", 1, 4], ["4", 2, 4], ["5", 3, 4]]);
  const start = childKey("", startKey);
  const work = records.filter((r) => r.step === "work").sort((a, b) => Number(a.taskId) - Number(b.taskId));
  assert.deepEqual(
    work.map((r) => JSON.stringify(r)),
    [0, 1, 2, 3].map((i) =>
      JSON.stringify({ key: childKey(start, "work", i), step: "work", taskId: String(2 + i), attempt: 0, inputPaths: ["1/start/1"], stack: [{ split: "start", splitTask: "1", splitKey: start, index: i, count: 4, foreach: true }], transition: { next: ["join"] }, splitIndex: i }),
    ),
  );
  assert.deepEqual(ex.calls.find((c) => c.ref.step === "join")?.inputPaths, ["1/work/2", "1/work/3", "1/work/4", "1/work/5"]);
  assert.deepEqual(states(events, "succeeded").slice(-2), ["join/6", "end/7"], "the ids after the foreach follow its children's");
});

void test("when a child fails, the children still queued are skipped in order, each with its foreach place", async () => {
  const ex = new FakeExecutor((spec) => {
    if (spec.ref.step === "start") return fanOut("work", 6);
    return spec.splitIndex === 1 ? failure : ok("join");
  });
  const { outcome, events } = await runScheduler(p, ex, { maxWorkers: 1 });
  assert.equal(outcome.status, "failed");
  assert.deepEqual(states(events, "skipped"), ["work/4", "work/5", "work/6", "work/7"]);
  const skipped = events.flatMap((e) => (e.type === "task-state" && e.state === "skipped" ? [e.foreach?.index] : []));
  assert.deepEqual(skipped, [2, 3, 4, 5]);
  assert.deepEqual(outcome.tasks, { succeeded: 2, failed: 1, cloned: 0, skipped: 4, cancelled: 0 });
});
