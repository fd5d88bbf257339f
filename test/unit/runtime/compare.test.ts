// The pure parts of run comparison: value differences by path, the unified diff of code, the
// pairing of foreach tasks and the step order, and the tab's message checkers.

import assert from "node:assert/strict";
import { test } from "node:test";
import { compareRuns } from "../../../runtime/src/compare/compareRuns";
import { jsonDiff, valueDiffOf } from "../../../runtime/src/compare/jsonDiff";
import { unifiedDiff } from "../../../runtime/src/compare/lineDiff";
import type { RunSnapshot, StepSnapshot } from "../../../runtime/src/compare/readRun";
import { isCompareHostMessage, isCompareWebviewMessage, type ArtifactSide } from "../../../server/src/protocol/runComparison";

void test("jsonDiff names each change by its path, and cuts a long list", () => {
  assert.deepEqual(jsonDiff({ a: { b: [1, 2] }, c: 1 }, { a: { b: [1, 3, 4] }, d: 2 }), [
    { path: "a.b[1]", kind: "changed", a: 2, b: 3 },
    { path: "a.b[2]", kind: "added", b: 4 },
    { path: "c", kind: "removed", a: 1 },
    { path: "d", kind: "added", b: 2 },
  ]);
  const many = jsonDiff(Array.from({ length: 60 }, (_, i) => i), Array.from({ length: 60 }, (_, i) => -i - 1), 50);
  assert.equal(many.length, 51);
  assert.equal(many.at(-1)?.path, "(10 more changes)");
  assert.equal(valueDiffOf(1, 2), undefined, "a scalar's change needs no path list");
});

void test("unifiedDiff gives hunks with line numbers and context", () => {
  const a = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
  const b = a.replace("line 5\n", "line five\n").replace("line 18\n", "line 18\nadded\n");
  assert.equal(
    unifiedDiff(a, b),
    ["@@ -2,7 +2,7 @@", " line 2", " line 3", " line 4", "-line 5", "+line five", " line 6", " line 7", " line 8", "@@ -16,5 +16,6 @@", " line 16", " line 17", " line 18", "+added", " line 19", " line 20"].join("\n"),
  );
  assert.equal(unifiedDiff("same\n", "same\n"), "");
});

const side = (sha: string, json?: unknown): ArtifactSide => ({ sha, type: "<class 'int'>", size: 5, ...(json !== undefined ? { json } : {}) });

function step(name: string, start: number, tasks: Record<string, string>[]): StepSnapshot {
  return { name, tasks: tasks.map((artifacts, i) => ({ id: String(i + 1), attempt: 0, start: start + i, end: start + i + 1, artifacts: new Map(Object.entries(artifacts).map(([k, v]) => [k, side(v)])) })) };
}

function snapshot(runId: string, steps: StepSnapshot[], parameters: Record<string, ArtifactSide> = {}): RunSnapshot {
  return { side: { flow: "F", runId, madeBy: "flowlens", tags: [] }, parameters: new Map(Object.entries(parameters)), parameterNames: new Set(Object.keys(parameters)), steps, problems: [] };
}

void test("compareRuns pairs foreach tasks by order, keeps parameters in their own section and merges the step orders", () => {
  const a = snapshot("1", [step("start", 0, [{ alpha: "p1", x: "a" }]), step("work", 10, [{ y: "1" }, { y: "2" }, { y: "3" }]), step("end", 20, [{}])], { alpha: side("p1", 1) });
  const b = snapshot("2", [step("start", 0, [{ alpha: "p2", x: "a" }]), step("work", 10, [{ y: "1" }, { y: "9" }, { y: "3" }]), step("extra", 15, [{ z: "z" }]), step("end", 20, [{}])], { alpha: side("p2", 2) });
  const c = compareRuns(a, b, { available: false, reason: "test" });
  assert.deepEqual(c.steps.map((s) => [s.step, s.status]), [["start", "both"], ["work", "both"], ["extra", "only-b"], ["end", "both"]]);
  assert.deepEqual(c.steps[0]?.artifacts.map((d) => [d.name, d.status]), [["x", "same"]], "alpha is a parameter");
  assert.deepEqual(c.parameters.map((p) => [p.name, p.status, p.kind]), [["alpha", "changed", "parameter"]]);
  const y = c.steps[1]?.artifacts[0];
  assert.deepEqual([y?.status, y?.tasks], ["changed", { changed: 1, total: 3 }]);
  assert.equal(c.steps[1]?.seconds.a, 3);
});

void test("compareRuns pairs foreach tasks by their place in the foreach, not by task id, when both runs say it", () => {
  // Task ids follow the order tasks were created: after a foreach, the order its items finished.
  const placed = (name: string, order: number[]): StepSnapshot => {
    const s = step(name, 10, order.map((i) => ({ square: `sha-of-${i * i}` })));
    s.tasks.forEach((t, k) => (t.foreach = `start:${order[k]}`));
    return s;
  };
  const c = compareRuns(snapshot("1", [placed("after", [1, 2, 0])]), snapshot("2", [placed("after", [0, 1, 2])]), { available: false, reason: "test" });
  const square = c.steps[0]?.artifacts.find((d) => d.name === "square");
  assert.deepEqual([square?.status, square?.tasks], ["same", { changed: 0, total: 3 }]);
  // An item only one run has is a pair with one side.
  const d = compareRuns(snapshot("1", [placed("after", [1, 0])]), snapshot("2", [placed("after", [0, 1, 2])]), { available: false, reason: "test" });
  assert.deepEqual(d.steps[0]?.artifacts.find((x) => x.name === "square")?.tasks, { changed: 1, total: 3 });
});

void test("the comparison tab's messages are checked on arrival", () => {
  assert.ok(isCompareWebviewMessage({ type: "openCodeDiff", path: "flow.py" }));
  assert.ok(isCompareWebviewMessage({ type: "rendered", runs: ["1", "2"], changed: 3, ms: 4 }));
  assert.ok(!isCompareWebviewMessage({ type: "openCodeDiff" }));
  assert.ok(!isCompareWebviewMessage({ type: "rendered", runs: ["1"], changed: 3, ms: 4 }));
  assert.ok(isCompareHostMessage({ type: "compareError", message: "x" }));
  assert.ok(!isCompareHostMessage({ type: "comparison", comparison: {} }));
});
