// Drives LocalExecutor directly with hand-made TaskSpecs on small flow files
// (test/runtime/python/flows): foreach, static split, joins, no interpreter, the Python probe, and
// the per-task overhead. When a task goes wrong: executor-local-failures.test.ts.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { probePython, PythonUnavailableError, resolvePythonDir } from "../../runtime/src/executors/local";
import type { TaskSpec } from "../../runtime/src/executors/types";
import { flows, graphOf, Harness, logs } from "./localHarness";

const branchGraph = graphOf(join(flows, "branches.py"), {
  start: { type: "split-foreach", next: ["each"], foreach: "items", join: "join" },
  each: { type: "linear", next: ["join"] },
  join: { type: "join", next: ["split"] },
  split: { type: "split-static", next: ["a", "b"], join: "rejoin" },
  a: { type: "linear", next: ["rejoin"] },
  b: { type: "linear", next: ["rejoin"] },
  rejoin: { type: "join", next: ["end"] },
  end: { type: "end", next: [] },
});

void describe("LocalExecutor on a flow with a foreach, a static split and joins", () => {
  const h = new Harness(join(flows, "branches.py"), "BranchFlow", branchGraph);
  after(() => h.close());

  void test("runs every task, reports transitions, logs and artifacts, and writes Metaflow's layout", async () => {
    const params = h.spec("1", "_parameters", [], { parameters: { count: "4" } });
    const p = await h.run(params);
    assert.equal(p.result.ok, true, JSON.stringify(p.result));

    const start = h.spec("1", "start", [h.path(params)]);
    const s = await h.run(start);
    assert.equal(s.result.ok, true, JSON.stringify(s.result));
    assert.deepEqual(s.result.transition, { next: ["each"], foreachCount: 4 });
    assert.deepEqual(logs(s, "stdout"), [`start of BranchFlow/1/start/${start.ref.taskId}`]);
    assert.ok(s.outputs.some((o) => o.kind === "artifact" && o.name === "items" && o.typeName === "list"));

    const eachSpecs = [0, 1, 2, 3].map((i) => h.spec("1", "each", [h.path(start)], { splitIndex: i, splitCount: 4 }));
    const each = await Promise.all(eachSpecs.map((sp) => h.run(sp)));
    each.forEach((e, i) => {
      assert.equal(e.result.ok, true, JSON.stringify(e.result));
      assert.deepEqual(e.result.transition, { next: ["join"] });
      assert.deepEqual(logs(e, "stdout"), [`each ${i} ${i * i}`]);
    });

    const join1 = h.spec("1", "join", eachSpecs.map((sp) => h.path(sp)));
    const j = await h.run(join1);
    assert.equal(j.result.ok, true, JSON.stringify(j.result));
    const split = h.spec("1", "split", [h.path(join1)]);
    const sp = await h.run(split);
    assert.deepEqual(sp.result.transition, { next: ["a", "b"] });
    const a = h.spec("1", "a", [h.path(split)]);
    const b = h.spec("1", "b", [h.path(split)]);
    await Promise.all([h.run(a), h.run(b)]);
    const rejoin = h.spec("1", "rejoin", [h.path(a), h.path(b)]);
    assert.equal((await h.run(rejoin)).result.ok, true);
    const end = h.spec("1", "end", [h.path(rejoin)]);
    const e = await h.run(end);
    assert.equal(e.result.ok, true, JSON.stringify(e.result));
    assert.equal(e.result.transition, undefined);
    assert.deepEqual(logs(e), ["total 14 sides ['a', 'b'] shared same"]);

    // The attempt files of runtime/README.md, DONE.lock included, Metaflow's metadata records, and a log line format
    // (the task printed nothing on stderr, so that log is not written).
    const files = readdirSync(h.taskDir(end)).sort();
    assert.deepEqual(files, ["0.DONE.lock", "0.attempt.json", "0.data.json", "0.previews.json", "0.runtime_stdout.log", "_meta"]);
    const data = JSON.parse(readFileSync(join(h.taskDir(end), "0.data.json"), "utf8")) as { objects: Record<string, string>; datastore: string };
    assert.equal(data.datastore, "local");
    for (const name of ["total", "sides", "shared", "count", "_graph_info", "_task_ok", "items"]) assert.ok(name in data.objects, `${name} in end's data.json`);
    assert.match(readFileSync(join(h.taskDir(end), "0.runtime_stdout.log"), "utf8"), /^\[MFLOG\|0\|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z\|runtime\|[^|\]]+\]total 14/);
  });
});

