// The run timeline's data from a real run (the bundled CLI, `npm run build` first): a foreach whose
// second task succeeds only on its second attempt, and a step whose exception @catch swallows.
// The live recorder (fed the run's --json events) and the datastore reader must both give every
// task with its attempts, times, foreach index and state; the graph's step durations come from the
// same run's session.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ExplorerModel } from "../../../client/src/explorer/treeModel";
import { RunSession } from "../../../client/src/runs/runSession";
import { readTimeline } from "../../../client/src/timeline/fromDatastore";
import { TimelineRecorder } from "../../../runtime/src/timeline/recorder";
import { FlowDatastore } from "../../../runtime/src/datastore/layout";
import { LocalObjectStore } from "../../../runtime/src/datastore/local";
import { readTaskIndex, taskIndexKey } from "../../../runtime/src/timeline/taskIndex";
import { parseRunEvent } from "../../../server/src/protocol/runEvents";
import type { TimelineTask } from "../../../server/src/protocol/timeline";
import { labDir, runCli } from "./helpers";

const flow = `from metaflow import FlowSpec, catch, current, retry, step


class TimelineLabFlow(FlowSpec):
    @step
    def start(self):
        self.items = ["a", "b", "c"]
        self.next(self.work, foreach="items")

    @retry(times=1)
    @step
    def work(self):
        if self.input == "b" and current.retry_count == 0:
            raise ConnectionError("busy, try again")
        self.out = self.input * 2
        self.next(self.join)

    @step
    def join(self, inputs):
        self.outs = [i.out for i in inputs]
        self.next(self.risky)

    @catch(var="problem")
    @step
    def risky(self):
        self.ratio = 1 / 0
        self.next(self.end)

    @step
    def end(self):
        pass


if __name__ == "__main__":
    TimelineLabFlow()
`;

labDir(); // checks that dist/cli.js exists
const dir = mkdtempSync(join(tmpdir(), "flowlens-timeline-"));
writeFileSync(join(dir, "flow.py"), flow);
const run = runCli(dir, ["run", join(dir, "flow.py"), "--json"]);

function byKey(tasks: TimelineTask[]): Map<string, TimelineTask> {
  return new Map(tasks.map((t) => [`${t.step}/${t.index ?? ""}`, t]));
}

void test("the run succeeded", () => {
  assert.equal(run.status, 0, run.stderr + run.lines.join("\n"));
});

void test("the live recorder keeps each attempt: the retried one ends where the next starts, the caught task is marked", () => {
  const recorder = new TimelineRecorder();
  for (const line of run.lines) {
    const event = parseRunEvent(line);
    if (event) recorder.accept(event);
  }
  const tasks = byKey(recorder.snapshot());
  assert.equal(recorder.snapshot().length, 7, "start, three work tasks, join, risky, end (no _parameters)");
  const b = tasks.get("work/1")!;
  assert.deepEqual(b.attempts.map((a) => [a.attempt, a.state]), [[0, "retrying"], [1, "succeeded"]]);
  assert.match(b.attempts[0]!.reason ?? "", /busy, try again/);
  assert.ok(b.attempts[0]!.end! <= b.attempts[1]!.start, "the first attempt ends before the second starts");
  assert.deepEqual(tasks.get("work/0")!.attempts.map((a) => a.state), ["succeeded"]);
  const risky = tasks.get("risky/")!.attempts.at(-1)!;
  assert.equal(risky.state, "succeeded");
  assert.equal(risky.caught, true);
  assert.match(risky.reason ?? "", /ZeroDivisionError/);
  for (const t of recorder.snapshot()) for (const a of t.attempts) assert.ok(a.end !== undefined && a.end >= a.start, `${t.step}/${t.taskId} attempt ${a.attempt} has a finished span`);
});

