// Failures with real Python: a timeout, Ctrl-C / SIGTERM, kill -9 of the runtime followed
// by resume, and every way a run refuses to start.

import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { artifact, datastore, finished, flowlens, runIdOf, start, workspace } from "./cli";
import { RunSession } from "../../client/src/runs/runSession";

const slow = { timeout: 120_000 };

void test("@timeout kills a step that runs too long and the run fails saying so", slow, async () => {
  const { dir, files } = workspace("test/runtime/fixtures/slow/flow.py");
  const t0 = Date.now();
  const r = await flowlens(["run", files[0] ?? "", "--json"], dir);
  assert.equal(r.code, 1);
  assert.ok(Date.now() - t0 < 30_000, "the 60 s sleep was cut short");
  const failed = r.events.find((e) => e.type === "task-state" && e.state === "failed");
  assert.match(failed?.type === "task-state" ? (failed.reason ?? "") : "", /time/i);
});

void test("SIGTERM stops the run: cancelled, finished artifacts kept", slow, async () => {
  const { dir, files } = workspace("test/runtime/fixtures/fragile/flow.py");
  const run = start(["run", files[0] ?? "", "--json", "--count", "3", "--max-workers", "1"], dir, { FRAGILE_SLEEP: "30" });
  run.onEvent((e) => {
    if (e.type === "task-state" && e.task.step === "work" && e.state === "running") run.child.kill("SIGTERM");
  });
  const r = await run.done;
  assert.equal(r.code, 130);
  assert.equal(finished(r.events)?.status, "cancelled");
  const ds = datastore(dir, "FragileFlow");
  const id = runIdOf(r.events);
  assert.equal((await ds.readRunRecord(id))?.status, "cancelled");
  assert.equal(await ds.finishedAttempt(id, "start", "1"), 0, "the start task's artifacts are kept");
});

void test("Ctrl-C in a terminal: the stopped task and the summary say stopped, not failed", slow, async () => {
  const { dir, files } = workspace("test/runtime/fixtures/fragile/flow.py");
  const run = start(["run", files[0] ?? "", "--count", "3", "--max-workers", "1"], dir, { FRAGILE_SLEEP: "30" });
  // The whole output so far is searched: a line may arrive split across two chunks.
  let seen = "";
  let sent = false;
  run.child.stdout?.on("data", (d: Buffer) => {
    seen += d.toString("utf8");
    if (!sent && /\/work\/\d+\] task started/.test(seen)) {
      sent = true;
      run.child.kill("SIGINT");
    }
  });
  const r = await run.done;
  assert.equal(r.code, 130);
  assert.match(r.stderr, /\/work\/\d+\] task stopped\n/);
  assert.match(r.stderr, /Run FragileFlow\/\d+ stopped in [\d.]+ s: \d+ tasks \(1 succeeded, 1 stopped, \d+ skipped\)/);
  assert.doesNotMatch(r.stderr, /failed/);
});

void test("a real failure that lands while a stop is pending is failed in the run and in the editor's view; only the stopped task is stopped", slow, async () => {
  const { dir, files } = workspace("test/runtime/fixtures/fragile/flow.py");
  // Item 0 raises at once; item 1 sleeps until the stop ends it.
  const run = start(["run", files[0] ?? "", "--json", "--count", "2", "--max-workers", "2"], dir, { FRAGILE_FAIL_AT: "0", FRAGILE_SLEEP: "30" });
  const session = new RunSession({ mode: "run", file: files[0] ?? "" });
  run.onEvent((e) => {
    session.accept(e);
    // The user pressed Stop as the work tasks started; the signal reaches the run after item 0 failed.
    if (e.type === "task-state" && e.task.step === "work" && e.state === "running") session.stopRequested = true;
    if (e.type === "task-state" && e.task.step === "work" && e.state === "failed") run.child.kill("SIGTERM");
  });
  const r = await run.done;
  const work = [...session.tasks.values()].filter((t) => t.ref.step === "work").map((t) => [t.state, t.reason ?? ""]);
  assert.deepEqual(work.map(([state]) => state).sort(), ["cancelled", "failed"], JSON.stringify(work));
  assert.match(work.find(([state]) => state === "failed")?.[1] ?? "", /item 0 is broken/);
  assert.equal(session.stepStatuses().work?.state, "failed", "the graph marks the step failed, not stopped");
  assert.equal(finished(r.events)?.status, "failed");
  assert.equal(session.status, "failed");
  assert.equal(r.code, 1);
});

