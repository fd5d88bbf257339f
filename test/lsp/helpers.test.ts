// The pure helpers of server/src/lsp over models the real core builds from fixture text.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { CoreEngine } from "../../server/src/lsp/coreTypes";
import { loadEngine } from "../../server/src/lsp/engine";
import { ancestors, reachingWrites, stepByName, visibleArtifacts } from "../../server/src/lsp/flowGraph";
import { evidentType } from "../../server/src/lsp/hover";
import { nameSpanIn, stringContentSpan, symbolAt } from "../../server/src/lsp/query";

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

void describe("lsp helpers", () => {
  let core: CoreEngine;
  before(async () => {
    core = await loadEngine();
  });

  void it("finds the writes that reach a read, stopping each path at the first write", () => {
    const flow = core.analyze(diamond, "/tmp/diamond.py", () => undefined).flows[0];
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
    assert.deepEqual([...visibleArtifacts(flow, end).keys()].sort(), ["x", "y"]);
  });

  void it("knows what is under the cursor", () => {
    const result = core.analyze(diamond, "/tmp/diamond.py", () => undefined);
    const at = (marker: string, delta: number) => symbolAt(result, diamond, diamond.indexOf(marker) + delta);
    assert.deepEqual(pick(at("self.next(self.join)", 15)), { kind: "step", name: "join" });
    assert.deepEqual(pick(at("inputs.b.x", 7)), { kind: "step", name: "b" });
    assert.deepEqual(pick(at("inputs.b.x", 9)), { kind: "artifact", name: "x" });
    assert.deepEqual(pick(at("def a", 4)), { kind: "step", name: "a" });
    assert.equal(at("print(", 1), undefined);
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

function pick(sym: ReturnType<typeof symbolAt>): { kind: string; name: string } | undefined {
  if (!sym) return undefined;
  if (sym.kind === "step") return { kind: "step", name: sym.step };
  if (sym.kind === "artifact") return { kind: "artifact", name: sym.name };
  return { kind: sym.kind, name: "" };
}
