// `flowlens compare` on real runs: two Flowlens runs of one flow whose parameter, tags and code
// differ, the short forms (Flow, Flow/RUN), the refusals, and --values with a data frame.

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import type { RunComparison } from "../../server/src/protocol/runComparison";
import { flowlens, runIdOf, workspace } from "./cli";

async function twoRuns(env: NodeJS.ProcessEnv = {}): Promise<{ dir: string; a: string; b: string }> {
  const { dir, files } = workspace("test/runtime/fixtures/compare/flow.py");
  const file = files[0] ?? "";
  const first = await flowlens(["run", file, "--json", "--tag", "baseline", "--tag", "shared"], dir, env);
  assert.equal(first.code, 0, first.stderr);
  // The second run's code differs: `end` sets one more artifact.
  writeFileSync(file, readFileSync(file, "utf8").replace('print("total", self.total)', 'print("total", self.total)\n        self.extra = 1'));
  const second = await flowlens(["run", file, "--json", "--alpha", "2", "--tag", "shared", "--tag", "candidate"], dir, env);
  assert.equal(second.code, 0, second.stderr);
  return { dir, a: runIdOf(first.events), b: runIdOf(second.events) };
}

void test("compare --json: parameters, artifacts by step, durations, tags and code of two Flowlens runs", { timeout: 180_000 }, async () => {
  const { dir, a, b } = await twoRuns();
  const r = await flowlens(["compare", `CompareFlow/${a}`, `CompareFlow/${b}`, "--json"], dir);
  assert.equal(r.code, 0, r.stderr);
  const c = JSON.parse(r.stdout) as RunComparison;
  assert.equal(c.a.runId, a);
  assert.equal(c.b.runId, b);
  assert.equal(c.a.madeBy, "flowlens");
  const alpha = c.parameters.find((p) => p.name === "alpha");
  assert.equal(alpha?.status, "changed");
  assert.equal(alpha?.kind, "parameter");
  assert.deepEqual([alpha?.a?.json, alpha?.b?.json], [1, 2], "stored JSON values, nothing loaded");
  assert.deepEqual(c.steps.map((s) => s.step), ["start", "work", "join", "end"], "flow order");
  const byName = (step: string, name: string) => c.steps.find((s) => s.step === step)?.artifacts.find((x) => x.name === name);
  assert.equal(byName("start", "items")?.status, "same");
  assert.equal(byName("start", "fixed")?.status, "same");
  assert.equal(byName("start", "alpha"), undefined, "parameters are compared once, in their own section");
  assert.deepEqual(byName("start", "settings")?.valueDiff, [{ path: "lr", kind: "changed", a: 0.5, b: 1 }]);
  assert.equal(byName("work", "square")?.status, "changed");
  assert.deepEqual(byName("work", "square")?.tasks, { changed: 3, total: 3 });
  assert.equal(byName("join", "total")?.status, "changed");
  assert.equal(byName("end", "extra")?.status, "only-b");
  const work = c.steps.find((s) => s.step === "work");
  assert.deepEqual(work?.tasks, { a: 3, b: 3 });
  assert.ok(typeof work?.seconds.a === "number" && typeof work.seconds.b === "number", "wall times of both runs");
  assert.deepEqual(c.tags, { both: ["shared"], onlyA: ["baseline"], onlyB: ["candidate"] });
  assert.ok(c.code.available, "both runs stored a code package");
  if (!c.code.available) return;
  const flowFile = c.code.files.find((f) => f.path === "flow.py");
  assert.equal(flowFile?.status, "changed");
  assert.match(flowFile?.diff ?? "", /^\+ {8}self\.extra = 1$/m);
  assert.equal(c.valuesLoaded, false);

  // Text: the headline, a changed value with its path, the code diff.
  const text = await flowlens(["compare", `CompareFlow/${a}`, `CompareFlow/${b}`], dir);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`^Comparing CompareFlow/${a} \\(A\\) with CompareFlow/${b} \\(B\\)$`, "m"));
  assert.match(text.stdout, /^ {2}alpha\s+changed: 1 → 2$/m);
  assert.match(text.stdout, /^ {6}lr: 0\.5 → 1$/m);
  assert.match(text.stdout, /^ {4}square\s+changed \(3 of 3 tasks\)/m);
  assert.match(text.stdout, /^ {2}only in B: candidate$/m);
  assert.match(text.stdout, /^ {4}\+ {8}self\.extra = 1$/m);

  // The short forms: Flow (latest against the one before) and Flow/RUN (that run against the one before).
  for (const args of [["CompareFlow"], [`CompareFlow/${b}`], ["CompareFlow/latest"]]) {
    const short = await flowlens(["compare", ...args, "--json"], dir);
    assert.equal(short.code, 0, short.stderr);
    const sc = JSON.parse(short.stdout) as RunComparison;
    assert.deepEqual([sc.a.runId, sc.b.runId], [a, b], args.join(" "));
  }

  // Refusals: one line each.
  const first = await flowlens(["compare", `CompareFlow/${a}`], dir);
  assert.equal(first.code, 1);
  assert.match(first.stderr, /^flowlens compare: CompareFlow\/\d+ is the first run of CompareFlow in local:.*: there is no run before it to compare with\n$/);
  const missing = await flowlens(["compare", "CompareFlow/999", `CompareFlow/${b}`], dir);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^flowlens compare: CompareFlow has no run 999 in local:/);
  assert.equal(missing.stderr.trim().split("\n").length, 1);
  const usage = await flowlens(["compare", "CompareFlow/1", "OtherFlow/2"], dir);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /both runs must be of one flow/);
  const none = await flowlens(["compare"], dir);
  assert.equal(none.code, 2);
  const noPython = await flowlens(["compare", "CompareFlow", "--values", "--python", "/nonexistent/python3"], dir);
  assert.equal(noPython.code, 1);
  assert.match(noPython.stderr, /^flowlens compare: --values: cannot start the Python interpreter '\/nonexistent\/python3': .*\n$/);
});

