// Big graphs you can read, the pure parts: the readable fit, find-a-step's ranking, collapsing a
// split, the minimap's geometry. The 40-step flow is analysed by the real core and laid out by elkjs.
import assert from "node:assert/strict";
import { test } from "node:test";
import ELK from "elkjs";
import { collapseView, collapsedId, collapsibleBodies } from "../../../webview/src/bigGraph/collapse";
import { findSteps } from "../../../webview/src/bigGraph/findStep";
import { centreOn, minimapGeometry } from "../../../webview/src/bigGraph/minimapModel";
import { minReadableScale, overflows, readableFit } from "../../../webview/src/bigGraph/readableFit";
import { toElk, toGraphView } from "../../../webview/src/toElk";
import { flowGraph } from "../../../server/src/lsp/graph";
import type { FlowGraph } from "../../../server/src/protocol/graph";
import { fortyStepFlow } from "../../support/fortyStepFlow";
import { getAnalyzer } from "../analysis/helpers";
import { everyKindFlow } from "./sampleGraphs";

const options = { showDecorators: true, nodeSpacing: 24 };
const lineMap = { positionAt: (offset: number) => ({ line: 0, character: offset }), offsetAt: (p: { character: number }) => p.character };

async function forty(): Promise<FlowGraph> {
  const result = (await getAnalyzer()).analyze(fortyStepFlow(), { file: "flow.py" });
  assert.deepEqual(result.diagnostics.filter((d) => d.severity === "error"), []);
  return flowGraph(result.flows[0]!, result, lineMap, () => undefined);
}

void test("a 40-step flow is fitted at a readable scale, not shrunk to the panel", async () => {
  const view = toGraphView(await forty(), options);
  assert.equal(view.nodes.length, 40);
  const laid = await new ELK().layout(toElk(view, options));
  const graph = { width: laid.width ?? 0, height: laid.height ?? 0 };
  const panel = { width: 900, height: 600 };
  // Shrunk to fit, the names would be unreadable: that is what the fit must not do.
  assert.ok(Math.min(panel.width / graph.width, panel.height / graph.height) < minReadableScale * 0.8, JSON.stringify(graph));
  const fit = readableFit(graph, panel);
  assert.ok(fit && fit.scale >= minReadableScale, JSON.stringify(fit));
  assert.equal(fit.overflows, true);
  assert.equal(overflows(graph, panel, fit), true);
  assert.equal(fit.y, 8, "starts at the top, where start is");
});

void test("a small graph is still shown whole and centred", () => {
  const fit = readableFit({ width: 300, height: 200 }, { width: 900, height: 600 });
  assert.ok(fit);
  assert.equal(fit.overflows, false);
  assert.equal(overflows({ width: 300, height: 200 }, { width: 900, height: 600 }, fit), false);
  assert.ok(Math.abs(fit.x + 300 * fit.scale / 2 - 450) < 0.01);
  assert.equal(readableFit({ width: 300, height: 200 }, { width: 0, height: 0 }), undefined);
});

void test("a graph wider than readable is fitted to the width when that is readable", () => {
  const fit = readableFit({ width: 1000, height: 5000 }, { width: 900, height: 600 });
  assert.ok(fit);
  assert.ok(Math.abs(fit.scale - 0.855) < 0.001, String(fit.scale));
  assert.ok(fit.x > 0 && fit.x + 1000 * fit.scale <= 900);
});

void test("find a step: whole name, then prefix, then word start, then substring, then word initials", () => {
  const names = ["start", "join_stats", "stats_report", "usage_statistics", "restart_job", "end"];
  assert.deepEqual(findSteps("stats", names), ["stats_report", "join_stats"]);
  // Case does not matter; "start" holds s, t, a, t but not as words: no match.
  assert.deepEqual(findSteps("STAT", names), ["stats_report", "join_stats", "usage_statistics"]);
  assert.deepEqual(findSteps("jst", names), ["join_stats"]);
  assert.deepEqual(findSteps("usta", names), ["usage_statistics"]);
  assert.deepEqual(findSteps("nfy", ["notify_owners", "fan_out_models"]), []);
  assert.deepEqual(findSteps("end", names), ["end"]);
  assert.deepEqual(findSteps("  ", names), []);
  assert.deepEqual(findSteps("xyz", names), []);
});

void test("a static split and a foreach of the 40-step flow collapse to one node each", async () => {
  const flow = await forty();
  const bodies = collapsibleBodies(flow);
  assert.deepEqual([...bodies.keys()].sort(), ["fan_out_models", "split_features"]);
  assert.equal(bodies.get("split_features")?.length, 12);
  assert.deepEqual(bodies.get("fan_out_models"), ["train_model", "calibrate_model", "evaluate_model", "explain_model"]);
  const view = toGraphView(flow, options);
  const folded = collapseView(view, bodies, new Set(["fan_out_models"]));
  assert.equal(folded.nodes.length, 40 - 4 + 1);
  const placeholder = folded.nodes.find((n) => n.id === collapsedId("fan_out_models"));
  assert.equal(placeholder?.name, "⋯ 4 steps");
  assert.equal(placeholder?.type, "collapsed");
  const edges = folded.edges.filter((e) => e.source === collapsedId("fan_out_models") || e.target === collapsedId("fan_out_models"));
  assert.deepEqual(edges.map((e) => [e.source, e.target, e.fanOut]), [
    ["fan_out_models", "collapsed:fan_out_models", true],
    ["collapsed:fan_out_models", "join_models", false],
  ]);
  // Every edge still ends at a node that is drawn.
  const ids = new Set(folded.nodes.map((n) => n.id));
  assert.ok(folded.edges.every((e) => ids.has(e.source) && ids.has(e.target)));
  // Both collapsed; nothing collapsed gives the view back unchanged.
  assert.equal(collapseView(view, bodies, new Set(["fan_out_models", "split_features"])).nodes.length, 40 - 16 + 2);
  assert.equal(collapseView(view, bodies, new Set()), view);
});

void test("a folded node keeps the worst problem of the steps it hides", () => {
  const flow = everyKindFlow();
  flow.graph.steps.choose!.matching_join = "par";
  const view = toGraphView(flow, options);
  const bodies = collapsibleBodies(flow);
  const split = [...bodies].find(([, body]) => body.includes("big"))?.[0];
  assert.ok(split, JSON.stringify([...bodies]));
  const folded = collapseView(view, bodies, new Set([split]));
  const node = folded.nodes.find((n) => n.id === collapsedId(split));
  assert.equal(node?.mark, "warning");
  assert.ok(node?.problems.some((p) => p.message.startsWith("big: ")));
});

void test("the minimap shows the visible part as a rectangle and a click centres the view there", () => {
  const graph = { width: 1000, height: 4000 };
  const panel = { width: 800, height: 600 };
  const vp = { x: 8, y: -1000, scale: 0.8 };
  const g = minimapGeometry(graph, panel, vp, { width: 180, height: 140 });
  assert.ok(Math.abs(g.scale - 0.035) < 1e-9);
  assert.ok(Math.abs(g.view.y - (1000 / 0.8) * 0.035) < 1e-9);
  assert.ok(Math.abs(g.view.height - (600 / 0.8) * 0.035) < 1e-9);
  const centred = centreOn({ x: 500 * g.scale, y: 2000 * g.scale }, g, panel, vp);
  // The graph point (500, 2000) lands in the middle of the panel.
  assert.ok(Math.abs(centred.x + 500 * 0.8 - 400) < 1e-9 && Math.abs(centred.y + 2000 * 0.8 - 300) < 1e-9);
});