void test("the datastore gives the same tasks in flow order, with attempt times, foreach index, input and states", async () => {
  const model = new ExplorerModel(new LocalObjectStore(join(dir, ".metaflow")));
  const m = await readTimeline(model, "TimelineLabFlow", "1");
  assert.equal(m.status, "succeeded");
  assert.deepEqual(m.steps, ["start", "work", "join", "risky", "end"]);
  const tasks = byKey(m.tasks);
  assert.equal(m.tasks.length, 7);
  const b = tasks.get("work/1")!;
  assert.equal(b.input, "'b'");
  assert.deepEqual(b.attempts.map((a) => [a.attempt, a.state]), [[0, "failed"], [1, "succeeded"]]);
  for (const t of m.tasks) {
    for (const a of t.attempts) assert.ok(a.start > 0 && a.end !== undefined && a.end >= a.start, `${t.step}/${t.taskId} attempt ${a.attempt}: ${a.start}..${a.end}`);
  }
  const start = tasks.get("start/")!.attempts[0]!;
  assert.ok(start.end! <= b.attempts[0]!.start, "a foreach task starts after start ended");
  // The caught task reads as caught from its stored outcome, as it did live.
  const risky = [...tasks.entries()].find(([k]) => k.startsWith("risky/"))?.[1]?.attempts.at(-1);
  assert.equal(risky?.caught, true);
  assert.match(risky?.reason ?? "", /ZeroDivisionError/);
});

/** What a timeline says of each task, without the times (the index has the events' clock, the task files Python's). */
function shape(tasks: TimelineTask[]): string[] {
  return tasks.map((t) => `${t.step}/${t.taskId} #${t.index ?? "-"} ${t.input ?? "-"} ${t.attempts.map((a) => `${a.attempt}:${a.state}${a.caught ? ":caught" : ""}`).join(",")}`).sort();
}

/** A copy of the run's datastore, to change its index without touching the run the other tests read. */
function copyStore(): { root: string; ds: FlowDatastore; indexFile: string } {
  const root = mkdtempSync(join(tmpdir(), "flowlens-timeline-copy-"));
  cpSync(join(dir, ".metaflow"), root, { recursive: true });
  const ds = new FlowDatastore(new LocalObjectStore(root), "TimelineLabFlow");
  return { root, ds, indexFile: join(root, ...taskIndexKey(ds, "1").split("/")) };
}

void test("the run leaves a final task index with every task, and the timeline reads the same as from the task files", async () => {
  const { root, ds, indexFile } = copyStore();
  try {
    const index = await readTaskIndex(ds, "1");
    assert.equal(index?.final, true);
    assert.equal(index.tasks.length, 7);
    const fromIndex = await readTimeline(new ExplorerModel(ds.store), "TimelineLabFlow", "1");
    rmSync(indexFile);
    const fromFiles = await readTimeline(new ExplorerModel(ds.store), "TimelineLabFlow", "1");
    assert.deepEqual(shape(fromIndex.tasks), shape(fromFiles.tasks));
    assert.deepEqual(fromIndex.steps, fromFiles.steps);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

void test("an index that is not final stands only for the tasks it shows ended; the others are read from their files", async () => {
  const { root, ds, indexFile } = copyStore();
  try {
    const index = JSON.parse(readFileSync(indexFile, "utf8")) as { final: boolean; tasks: TimelineTask[] };
    const [kept, open] = [index.tasks.find((t) => t.step === "start")!, index.tasks.find((t) => t.step === "end")!];
    kept.attempts[0]!.reason = "as the index says";
    delete open.attempts[0]!.end;
    open.attempts[0]!.state = "running";
    writeFileSync(indexFile, JSON.stringify({ version: 1, final: false, tasks: [kept, open] }));
    const m = await readTimeline(new ExplorerModel(ds.store), "TimelineLabFlow", "1");
    assert.equal(m.tasks.length, 7);
    assert.equal(m.tasks.find((t) => t.step === "start")?.attempts[0]?.reason, "as the index says");
    const end = m.tasks.find((t) => t.step === "end")?.attempts[0];
    assert.equal(end?.state, "succeeded", "the task the index shows running is read from its own files");
    assert.ok(end.end !== undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

void test("the graph's run status carries each step's wall time and its tasks' spread, and names the slowest step", () => {
  const session = new RunSession({ mode: "run", file: join(dir, "flow.py") });
  for (const line of run.lines) session.acceptLine(line);
  const message = session.runStatusMessage();
  const work = message.steps.work?.durations;
  assert.ok(work, JSON.stringify(message.steps.work));
  assert.equal(work.open, false);
  assert.equal(work.tasks?.count, 3);
  assert.ok(work.tasks.minMs <= work.tasks.medianMs && work.tasks.medianMs <= work.tasks.maxMs);
  assert.ok(work.wallMs >= work.tasks.maxMs, "the step's wall time spans its longest task");
  const walls = Object.entries(message.steps).map(([step, s]) => [step, s.durations?.wallMs ?? -1] as const);
  const slowest = walls.reduce((a, b) => (b[1] > a[1] ? b : a));
  assert.equal(message.slowest, slowest[0]);
});
