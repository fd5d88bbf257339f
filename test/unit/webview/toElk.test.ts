// Graph → ELK conversion, checked on its own and by running the real elkjs layout on the result.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import ELK from "elkjs";
import { flowGraph } from "../../../server/src/lsp/graph";
import { badgeText, layoutOptions, toElk, toGraphView } from "../../../webview/src/toElk";
import { analyzeFixtureFile } from "../analysis/helpers";
import { bigFlow, everyKindFlow, flowGraph as sampleFlowGraph } from "./sampleGraphs";

const options = { showDecorators: true, nodeSpacing: 24 };

void test("every step becomes a node with its type, subtitle and badges", () => {
  const view = toGraphView(everyKindFlow(), options);
  const byId = new Map(view.nodes.map((n) => [n.id, n]));
  assert.equal(view.nodes.length, 14);
  assert.equal(byId.get("start")?.type, "split-static");
  assert.equal(byId.get("fan")?.subtitle, "foreach items");
  assert.equal(byId.get("choose")?.subtitle, "switch on size");
  assert.equal(byId.get("par")?.subtitle, "parallel");
  // The badge is the decorator as written; the tooltip adds what Metaflow fills in.
  assert.deepEqual(byId.get("a")?.badges, ["@retry(times=3)"]);
  assert.deepEqual(byId.get("a")?.decorators, ["@retry(times=3, minutes_between_retries=2)"]);
  assert.deepEqual(byId.get("b")?.badges, ["@batch(cpu=4, memory=16000)"]);
  assert.equal(byId.get("big")?.mark, "warning");
  assert.equal(byId.get("small")?.mark, undefined);
  // Badges make a node taller, so ELK leaves room for them.
  assert.ok(byId.get("b")!.height > byId.get("small")!.height);
});

void test("badges can be turned off", () => {
  const view = toGraphView(everyKindFlow(), { ...options, showDecorators: false });
  assert.ok(view.nodes.every((n) => n.badges.length === 0));
});

void test("edges: one per distinct target, switch edges carry their case keys, foreach edges fan out", () => {
  const view = toGraphView(everyKindFlow(), options);
  const byId = new Map(view.edges.map((e) => [e.id, e]));
  assert.equal(view.edges.length, 15);
  assert.equal(byId.get("choose->small")?.label, "s, m");
  assert.equal(byId.get("choose->big")?.label, "l");
  assert.equal(byId.get("fan->work")?.fanOut, true);
  assert.equal(byId.get("par->train")?.fanOut, true);
  assert.equal(byId.get("a->join_ab")?.fanOut, false);
});

void test("a transition to a step that does not exist gets a 'missing' node instead of breaking the layout", () => {
  const view = toGraphView(sampleFlowGraph("F", { start: { next: ["trian"] }, end: { next: [] } }), options);
  const missing = view.nodes.find((n) => n.id === "trian");
  assert.equal(missing?.type, "missing");
  assert.equal(view.edges.length, 1);
});

void test("long badges are shortened", () => {
  const text = badgeText("resources", { cpu: 64, memory: 512000, gpu: 8, shared_memory: 1000 });
  assert.ok(text.length <= 30, text);
  assert.ok(text.endsWith("…"));
});

void test("big graphs use the faster layout settings", () => {
  assert.equal(layoutOptions(20, options)["elk.layered.thoroughness"], "3");
  assert.equal(layoutOptions(500, options)["elk.layered.thoroughness"], "1");
  assert.equal(layoutOptions(20, options)["elk.direction"], "DOWN");
});

void test("elkjs lays out the converted graphs: every node placed, every edge routed, top to bottom", async () => {
  const elk = new ELK();
  for (const flow of [everyKindFlow(), bigFlow(60)]) {
    const view = toGraphView(flow, options);
    const laid = await elk.layout(toElk(view, options));
    assert.equal(laid.children?.length, view.nodes.length);
    for (const c of laid.children ?? []) assert.ok(Number.isFinite(c.x) && Number.isFinite(c.y), c.id);
    for (const e of laid.edges ?? []) assert.ok((e.sections?.length ?? 0) > 0, `edge ${e.id} not routed`);
    const y = new Map((laid.children ?? []).map((c) => [c.id, c.y ?? 0]));
    assert.ok(y.get("start")! < y.get("end")!, "start is above end");
  }
});

void test("branches are drawn left to right in the order self.next names them, even when one is bigger", async () => {
  const elk = new ELK();
  const split = sampleFlowGraph("HelloFlow", {
    start: { next: ["a", "b", "c"], type: "split-static" },
    a: { next: ["join"], decorators: [{ name: "retry", attributes: { times: 3 }, statically_defined: true }] },
    b: { next: ["join"] },
    c: { next: ["join"], decorators: [{ name: "resources", attributes: { cpu: 4, memory: 16000 }, statically_defined: true }] },
    join: { next: ["end"], type: "join" },
    end: { next: [] },
  });
  const laid = await elk.layout(toElk(toGraphView(split, options), options));
  const x = new Map((laid.children ?? []).map((c) => [c.id, c.x ?? 0]));
  assert.ok(x.get("a")! < x.get("b")! && x.get("b")! < x.get("c")!, JSON.stringify(Object.fromEntries(x)));
});

void test("an inherited step says which base flow it comes from, under its name and in its tooltip data", () => {
  const flow = sampleFlowGraph("ChildFlow", { start: { next: ["fan"] }, fan: { next: ["end"], type: "split-foreach", foreach_artifact: "xs" }, end: { next: [] } });
  flow.sources.start = { ...flow.sources.start!, inheritedFrom: "BaseFlow" };
  flow.sources.fan = { ...flow.sources.fan!, inheritedFrom: "BaseFlow" };
  const byId = new Map(toGraphView(flow, options).nodes.map((n) => [n.id, n]));
  assert.equal(byId.get("start")?.subtitle, "from BaseFlow");
  assert.equal(byId.get("start")?.inheritedFrom, "BaseFlow");
  // A foreach keeps its own second line; the base flow is still known for the tooltip.
  assert.equal(byId.get("fan")?.subtitle, "foreach xs");
  assert.equal(byId.get("fan")?.inheritedFrom, "BaseFlow");
  assert.equal(byId.get("end")?.inheritedFrom, undefined);
});

void test("a misspelt target from the real server is drawn as a 'not a step' node, and the graph stays in one piece", async () => {
  const { result } = await analyzeFixtureFile(join(__dirname, "..", "..", "fixtures", "fl010-typo-no-cascade", "flow.py"));
  const map = { positionAt: (offset: number) => ({ line: 0, character: offset }), offsetAt: (p: { character: number }) => p.character };
  const flow = result.flows[0];
  assert.ok(flow);
  const view = toGraphView(flowGraph(flow, result, map, () => undefined), options);
  assert.equal(view.nodes.find((n) => n.id === "join_stat")?.type, "missing");
  assert.ok(view.edges.some((e) => e.source === "load" && e.target === "join_stat"));
  // The steps after the typo carry no "not reachable" mark: the flow has one problem, at load.
  assert.deepEqual(view.nodes.filter((n) => n.mark !== undefined).map((n) => n.id), ["load"]);
});
