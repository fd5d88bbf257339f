// Hover shows data, below the editor: which stored artifact a hover on `self.x` shows (the newest
// run where a step that sets it has it), that what was read is kept per run, and the Markdown for a
// value, for Restricted Mode and for no run yet. Two real runs of a small flow; the value is loaded
// by the bundled preview script with real Python.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { LocalObjectStore } from "../../../runtime/src/datastore/local";
import type { TaskItem } from "../../../client/src/explorer/treeModel";
import { ExplorerModel } from "../../../client/src/explorer/treeModel";
import { noRunMarkdown, restrictedMarkdown, valueMarkdown } from "../../../client/src/hoverValues/hoverText";
import { ValueCache, ValueLookup, type RunSource } from "../../../client/src/hoverValues/valueLookup";
import { runPreview } from "../../../client/src/previews/previewRunner";
import { labDir, repoRoot, runCli } from "./helpers";

const dir = labDir();
for (let i = 0; i < 2; i++) assert.equal(runCli(dir, ["run", join(dir, "flow.py"), "--json"]).status, 0);
const model = new ExplorerModel(new LocalObjectStore(join(dir, ".metaflow")));

/** The model, counting the task listings it is asked for. */
function counting(): { source: RunSource; calls: string[] } {
  const calls: string[] = [];
  const source: RunSource = {
    ds: (flow) => model.ds(flow),
    tasks: (flow, runId, step) => {
      calls.push(`${runId}/${step}`);
      return model.tasks(flow, runId, step);
    },
    artifacts: (t: TaskItem) => model.artifacts(t),
  };
  return { source, calls };
}

void test("the value shown is the newest run's, at a step that sets it, and loads with real Python", async () => {
  const { source, calls } = counting();
  const lookup = new ValueLookup(source);
  const total = await lookup.find("LabFlow", ["join"], "total");
  assert.equal(total?.runId, "2");
  assert.equal(total?.step, "join");
  // A second hover reads nothing again.
  await lookup.find("LabFlow", ["join"], "total");
  assert.deepEqual(calls, ["2/join"]);
  const r = await runPreview({ python: "python3", pythonDir: join(repoRoot, "runtime", "python"), datastore: { kind: "local", root: join(dir, ".metaflow"), env: {} }, flow: "LabFlow", sha: total.sha, flowFile: join(dir, "flow.py") });
  const md = valueMarkdown(total, r, "command:flowlens.artifact.preview?x");
  assert.match(md, /^\*\*Value in the latest run\*\* — run `2`, step `join`, task \d+ · \[open preview\]\(command:flowlens\.artifact\.preview\?x\)/);
  assert.match(md, /```json\n24\n```/);
});

void test("an artifact no recent run has at those steps is undefined, and the hover says why", async () => {
  const lookup = new ValueLookup(counting().source);
  assert.equal(await lookup.find("LabFlow", ["start"], "total"), undefined);
  assert.equal(await lookup.find("LabFlow", ["join"], "nothing_like_this"), undefined);
  assert.match(noRunMarkdown("LabFlow", ["start"]), /no recent run of `LabFlow` has it at `start`/);
  assert.match(noRunMarkdown("LabFlow", []), /no step upstream sets this artifact/);
});

void test("in Restricted Mode the hover says the value is not loaded, and where it would come from", async () => {
  const items = await new ValueLookup(model).find("LabFlow", ["start"], "items");
  assert.ok(items);
  const md = restrictedMarkdown(items);
  assert.match(md, /^\*\*Value not loaded\*\* \(latest: run `2`, step `start`, task \d+, list\)/);
  assert.match(md, /only in a trusted workspace/);
  assert.doesNotMatch(md, /\[1, 2, 3\]|```/);
});

void test("a long value is shortened, and a value holding backticks cannot break out of its block", () => {
  const a = { kind: "artifact" as const, flow: "F", runId: "7", step: "s", taskId: "3", attempt: 1, name: "x", sha: "0", type: "str", size: 1 };
  const long = valueMarkdown(a, { kind: "text", text: "y".repeat(5000) }, "command:x");
  assert.ok(long.length < 800, String(long.length));
  assert.match(long, /attempt 1/);
  const ticks = valueMarkdown(a, { kind: "text", text: "a ``` b" }, "command:x");
  assert.match(ticks, /````\na ``` b\n````/);
});

void test("values are loaded once per content hash, and the least recently used is dropped first", async () => {
  const cache = new ValueCache<number>(2);
  let loads = 0;
  const load = () => Promise.resolve(++loads);
  assert.equal(await cache.get("a", load), 1);
  assert.equal(await cache.get("a", load), 1);
  await cache.get("b", load);
  await cache.get("a", load);
  await cache.get("c", load);
  // b was the least recently used: loaded again; a was kept.
  assert.equal(await cache.get("a", load), 1);
  assert.equal(await cache.get("b", load), 4);
});
