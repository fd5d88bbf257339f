// The IDE layer of the analysis core (analysis/ide) on fixture flows: what is at an offset, what
// completion offers, where definitions are, and that artifact answers follow the same data-flow
// engine as FL201–FL203.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import type { Analyzer } from "../../../server/src/analysis/index";
import { availableArtifacts, completionsAt, definitions, evidentType, fixesFor, hoverFacts, reachingWrites, references, stepByName, symbolAt } from "../../../server/src/analysis/ide";
import { nameSpanIn, stringContentSpan } from "../../../server/src/analysis/ide/symbols";
import { ancestors } from "../../../server/src/analysis/ide/walks";
import { getAnalyzer } from "./helpers";

const joinPath = join(__dirname, "fixtures", "join_flow.py");
const joinFlow = readFileSync(joinPath, "utf8");

const diamond = `from metaflow import FlowSpec, step


class D(FlowSpec):
    @step
    def start(self):
        self.x = 1
        self.next(self.a, self.b)

    @step
    def a(self):
        self.x = 2
        self.next(self.join)

    @step
    def b(self):
        self.next(self.join)

    @step
    def join(self, inputs):
        self.y = inputs.b.x
        self.merge_artifacts(inputs, exclude=["x"])
        self.x = 3
        self.next(self.end)

    @step
    def end(self):
        print(self.x, self.y)
`;

/** The offset `delta` characters into the `nth` occurrence of `marker`. */
function at(text: string, marker: string, delta = 0, nth = 0): number {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(marker, i + 1);
  assert.ok(i >= 0, `marker ${marker}`);
  return i + delta;
}

/** The steps a list of spans lies in, in the flow's own text. */
function stepsOf(ctx: { flowSteps: { name: string; span: { start: number; end: number } }[] }, spans: { start: number }[]): string[] {
  return spans.map((s) => ctx.flowSteps.find((st) => st.span.start <= s.start && s.start <= st.span.end)?.name ?? "?").sort();
}

void describe("IDE queries: data flow and what is at an offset", () => {
  let core: Analyzer;
  before(async () => {
    core = await getAnalyzer();
  });

  void it("finds the writes that reach a read, stopping each path at the first write", () => {
    const flow = core.analyze(diamond, { file: "/tmp/diamond.py" }).flows[0];
    assert.ok(flow);
    const join = stepByName(flow, "join");
    const end = stepByName(flow, "end");
    assert.ok(join && end);
    const viaB = reachingWrites(flow, join, "x", diamond.indexOf("inputs.b.x"), "b");
    assert.deepEqual(viaB.map((w) => w.step.name), ["start"]);
    const inEnd = reachingWrites(flow, end, "x", diamond.indexOf("print(self.x"));
    assert.deepEqual(inEnd.map((w) => w.step.name), ["join"]);
    const local = reachingWrites(flow, join, "x", diamond.length);
    assert.deepEqual(local.map((w) => w.step.name), ["join"]);
    assert.deepEqual([...ancestors(flow, "join")].sort(), ["a", "b", "start"]);
    assert.deepEqual(availableArtifacts(flow, end, diamond.indexOf("print(self.x")).map((a) => a.name).sort(), ["x", "y"]);
  });

  void it("knows what is under the cursor", () => {
    const result = core.analyze(diamond, { file: "/tmp/diamond.py" });
    const sym = (marker: string, delta: number) => symbolAt(result, diamond, diamond.indexOf(marker) + delta);
    assert.deepEqual(pick(sym("self.next(self.join)", 15)), { kind: "step", name: "join" });
    assert.deepEqual(pick(sym("inputs.b.x", 7)), { kind: "step", name: "b" });
    assert.deepEqual(pick(sym("inputs.b.x", 9)), { kind: "artifact", name: "x" });
    assert.deepEqual(pick(sym("def a", 4)), { kind: "step", name: "a" });
    assert.equal(sym("print(", 1), undefined);
  });

  void it("finds name tokens, string contents and evident types", () => {
    const text = "self.xx = self.x + 1";
    assert.deepEqual(nameSpanIn(text, { start: 0, end: text.length }, "x"), { start: 15, end: 16 });
    assert.deepEqual(stringContentSpan('a = "grid"', { start: 4, end: 10 }), { start: 5, end: 9 });
    assert.equal(evidentType("self.a = [1]", 6), "list");
    assert.equal(evidentType("self.a = 1.5", 6), "float");
    assert.equal(evidentType("self.a = {'k': 1}", 6), "dict");
    assert.equal(evidentType("self.a = f(x)", 6), undefined);
  });

});

