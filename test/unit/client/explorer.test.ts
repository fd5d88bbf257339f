// The explorer's tree from a datastore written by real `flowlens run`s: runs, steps, tasks with
// foreach index and input, artifacts with type/size/shape; failed tasks; corrupt and partial
// entries shown as such; the code snapshot of a run; labels.
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import { FlowDatastore } from "../../../runtime/src/datastore/layout";
import { LocalObjectStore } from "../../../runtime/src/datastore/local";
import { runCodeFile, untar } from "../../../client/src/explorer/codeSnapshot";
import { itemText } from "../../../client/src/explorer/treeLabels";
import type { ArtifactItem, RunItem, StepItem, TaskItem } from "../../../client/src/explorer/treeModel";
import { ExplorerModel } from "../../../client/src/explorer/treeModel";
import { tarGz } from "../../../runtime/src/datastore/tar";
import { labDir, runCli } from "./helpers";

const dir = labDir();
const file = join(dir, "flow.py");
const ok = runCli(dir, ["run", file, "--json"]);
const failed = runCli(dir, ["run", file, "--fail", "yes", "--json"]);
const model = new ExplorerModel(new LocalObjectStore(join(dir, ".metaflow")));

void test("the CLI wrote two runs", () => {
  assert.equal(ok.status, 0, ok.stderr);
  assert.notEqual(failed.status, 0);
});

void test("flow → runs (newest first, with status, start, duration, parameters) → steps in graph order", async () => {
  assert.deepEqual(await model.flows(), [{ kind: "flow", flow: "LabFlow" }]);
  const runs = (await model.runs("LabFlow")) as RunItem[];
  assert.deepEqual(runs.map((r) => [r.runId, r.status]), [["2", "failed"], ["1", "succeeded"]]);
  const first = runs[1]!;
  assert.equal(first.parameters.fail, false);
  assert.ok(first.startedAt! > 0 && first.durationMs! >= 0);
  const text = itemText(first);
  assert.equal(text.label, "Run 1");
  assert.match(text.description ?? "", /^succeeded · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d · [\d.]+ m?s · fail=false$/);
  const steps = (await model.steps("LabFlow", "1")) as StepItem[];
  assert.deepEqual(steps.map((s) => s.step), ["_parameters", "start", "train", "join", "end"]);
});

void test("tasks carry foreach index, input value, attempt and status; artifacts name, type, size and shape", async () => {
  const tasks = (await model.tasks("LabFlow", "1", "train")) as TaskItem[];
  assert.equal(tasks.length, 3);
  assert.deepEqual(tasks.map((t) => [t.status, t.index, t.input, t.attempt]), [["succeeded", 0, "1", 0], ["succeeded", 1, "2", 0], ["succeeded", 2, "3", 0]]);
  assert.match(itemText(tasks[1]!).description ?? "", /succeeded · \[1\] · input 2/);
  const artifacts = (await model.artifacts(tasks[2]!)) as ArtifactItem[];
  const arr = artifacts.find((a) => a.name === "arr")!;
  assert.equal(arr.type, "numpy.ndarray");
  assert.deepEqual(arr.preview?.shape, [4, 3]);
  assert.ok(arr.size > 0);
  assert.ok(!artifacts.some((a) => a.name.startsWith("_")), "internal artifacts are hidden");
  assert.match(itemText(arr).description ?? "", /numpy\.ndarray 4×3 · [\d.]+ (B|KB)/);
});

void test("the failed run's task is failed and shows its _exception", async () => {
  const tasks = (await model.tasks("LabFlow", "2", "train")) as TaskItem[];
  const bad = tasks.find((t) => t.status === "failed");
  assert.ok(bad, JSON.stringify(tasks));
  assert.equal(bad.input, "2");
  const artifacts = (await model.artifacts(bad)) as ArtifactItem[];
  assert.ok(artifacts.some((a) => a.name === "_exception"));
});

void test("corrupt and partial entries are shown as such, never thrown", async () => {
  const root = join(dir, ".metaflow", "LabFlow");
  // A run whose record is garbage, a task without attempts, a task whose data.json is cut.
  writeFileSync(join(root, "1", "_flowlens", "run.json"), "{not json");
  const runs = (await model.runs("LabFlow")) as RunItem[];
  const one = runs.find((r) => r.runId === "1")!;
  assert.equal(one.status, "corrupt");
  assert.match(one.problem ?? "", /run\.json cannot be read/);
  const tasks = (await model.tasks("LabFlow", "1", "join")) as TaskItem[];
  const join0 = tasks[0]!;
  const prefix = join(root, "1", "join", join0.taskId);
  writeFileSync(join(prefix, "0.data.json"), readFileSync(join(prefix, "0.data.json"), "utf8").slice(0, 40));
  const art = await model.artifacts(join0);
  assert.equal(art[0]?.kind, "problem");
  rmSync(join(prefix, "0.DONE.lock"));
  rmSync(join(prefix, "0.previews.json"));
  const partial = await model.task("LabFlow", "1", "join", join0.taskId, "failed");
  assert.equal(partial.status, "incomplete");
  // The same unfinished task in a run that was stopped was stopped with it.
  assert.equal((await model.task("LabFlow", "1", "join", join0.taskId, "cancelled")).status, "cancelled");
  rmSync(join(prefix, "0.attempt.json"));
  const none = await model.task("LabFlow", "1", "join", join0.taskId);
  assert.equal(none.status, "incomplete");
  assert.match(none.problem ?? "", /no attempt record/);
  const missing = new ExplorerModel(new LocalObjectStore(join(dir, "does-not-exist")));
  assert.deepEqual(await missing.flows(), []);
});

void test("the code snapshot of a run is the flow file as it ran", async () => {
  const ds = new FlowDatastore(new LocalObjectStore(join(dir, ".metaflow")), "LabFlow");
  const record = await ds.readRunRecord("2");
  assert.ok(record);
  const code = await runCodeFile(ds, record);
  assert.equal(code?.relPath, "flow.py");
  assert.equal(code?.text, readFileSync(file, "utf8"));
  const files = untar(gunzipSync(tarGz([{ path: "a/b.py", body: Buffer.from("x = 1\n") }, { path: `${"d/".repeat(60)}long.py`, body: Buffer.alloc(700, 65) }])));
  assert.equal(files.get("a/b.py")?.toString(), "x = 1\n");
  assert.equal(files.get(`${"d/".repeat(60)}long.py`)?.length, 700);
});
