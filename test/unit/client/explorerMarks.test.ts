// The Runs view on real runs: retried and caught tasks carry their mark (never the plain green
// pass), a task killed out of memory reads as failed with its cause and the memory it reached, the
// log lines that show it are found, and steps are listed in flow order for a realistic flow.
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { LocalObjectStore } from "../../../runtime/src/datastore/local";
import { ExplorerModel, orderSteps, type StepItem, type TaskItem } from "../../../client/src/explorer/treeModel";
import { itemText } from "../../../client/src/explorer/treeLabels";
import { logEvidence } from "../../../client/src/explorer/taskOutcome";
import { repoRoot, runCli } from "./helpers";

function fixtureRun(name: string): ExplorerModel {
  const dir = mkdtempSync(join(tmpdir(), `flowlens-${name}-`));
  copyFileSync(join(repoRoot, "test", "runtime", "fixtures", name, "flow.py"), join(dir, "flow.py"));
  runCli(dir, ["run", join(dir, "flow.py"), "--json"]);
  return new ExplorerModel(new LocalObjectStore(join(dir, ".metaflow")));
}

async function onlyTask(model: ExplorerModel, flow: string, step: string): Promise<TaskItem> {
  const tasks = (await model.tasks(flow, "1", step, "succeeded")) as TaskItem[];
  assert.equal(tasks.length, 1);
  return tasks[0]!;
}

void test("a retried task and a caught task are marked, with the attempt and the exception; a plain one is not", async () => {
  const model = fixtureRun("marks");
  const flaky = await onlyTask(model, "MarksFlow", "flaky");
  assert.equal(flaky.mark, "retried");
  assert.equal(flaky.markDetail, "succeeded on attempt 2");
  const flakyText = itemText(flaky);
  assert.match(flakyText.description ?? "", /^succeeded after retry · attempt 1$/);
  assert.deepEqual([flakyText.icon, flakyText.color], ["warning", "editorWarning.foreground"]);
  const risky = await onlyTask(model, "MarksFlow", "risky");
  assert.equal(risky.mark, "caught");
  assert.match(itemText(risky).description ?? "", /^caught an exception · ValueError: bad row 7$/);
  assert.match(itemText(risky).tooltip ?? "", /raise ValueError\("bad row 7"\)/, "the tooltip has the caught traceback");
  const end = await onlyTask(model, "MarksFlow", "end");
  assert.equal(end.mark, undefined, "a later step that only inherits the caught artifact is not marked");
  assert.equal(itemText(end).icon, "pass");
  const log = "# stdout\n(empty)\n# stderr\n@catch caught an exception in step risky:\nTraceback (most recent call last):\nValueError: bad row 7\n";
  assert.deepEqual(logEvidence(risky, log), [3, 5]);
});

void test("a task killed by SIGKILL after allocating memory is failed, out of memory, with its peak memory", async () => {
  const model = fixtureRun("oom");
  const grow = await onlyTask(model, "OomFlow", "grow");
  assert.equal(grow.status, "failed", "not 'incomplete': the attempt's outcome says why it died");
  assert.equal(grow.failure?.cause, "out-of-memory");
  assert.ok((grow.peakRssBytes ?? 0) >= 64 * 1024 * 1024);
  assert.match(itemText(grow).description ?? "", /^failed · Out of memory: killed by SIGKILL after reaching \d+ MB$/);
  assert.deepEqual(logEvidence(grow, "# stdout\nallocated 67108864 bytes\n# stderr\nThe task process was killed by SIGKILL (out of memory?)\n"), [3]);
});

void test("steps are listed in flow order for a flow whose graph is too large for a JSON preview", async () => {
  const names = ["start", "zeta", "yankee", "xray", "whiskey", "victor", "uniform", "tango", "sierra", "romeo", "quebec", "papa", "oscar", "end"];
  const body = names
    .map((n, i) => `    @step\n    def ${n}(self):\n        """${"A step with a docstring long enough to make the graph large. ".repeat(2)}"""\n${n === "end" ? "        pass" : `        self.next(self.${names[i + 1] ?? "end"})`}\n`)
    .join("\n");
  const dir = mkdtempSync(join(tmpdir(), "flowlens-order-"));
  writeFileSync(join(dir, "flow.py"), `from metaflow import FlowSpec, step\n\n\nclass LongFlow(FlowSpec):\n${body}\n\nif __name__ == "__main__":\n    LongFlow()\n`);
  const r = runCli(dir, ["run", join(dir, "flow.py"), "--json"]);
  assert.equal(r.status, 0, r.stderr);
  const model = new ExplorerModel(new LocalObjectStore(join(dir, ".metaflow")));
  const steps = (await model.steps("LongFlow", "1")) as StepItem[];
  assert.deepEqual(steps.map((s) => s.step), ["_parameters", ...names]);
});

void test("without a recorded order (a run made by Metaflow), start comes first and end last", () => {
  assert.deepEqual(orderSteps(["end", "b", "start", "a", "_parameters"], []), ["_parameters", "start", "a", "b", "end"]);
  assert.deepEqual(orderSteps(["end", "b", "start", "a"], ["start", "b", "a", "end"]), ["start", "b", "a", "end"]);
});