const pandasPython = process.env.FLOWLENS_PANDAS_PYTHON;

void test(
  "compare --values loads changed values: JSON differences, and data-frame statistics per column",
  { timeout: 180_000, skip: pandasPython ? false : "set FLOWLENS_PANDAS_PYTHON to a Python with pandas (npm run setup:e2e makes one)" },
  async () => {
    const env = { FLOWLENS_PYTHON: pandasPython ?? "", COMPARE_FRAME: "1" };
    const { dir, a, b } = await twoRuns(env);
    const r = await flowlens(["compare", `CompareFlow/${a}`, `CompareFlow/${b}`, "--json", "--values"], dir, env);
    assert.equal(r.code, 0, r.stderr);
    const c = JSON.parse(r.stdout) as RunComparison;
    assert.equal(c.valuesLoaded, true);
    const frame = c.steps.find((s) => s.step === "start")?.artifacts.find((x) => x.name === "frame");
    assert.equal(frame?.status, "changed");
    const loadedB = frame?.loaded?.b;
    assert.equal(loadedB?.kind, "frame");
    if (loadedB?.kind !== "frame") return;
    assert.deepEqual(loadedB.shape, [3, 2]);
    const x = loadedB.columns.find((col) => col.name === "x");
    assert.deepEqual([x?.stats?.min, x?.stats?.max, x?.stats?.count], [1, 6, 3], "statistics of column x alone");
    assert.equal(loadedB.columns.find((col) => col.name === "label")?.stats, undefined, "no statistics for a text column");
    const text = await flowlens(["compare", `CompareFlow/${a}`, `CompareFlow/${b}`, "--values"], dir, env);
    assert.match(text.stdout, /^ {6}B x \(float64\): count 3 · NaN 0 · min 1 · max 6 · mean 3 · std /m);
  },
);

void test("compare pairs a foreach's tasks by item: a step after the foreach whose tasks were created in another order compares item i with item i", { timeout: 180_000 }, async () => {
  const { dir, files } = workspace("test/runtime/fixtures/compare-order/flow.py");
  const file = files[0] ?? "";
  // The slow item finishes last, so the tasks of `after` get their ids in another order in each run.
  const first = await flowlens(["run", file, "--json", "--slow", "0"], dir);
  assert.equal(first.code, 0, first.stderr);
  const second = await flowlens(["run", file, "--json", "--slow", "2"], dir);
  assert.equal(second.code, 0, second.stderr);
  const r = await flowlens(["compare", "OrderFlow", "--json"], dir);
  assert.equal(r.code, 0, r.stderr);
  const c = JSON.parse(r.stdout) as RunComparison;
  const after = c.steps.find((s) => s.step === "after");
  for (const name of ["square", "input", "index"]) {
    const d = after?.artifacts.find((x) => x.name === name);
    assert.deepEqual([d?.status, d?.tasks], ["same", { changed: 0, total: 3 }], name);
  }
  const text = await flowlens(["compare", "OrderFlow"], dir);
  assert.match(text.stdout, /^ {2}after: .* — 4 same$/m, "index, input, square and the inherited items: all the same");
});