void describe("IDE queries in joins, on broken text, as plain data", () => {
  let core: Analyzer;
  before(async () => {
    core = await getAnalyzer();
  });

  void it("in a join without merge_artifacts, offers and defines only what FL203 lets reach it", () => {
    const result = core.analyze(joinFlow, { file: joinPath });
    const flow = result.flows[0];
    assert.ok(flow);
    const ctx = { flowSteps: flow.steps };
    const fl203 = result.diagnostics.filter((d) => d.code === "FL203").map((d) => joinFlow.slice(d.span.start, d.span.end));
    assert.deepEqual(fl203, ["x"], JSON.stringify(result.diagnostics));
    // Completion at the read FL203 reports: the branches' x and start's base do not reach the join.
    const offered = completionsAt(result, joinFlow, at(joinFlow, "print(self.x)", "print(self.".length)).map((c) => c.label);
    assert.ok(!offered.includes("x") && !offered.includes("base"), offered.join(","));
    assert.ok(offered.includes("total") && offered.includes("next"), offered.join(","));
    // Go to definition of that read: nothing reaches it.
    assert.deepEqual(definitions(result, joinFlow, at(joinFlow, "print(self.x)", "print(self.".length)), []);
    // inputs iterated in the join read the branches themselves.
    assert.deepEqual(stepsOf(ctx, definitions(result, joinFlow, at(joinFlow, "i.x for", 2)).map((t) => t.span)), ["a", "b"]);
    // After the join, x stops there (FL201 in end): no jump to the branches either.
    assert.deepEqual(definitions(result, joinFlow, at(joinFlow, "self.total, self.x", "self.total, self.".length)), []);
    assert.deepEqual(stepsOf(ctx, definitions(result, joinFlow, at(joinFlow, "self.total, self.x", 5)).map((t) => t.span)), ["join"]);
  });

  void it("in a join with merge_artifacts, offers and defines the merged artifacts after the call", () => {
    const result = core.analyze(joinFlow, { file: joinPath });
    const flow = result.flows[0];
    assert.ok(flow);
    const ctx = { flowSteps: flow.steps };
    const afterMerge = at(joinFlow, "print(self.y, first)", "print(self.".length);
    assert.ok(completionsAt(result, joinFlow, afterMerge).some((c) => c.label === "y"));
    assert.deepEqual(stepsOf(ctx, definitions(result, joinFlow, afterMerge).map((t) => t.span)), ["c", "d"]);
    assert.deepEqual(stepsOf(ctx, definitions(result, joinFlow, at(joinFlow, "inputs.c.y", 9)).map((t) => t.span)), ["c"]);
    // Before the call, the same join sees no y.
    const beforeMerge = at(joinFlow, "first = inputs", 0);
    assert.ok(!completionsAt(result, joinFlow, beforeMerge + "first = self.".length).some((c) => c.label === "y"));
  });

  void it("answers while the line being typed does not parse yet", () => {
    const typing = joinFlow.replace("        print(self.x)\n", "        value = (self.\n        print(self.x)\n");
    const result = core.analyze(typing, { file: joinPath });
    assert.ok(result.diagnostics.some((d) => d.code === "FL000"), JSON.stringify(result.diagnostics));
    const offered = completionsAt(result, typing, at(typing, "value = (self.", "value = (self.".length)).map((c) => c.label);
    assert.ok(!offered.includes("x"), offered.join(","));
    assert.ok(offered.includes("total"), offered.join(","));
  });

  void it("gives hover facts, references and fixes as plain data", () => {
    const result = core.analyze(joinFlow, { file: joinPath });
    const facts = hoverFacts(result, joinFlow, at(joinFlow, "print(self.y, first)", "print(self.".length));
    assert.equal(facts?.kind, "artifact-read");
    assert.deepEqual(facts?.kind === "artifact-read" ? facts.types : [], ["int"]);
    const refs = references(result, joinFlow, at(joinFlow, "self.y = 1", 5));
    assert.deepEqual(refs.map((r) => r.isWrite), [true, true, false, false]);
    const broken = joinFlow.replace("        self.next(self.merged_split)\n", "");
    const r2 = core.analyze(broken, { file: joinPath });
    const fl008 = r2.diagnostics.find((d) => d.code === "FL008");
    assert.ok(fl008);
    const [fix] = fixesFor(r2, broken, fl008);
    assert.equal(fix?.title, "Add self.next(self.merged_split)");
    assert.deepEqual(fix?.edits.map((e) => e.newText), ["\n        self.next(self.merged_split)"]);
  });
});

function pick(sym: ReturnType<typeof symbolAt>): { kind: string; name: string } | undefined {
  if (!sym) return undefined;
  if (sym.kind === "step") return { kind: "step", name: sym.step };
  if (sym.kind === "artifact") return { kind: "artifact", name: sym.name };
  return { kind: sym.kind, name: "" };
}
