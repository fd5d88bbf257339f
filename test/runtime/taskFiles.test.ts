// What a trivial foreach task leaves in the datastore, file by file: the names, and an upper
// bound on their bytes (docs/runtime.md, "Scale"). A wide run writes this once per task, so a
// file or a field added here is paid ten thousand times; this test says so when it happens.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { flowlens, workspace } from "./cli";

/** Every file below `dir`, as paths relative to it. */
function filesBelow(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesBelow(dir, join(prefix, e.name)) : [join(prefix, e.name)]));
}

const size = (path: string): number => statSync(path).size;
const objectsOf = (taskDir: string): Record<string, string> => (JSON.parse(readFileSync(join(taskDir, "0.data.json"), "utf8")) as { objects: Record<string, string> }).objects;

void test("a trivial foreach task writes 21 small files of its own, under 8 KB with its new blobs", { timeout: 120_000 }, async () => {
  const { dir, files } = workspace("test/runtime/fixtures/taskfiles/flow.py");
  const run = await flowlens(["run", files[0] ?? ""], dir);
  assert.equal(run.code, 0, run.stderr);
  const runDir = join(dir, ".metaflow", "TrivialFlow", "1");
  const workIds = readdirSync(join(runDir, "work")).filter((n) => n !== "_meta");
  assert.equal(workIds.length, 3);
  const taskId = workIds.sort()[1] ?? "";
  const taskDir = join(runDir, "work", taskId);

  // The task's folder: Flowlens's attempt files (no log for a stream the task left empty) and
  // Metaflow's records (the object, one per artifact, one per metadata field).
  const own = filesBelow(taskDir).map((n) => n.replace(/^_meta\/sysmeta_(.+)_\d+\.json$/, "_meta/sysmeta_$1_<ms>.json")).sort();
  const artifacts = ["_current_step", "_foreach_stack", "_graph_info", "_success", "_task_ok", "_transition", "index", "input", "items", "name", "out"];
  const fields = ["attempt", "attempt-done", "attempt_ok", "ds-root", "ds-type"];
  assert.deepEqual(own, [
    "0.DONE.lock",
    "0.attempt.json",
    "0.data.json",
    "0.previews.json",
    ...artifacts.map((a) => `_meta/0_artifact_${a}.json`),
    "_meta/_self.json",
    ...fields.map((f) => `_meta/sysmeta_${f}_<ms>.json`),
  ].sort());
  const record = join(runDir, "_flowlens", "tasks", `work.${taskId}.json`);

  // The blobs only this task refers to (its index, input, output and foreach frame), with no
  // `_meta` sidecar: a small blob is gzip, which is what a blob without one means to every reader.
  const mine = objectsOf(taskDir);
  const others = [join(runDir, "start", "1"), ...workIds.filter((id) => id !== taskId).map((id) => join(runDir, "work", id))];
  const shared = new Set(others.flatMap((d) => Object.values(objectsOf(d))));
  const blobs = [...new Set(Object.values(mine))].filter((sha) => !shared.has(sha)).map((sha) => join(dir, ".metaflow", "TrivialFlow", "data", sha.slice(0, 2), sha));
  assert.ok(blobs.length >= 3, `the task's own blobs: ${blobs.length}`);
  assert.deepEqual(blobs.filter((b) => existsSync(`${b}_meta`)), []);
  // The run's only sidecar is the code package's, a raw blob.
  const dataDir = join(dir, ".metaflow", "TrivialFlow", "data");
  const sidecars = filesBelow(dataDir).filter((n) => n.endsWith("_meta"));
  assert.deepEqual(sidecars.map((n) => JSON.parse(readFileSync(join(dataDir, n), "utf8")) as unknown), [{ cas_raw: true, cas_version: 1 }]);

  const bytes = filesBelow(taskDir).reduce((sum, n) => sum + size(join(taskDir, n)), 0) + size(record) + blobs.reduce((sum, b) => sum + size(b), 0);
  // 7.4 KB measured with a short datastore path; the bound leaves room for a longer one (it is
  // written into each artifact's record and the `ds-root` field).
  assert.ok(bytes < 8_000, `a trivial task's bytes: ${bytes}`);

  // A task that printed writes that stream's log, and only that one.
  const joinDir = join(runDir, "join", readdirSync(join(runDir, "join")).find((n) => n !== "_meta") ?? "");
  const logs = readdirSync(joinDir).filter((n) => n.endsWith(".log"));
  assert.deepEqual(logs, ["0.runtime_stdout.log"]);
  assert.match(readFileSync(join(joinDir, "0.runtime_stdout.log"), "utf8"), /total 60021\n$/);
});