void test("after kill -9 of the runtime, resume completes the run with nothing lost", slow, async () => {
  const { dir, files } = workspace("test/runtime/fixtures/fragile/flow.py");
  const file = files[0] ?? "";
  const run = start(["run", file, "--json", "--count", "4", "--max-workers", "1"], dir, { FRAGILE_SLEEP: "0.3" });
  run.onEvent((e) => {
    if (e.type === "task-state" && e.task.step === "work" && e.state === "succeeded") run.child.kill("SIGKILL");
  });
  const killed = await run.done;
  assert.equal(killed.code, null, "killed by the signal");
  assert.equal(finished(killed.events), undefined);
  const origin = runIdOf(killed.events);
  const r = await flowlens(["resume", file, "--json", "--origin-run-id", origin], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.ok((finished(r.events)?.tasks.cloned ?? 0) >= 2, "start and the finished work task are reused");
  assert.equal(await artifact(datastore(dir, "FragileFlow"), runIdOf(r.events), "end", "total"), 0 + 1 + 4 + 9);
});

void test("a flow with check errors is refused before any task, with every finding and its file:line:col", slow, async () => {
  const { dir, files } = workspace("test/runtime/fixtures/broken/flow.py");
  const r = await flowlens(["run", files[0] ?? "", "--json"], dir);
  assert.equal(r.code, 1);
  const refused = r.events.find((e) => e.type === "run-refused");
  assert.ok(refused?.type === "run-refused");
  const codes = refused.problems.map((p) => p.message.slice(0, 5));
  assert.ok(codes.includes("FL010") && codes.includes("FL005"), codes.join(","));
  assert.ok(refused.problems.every((p) => /flow\.py:\d+:\d+$/.test(p.location ?? "")));
  assert.equal(r.events.filter((e) => e.type !== "run-refused").length, 0);
  const text = await flowlens(["run", files[0] ?? ""], dir);
  assert.match(text.stderr, /flow\.py:\d+:\d+: FL010/);
});

void test("bad parameters, unknown options and a missing Python each get one clear message", slow, async () => {
  const { dir, files } = workspace("test/runtime/fixtures/fragile/flow.py");
  const file = files[0] ?? "";
  const badType = await flowlens(["run", file, "--count", "many"], dir);
  assert.equal(badType.code, 2);
  assert.match(badType.stderr, /--count: expected an integer, got 'many'/);
  const unknown = await flowlens(["run", file, "--colour", "red"], dir);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown option --colour \(this flow's parameters: --count\)/);
  const noPython = await flowlens(["run", file, "--python", "/nonexistent/python3"], dir);
  assert.equal(noPython.code, 1, noPython.stderr);
  assert.match(noPython.stderr, /\/nonexistent\/python3/);
  assert.match(noPython.stderr, /--python/);
  const workers = await flowlens(["run", file, "--max-workers", "0"], dir);
  assert.equal(workers.code, 2);
  assert.match(workers.stderr, /--max-workers needs a whole number of at least 1/);
});

void test("--max-num-splits stops a foreach that is too wide", slow, async () => {
  const { dir, files } = workspace("test/runtime/fixtures/fragile/flow.py");
  const r = await flowlens(["run", files[0] ?? "", "--json", "--count", "5", "--max-num-splits", "3"], dir);
  assert.equal(r.code, 1);
  assert.match(finished(r.events)?.error?.headline ?? "", /yields 5 splits, more than --max-num-splits 3/);
});

void test("a task process that dies is not re-run without @retry, as in Metaflow; with @retry it is", slow, async () => {
  const { dir, files } = workspace("test/runtime/fixtures/crash/flow.py");
  const file = files[0] ?? "";
  const once = await flowlens(["run", file, "--json"], dir);
  assert.equal(once.code, 1);
  assert.equal(once.events.find((e) => e.type === "task-state" && e.state === "retrying"), undefined, "no automatic re-run");
  assert.match(finished(once.events)?.error?.headline ?? "", /killed by SIGKILL/);
  // The crash marker now exists, so a second attempt would succeed: @retry gives it one.
  rmSync(join(dirname(file), "crashed-once"));
  writeFileSync(file, readFileSync(file, "utf8").replace("    @step\n    def start", "    @retry(times=1)\n    @step\n    def start").replace("import FlowSpec, step", "import FlowSpec, retry, step"));
  const r = await flowlens(["run", file, "--json"], dir);
  assert.equal(r.code, 0, r.stderr);
  const retrying = r.events.find((e) => e.type === "task-state" && e.state === "retrying");
  assert.match(retrying?.type === "task-state" ? (retrying.reason ?? "") : "", /killed by SIGKILL .*@retry/);
  const ds = datastore(dir, "CrashFlow");
  const id = runIdOf(r.events);
  assert.equal(await ds.finishedAttempt(id, "start", "1"), 1);
  assert.equal(await artifact(ds, id, "start", "survived"), true);
});

void test("a failure in a step inherited from a base flow in another module points at that module's line", slow, async () => {
  const { dir } = workspace();
  const base = join(dir, "base.py");
  const baseText = [
    "from metaflow import FlowSpec, step",
    "",
    "",
    "class Base(FlowSpec):",
    "    @step",
    "    def start(self):",
    "        self.items = []",
    '        self.next(self.each, foreach="items")',
    "",
    "    @step",
    "    def each(self):",
    "        self.next(self.join)",
    "",
    "    @step",
    "    def join(self, inputs):",
    "        self.next(self.end)",
    "",
    "    @step",
    "    def end(self):",
    '        raise ValueError("boom in base")',
    "",
  ].join("\n");
  const lineOf = (text: string): number => baseText.split("\n").findIndex((l) => l.includes(text)) + 1;
  writeFileSync(base, baseText);
  writeFileSync(join(dir, "flow.py"), 'from base import Base\n\n\nclass ChildFlow(Base):\n    pass\n\n\nif __name__ == "__main__":\n    ChildFlow()\n');
  // An empty foreach fails after the step's code returned: the location is the step in base.py.
  const empty = finished((await flowlens(["run", join(dir, "flow.py"), "--json"], dir)).events);
  assert.match(empty?.error?.headline ?? "", /zero splits/);
  assert.ok((empty?.error?.location ?? "").startsWith(`${base}:`), empty?.error?.location);
  // A raise in the inherited step: the raising line of base.py.
  writeFileSync(base, baseText.replace("self.items = []", "self.items = [1]"));
  const raised = finished((await flowlens(["run", join(dir, "flow.py"), "--json"], dir)).events);
  assert.match(raised?.error?.headline ?? "", /boom in base/);
  assert.equal(raised?.error?.location, `${base}:${lineOf("boom in base")}`);
});
