// `flowlens compare` on runs Metaflow itself made: its datastore has no Flowlens run record, keeps
// tags and times in its local metadata (`_meta/`), and stores no code package for a local run.
// Needs Metaflow's source: FLOWLENS_METAFLOW_SRC=<a Metaflow checkout> (its folder goes on PYTHONPATH).

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import type { RunComparison } from "../../server/src/protocol/runComparison";
import { flowlens, workspace } from "./cli";

const metaflowSrc = process.env.FLOWLENS_METAFLOW_SRC;

function metaflowRun(file: string, cwd: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("python3", [file, "--quiet", "run", ...args], { cwd, env: { ...process.env, PYTHONPATH: metaflowSrc, USERNAME: "tester", METAFLOW_DEFAULT_DATASTORE: "local", METAFLOW_DEFAULT_METADATA: "local" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (output += d.toString("utf8")));
    child.on("close", (code) => resolve({ code, output }));
  });
}

void test("compare reads two runs made by Metaflow's own runtime", { timeout: 240_000, skip: metaflowSrc ? false : "set FLOWLENS_METAFLOW_SRC to a Metaflow source checkout" }, async () => {
  const { dir, files } = workspace("test/runtime/fixtures/compare/flow.py");
  const file = files[0] ?? "";
  const first = await metaflowRun(file, dir, ["--tag", "baseline"]);
  assert.equal(first.code, 0, first.output);
  const second = await metaflowRun(file, dir, ["--alpha", "2", "--tag", "candidate"]);
  assert.equal(second.code, 0, second.output);

  const r = await flowlens(["compare", "CompareFlow", "--json"], dir);
  assert.equal(r.code, 0, r.stderr);
  const c = JSON.parse(r.stdout) as RunComparison;
  assert.equal(c.a.madeBy, "metaflow");
  assert.equal(c.a.status, "succeeded", "from the end task's metadata");
  assert.ok(Number(c.a.runId) < Number(c.b.runId), "the latest run is B, the one before it A");
  assert.deepEqual(c.tags, { both: [], onlyA: ["baseline"], onlyB: ["candidate"] });
  assert.equal(c.parameters.find((p) => p.name === "alpha")?.status, "changed");
  assert.equal(c.parameters.find((p) => p.name === "alpha")?.kind, "parameter or config", "Metaflow's datastore does not say which without loading _graph_info");
  assert.deepEqual(c.steps.map((s) => s.step), ["start", "work", "join", "end"]);
  const byName = (step: string, name: string) => c.steps.find((s) => s.step === step)?.artifacts.find((x) => x.name === name);
  assert.equal(byName("start", "items")?.status, "same", "equal values have equal hashes across runs");
  assert.equal(byName("start", "settings")?.status, "changed");
  assert.equal(byName("start", "settings")?.valueDiff, undefined, "Metaflow stores no JSON previews: nothing is known of the values without loading them");
  assert.deepEqual(byName("work", "square")?.tasks, { changed: 3, total: 3 });
  assert.ok((c.steps.find((s) => s.step === "work")?.seconds.a ?? -1) >= 0, "wall times from the attempt records");
  assert.equal(c.code.available, false);
  if (!c.code.available) assert.match(c.code.reason, /made by Metaflow without a code package/);

  // --values loads them with the bundled loader (no Metaflow needed to unpickle plain values).
  const v = await flowlens(["compare", "CompareFlow", "--json", "--values"], dir);
  assert.equal(v.code, 0, v.stderr);
  const vc = JSON.parse(v.stdout) as RunComparison;
  const settings = vc.steps.find((s) => s.step === "start")?.artifacts.find((x) => x.name === "settings");
  assert.deepEqual(settings?.valueDiff, [{ path: "lr", kind: "changed", a: 0.5, b: 1 }]);
});

void test("compare pairs the foreach tasks of runs made by Metaflow by item (its foreach-execution-path metadata)", { timeout: 240_000, skip: metaflowSrc ? false : "set FLOWLENS_METAFLOW_SRC to a Metaflow source checkout" }, async () => {
  const { dir, files } = workspace("test/runtime/fixtures/compare-order/flow.py");
  const file = files[0] ?? "";
  // The slow item finishes last, so the tasks of `after` get their ids in another order in each run.
  for (const slow of ["0", "2"]) {
    const run = await metaflowRun(file, dir, ["--slow", slow]);
    assert.equal(run.code, 0, run.output);
  }
  const r = await flowlens(["compare", "OrderFlow", "--json"], dir);
  assert.equal(r.code, 0, r.stderr);
  const c = JSON.parse(r.stdout) as RunComparison;
  const square = c.steps.find((s) => s.step === "after")?.artifacts.find((x) => x.name === "square");
  assert.deepEqual([square?.status, square?.tasks], ["same", { changed: 0, total: 3 }]);
});