void describe("LocalExecutor without a usable interpreter", () => {
  void test("a missing interpreter is one clear failure naming the setting", async () => {
    const h = new Harness(join(flows, "trouble.py"), "TroubleFlow", undefined, "/nonexistent/python3.99");
    try {
      const { result } = await h.run(h.spec("1", "start", ["1/_parameters/0"]));
      assert.equal(result.ok, false);
      assert.equal(result.failure?.kind, "infrastructure");
      assert.match(result.failure?.headline ?? "", /Python interpreter "\/nonexistent\/python3.99" was not found.*--python.*flowlens.pythonPath/);
    } finally {
      await h.close();
    }
  });
});

void describe("Python probe and the bundled Python folder", () => {
  void test("the probe reports the version and installed package versions", async () => {
    const info = await probePython("python3");
    assert.match(info.version, /^3\.\d+\.\d+$/);
    assert.ok(info.executable.length > 0);
    assert.match(info.packages.numpy ?? "", /^\d+\./, "numpy is installed on this machine");
    await assert.rejects(probePython("/nonexistent/python"), (error: unknown) => error instanceof PythonUnavailableError && /"\/nonexistent\/python" was not found/.test(error.message));
  });

  void test("the Python folder is runtime/python from source, or the one FLOWLENS_PYTHON_DIR names", () => {
    assert.equal(resolvePythonDir({}), join(import.meta.dirname, "..", "..", "runtime", "python"));
    assert.equal(resolvePythonDir({ FLOWLENS_PYTHON_DIR: join(flows, "..", "..", "..", "..", "runtime", "python") }), join(flows, "..", "..", "..", "..", "runtime", "python"));
    // An override without flowlens/__init__.py is skipped, not trusted.
    assert.equal(resolvePythonDir({ FLOWLENS_PYTHON_DIR: "/nonexistent" }), join(import.meta.dirname, "..", "..", "runtime", "python"));
  });
});

void describe("LocalExecutor per-task overhead", () => {
  const h = new Harness(join(flows, "wide.py"), "WideFlow", graphOf(join(flows, "wide.py"), {
    start: { type: "split-foreach", next: ["work"], foreach: "items", join: "join" },
    work: { type: "linear", next: ["join"] },
    join: { type: "join", next: ["end"] },
    end: { type: "end", next: [] },
  }));
  after(() => h.close());

  void test("a 100-way foreach of trivial tasks, 16 at a time", async () => {
    await h.executor.warmUp();
    const t0 = performance.now();
    const params = h.spec("1", "_parameters", [], { parameters: {} });
    await h.run(params);
    const start = h.spec("1", "start", [h.path(params)]);
    assert.equal((await h.run(start)).result.transition?.foreachCount, 100);
    const specs = Array.from({ length: 100 }, (_, i) => h.spec("1", "work", [h.path(start)], { splitIndex: i, splitCount: 100 }));
    const t1 = performance.now();
    let next = 0;
    const runOne = async (): Promise<void> => {
      while (next < specs.length) {
        const spec = specs[next++] as TaskSpec;
        const { result } = await h.run(spec);
        assert.equal(result.ok, true, JSON.stringify(result));
      }
    };
    await Promise.all(Array.from({ length: 16 }, runOne));
    const t2 = performance.now();
    const join1 = h.spec("1", "join", specs.map((s) => h.path(s)));
    assert.equal((await h.run(join1)).result.ok, true);
    assert.equal((await h.run(h.spec("1", "end", [h.path(join1)]))).result.ok, true);
    const t3 = performance.now();
    const perTask = (t2 - t1) / 100;
    console.log(`# 100-way foreach: ${(t3 - t0).toFixed(0)} ms for 104 tasks; ${perTask.toFixed(1)} ms per foreach task (wall, 16 at a time)`);
    // A figure, not an assertion: timing depends on the machine's load (the benchmarks track it).
    assert.ok(existsSync(join(h.taskDir(join1), "0.DONE.lock")));
  });
});
