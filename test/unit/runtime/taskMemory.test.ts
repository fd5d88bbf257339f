// What a wide run keeps a task while it goes on: the scheduler's state and the timeline's record
// of a finished task must be a few dozen bytes, not the task's spec, frames and attempt objects,
// so that the CLI's memory stays flat with the task count. Measured as the heap (and typed
// arrays' memory) left after a full GC when the join starts, every branch finished, over
// simulated wide foreach runs; the join's own list of N inputs is part of the figure.

import assert from "node:assert/strict";
import { test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { Executor, TaskResult, TaskSpec } from "../../../runtime/src/executors/types";
import { Scheduler } from "../../../runtime/src/scheduler/scheduler";
import { TimelineRecorder } from "../../../runtime/src/timeline/recorder";
import { plan } from "./fakes";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const wide = plan({
  start: { type: "split-foreach", next: ["work"], foreach: "items", join: "join" },
  work: { type: "linear", next: ["join"] },
  join: { type: "join", next: ["end"] },
  end: { type: "end" },
});

/** Heap bytes in use after a full collection. */
function heapAfterGc(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Runs an n-way foreach; returns the bytes retained beyond the baseline as the first child starts (all others waiting) and as the join starts. */
async function retained(n: number): Promise<{ waiting: number; atJoin: number; joinInputs: number }> {
  let waiting = 0;
  let atJoin = 0;
  let joinInputs = 0;
  const executor: Executor = {
    name: "memory",
    runTask: async (spec: TaskSpec): Promise<TaskResult> => {
      await new Promise((r) => setImmediate(r));
      const step = spec.ref.step;
      if (step === "start") return { ok: true, durationMs: 1, transition: { next: ["work"], foreachCount: n } };
      if (step === "work" && spec.splitIndex === 0) waiting = heapAfterGc();
      if (step === "join") {
        joinInputs = spec.inputPaths.length;
        atJoin = heapAfterGc();
      }
      return { ok: true, durationMs: 1, transition: { next: wide.steps[step]?.next ?? [] } };
    },
    close: () => Promise.resolve(),
  };
  // The timeline recorder the run keeps for its task index, fed every event as the CLI feeds it.
  const recorder = new TimelineRecorder();
  const before = heapAfterGc();
  const scheduler = new Scheduler({ plan: wide, executor, runId: "1", flowFile: "/tmp/flow.py", maxWorkers: 8, maxNumSplits: n, user: "test", tags: [], emit: (e) => recorder.accept(e) });
  const outcome = await scheduler.run();
  assert.equal(outcome.status, "succeeded");
  assert.equal(recorder.snapshot().length, n + 3);
  return { waiting: waiting - before, atJoin: atJoin - before, joinInputs };
}

void test("a task of a wide foreach keeps under 300 bytes of the scheduler's and the timeline's state, waiting or finished", async () => {
  // A first run compiles the code paths, which would otherwise count as the first measured run's;
  // the figures are slopes between two widths, so what does not grow with the run cancels out.
  await retained(500);
  const small = await retained(2000);
  const large = await retained(10000);
  const perTask = (key: "waiting" | "atJoin"): number => (large[key] - small[key]) / (10000 - 2000);
  console.log(`retained a task: ${perTask("waiting").toFixed(0)} bytes while the children wait, ${perTask("atJoin").toFixed(0)} bytes at the join (10,000 tasks: ${(large.waiting / 1e3).toFixed(0)} KB and ${(large.atJoin / 1e3).toFixed(0)} KB)`);
  assert.equal(large.joinInputs, 10000);
  assert.ok(perTask("waiting") < 300, `${perTask("waiting").toFixed(0)} bytes a waiting task`);
  assert.ok(perTask("atJoin") < 300, `${perTask("atJoin").toFixed(0)} bytes a finished task`);
});
