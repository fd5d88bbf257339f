// LocalExecutor when a task goes wrong: a raising step, @catch, a wrong self.next, @timeout; and
// while a task runs: live output, cancellation, a killed task, a stuck and a killed worker.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { alive, flows, graphOf, Harness, isZombie, logs, waitFor } from "./localHarness";

/** A harness on trouble.py with its start step run; `startPath()` is the input of the other steps. */
function troubleFlow(): { h: Harness; startPath: () => string } {
  const troubleGraph = graphOf(join(flows, "trouble.py"), {
    start: { type: "start", next: ["end"] },
    wrong_next: { type: "linear", next: ["end"] },
    caught: { type: "linear", next: ["end"] },
    end: { type: "end", next: [] },
  });
  const h = new Harness(join(flows, "trouble.py"), "TroubleFlow", troubleGraph);
  let startPath = "";
  before(async () => {
    const params = h.spec("1", "_parameters", [], { parameters: {} });
    assert.equal((await h.run(params)).result.ok, true);
    const start = h.spec("1", "start", [h.path(params)]);
    assert.equal((await h.run(start)).result.ok, true);
    startPath = h.path(start);
  });
  after(() => h.close());
  return { h, startPath: () => startPath };
}

void describe("LocalExecutor failure paths: errors in the step", () => {
  const { h, startPath } = troubleFlow();

  void test("a step that raises: headline, traceback and the flow file's line; artifacts kept, no DONE for success", async () => {
    const spec = h.spec("1", "boom", [startPath()]);
    const { result } = await h.run(spec);
    assert.equal(result.ok, false);
    assert.equal(result.failure?.kind, "user");
    assert.equal(result.failure?.headline, "ZeroDivisionError: division by zero");
    assert.match(result.failure?.traceback ?? "", /in boom\n[\s\S]*in helper/);
    // The innermost frame in the flow file is helper's line (10 / value).
    assert.equal(result.failure?.location, `${join(flows, "trouble.py")}:10`);
    const data = JSON.parse(readFileSync(join(h.taskDir(spec), "0.data.json"), "utf8")) as { objects: Record<string, string> };
    assert.ok("before" in data.objects && "_exception" in data.objects);
  });

  void test("@catch turns the failure into success and stores the exception", async () => {
    const { result } = await h.run(h.spec("1", "caught", [startPath()], { finalAttempt: true }));
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(result.caught?.headline, "ZeroDivisionError: division by zero");
    assert.deepEqual(result.transition, { next: ["end"] });
  });

  void test("a self.next that the static graph does not have fails and names both", async () => {
    const { result } = await h.run(h.spec("1", "wrong_next", [startPath()]));
    assert.equal(result.ok, false);
    assert.match(result.failure?.headline ?? "", /called self.next\(self.start\) but the flow's graph says self.next\(self.end\)/);
  });

  void test("@timeout interrupts the step (kind timeout) and keeps what it printed", async () => {
    const t0 = Date.now();
    const ran = await h.run(h.spec("1", "slow", [startPath()]));
    assert.equal(ran.result.ok, false);
    assert.equal(ran.result.failure?.kind, "timeout");
    assert.match(ran.result.failure?.headline ?? "", /timed out after 1 seconds/);
    assert.ok(Date.now() - t0 < 10_000);
    assert.deepEqual(logs(ran, "stdout"), ["sleeping"]);
  });
});

void describe("LocalExecutor failure paths: live output, cancellation, killed tasks and workers", () => {
  const { h, startPath } = troubleFlow();
  void test("output reaches Node while the task still runs, per stream", async () => {
    let firstAt = 0;
    const ran = await h.run(h.spec("1", "chatty", [startPath()]), new AbortController().signal, (o) => {
      if (o.kind === "log" && o.line === "first line") firstAt = Date.now();
    });
    const doneAt = Date.now();
    assert.ok(firstAt > 0 && doneAt - firstAt >= 500, `first line arrived ${doneAt - firstAt} ms before the end`);
    assert.deepEqual(logs(ran, "stdout"), ["first line", "second line"]);
    assert.deepEqual(logs(ran, "stderr"), ["to stderr"]);
  });

  void test("a print reaches Node within 100 ms, and a partial line once the task goes quiet", async () => {
    let latency = Number.NaN;
    let partialAt = 0;
    const ran = await h.run(h.spec("1", "prompt", [startPath()]), new AbortController().signal, (o) => {
      if (o.kind !== "log") return;
      const printed = /^printed at ([\d.]+)/.exec(o.line);
      if (printed) latency = Date.now() - Number(printed[1]) * 1000;
      if (o.line === "50%") partialAt = Date.now();
    });
    const doneAt = Date.now();
    console.log(`# print-to-Node latency: ${latency.toFixed(1)} ms`);
    // Date.now() counts whole milliseconds, so a fast print can show as slightly negative.
    assert.ok(latency > -2 && latency < 100, `a print took ${latency} ms to reach Node`);
    assert.ok(partialAt > 0 && doneAt - partialAt >= 300, "the partial line came before the task ended");
    assert.deepEqual(logs(ran, "stdout").slice(1), ["50%", " then 100%"]);
  });

  void test("cancelling through the AbortSignal kills the task", async () => {
    const controller = new AbortController();
    const ran = await h.run(h.spec("1", "hang", [startPath()]), controller.signal, (o) => {
      if (o.kind === "log") controller.abort();
    });
    assert.equal(ran.result.ok, false);
    assert.equal(ran.result.failure?.kind, "cancelled");
  });

  void test("a task process killed with -9 is an infrastructure failure; the worker carries on", async () => {
    const ran = await h.run(h.spec("1", "hang", [startPath()]), new AbortController().signal, (o) => {
      if (o.kind === "log") process.kill(Number(/pid (\d+)/.exec(o.line)?.[1]), "SIGKILL");
    });
    assert.equal(ran.result.ok, false);
    assert.equal(ran.result.failure?.kind, "infrastructure");
    assert.match(ran.result.failure?.headline ?? "", /killed by SIGKILL/);
    assert.equal((await h.run(h.spec("1", "end", [startPath()]))).result.ok, true);
  });

  void test("a stuck worker cannot hold a task past its timeout: Node kills the task", async () => {
    const [workerPid] = h.executor.workerPids();
    assert.ok(workerPid !== undefined);
    let childPid = 0;
    const ran = await h.run(h.spec("1", "hang", [startPath()], { timeoutSeconds: 1 }), new AbortController().signal, (o) => {
      if (o.kind !== "log") return;
      childPid = Number(/pid (\d+)/.exec(o.line)?.[1]);
      process.kill(workerPid, "SIGSTOP");
    });
    process.kill(workerPid, "SIGCONT");
    assert.equal(ran.result.ok, false);
    assert.equal(ran.result.failure?.kind, "timeout");
    assert.match(ran.result.failure?.headline ?? "", /the worker did not stop it; the task was killed/);
    await waitFor(() => !alive(childPid) || isZombie(childPid));
    assert.equal((await h.run(h.spec("1", "end", [startPath()]))).result.ok, true, "the worker carries on once resumed");
  });

  void test("a worker killed with -9 fails its running task cleanly and a new worker takes the next task", async () => {
    let childPid = 0;
    const ran = await h.run(h.spec("1", "hang", [startPath()]), new AbortController().signal, (o) => {
      if (o.kind !== "log") return;
      childPid = Number(/pid (\d+)/.exec(o.line)?.[1]);
      for (const pid of h.executor.workerPids()) process.kill(pid, "SIGKILL");
    });
    assert.equal(ran.result.ok, false);
    assert.equal(ran.result.failure?.kind, "infrastructure");
    assert.match(ran.result.failure?.headline ?? "", /worker .* was killed by SIGKILL/);
    // The orphaned task process does not outlive its worker.
    assert.ok(childPid > 0);
    await waitFor(() => !alive(childPid));
    assert.equal((await h.run(h.spec("1", "end", [startPath()]))).result.ok, true);
  });
});

void describe("LocalExecutor failure paths: a stop", () => {
  const { h, startPath } = troubleFlow();

  void test("a stop that kills the worker while Python starts is a cancelled task, not an infrastructure failure", async () => {
    // A stop signals the runtime's whole process group: the worker can die of it before it is ready.
    h.executor.workerPids().forEach((pid) => process.kill(pid, "SIGKILL"));
    await waitFor(() => h.executor.workerPids().length === 0 || h.executor.workerPids().every((pid) => !alive(pid)));
    const controller = new AbortController();
    const running = h.run(h.spec("1", "end", [startPath()]), controller.signal);
    const [starting] = h.executor.workerPids();
    assert.ok(starting !== undefined, "a new worker is starting for the task");
    controller.abort();
    process.kill(starting, "SIGTERM");
    const { result } = await running;
    assert.equal(result.ok, false);
    assert.equal(result.failure?.kind, "cancelled", result.failure?.headline);
    assert.equal((await h.run(h.spec("1", "end", [startPath()]))).result.ok, true, "the next task gets a new worker");
  });
});
