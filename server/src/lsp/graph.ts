// The `flowlens/graph` request and the data of `flowlens/graphChanged`: each flow's `_graph_info`
// plus LSP ranges for click-to-source and the findings per node.
import { isGraphDecorator } from "../analysis/graph/graphInfo";
import type { AnalysisResult, DecoratorModel, FlowModel } from "../analysis/model";
import type { FlowGraph, GraphNodeProblem, GraphNodeSource, GraphResult, WrittenDecorator } from "../protocol/graph";
import { fileToUri } from "./paths";
import { toRange, type PositionMap } from "./positions";

function written(d: DecoratorModel): WrittenDecorator {
  return { name: d.name, args: d.args.map((a) => a.text.replace(/\s+/g, " ")) };
}

export function flowGraph(flow: FlowModel, result: AnalysisResult, map: PositionMap, mapOf: (file: string) => PositionMap | undefined): FlowGraph {
  const sources: Record<string, GraphNodeSource> = {};
  const types: FlowGraph["types"] = {};
  const problems: Record<string, GraphNodeProblem[]> = {};
  const decoratorsWritten: Record<string, WrittenDecorator[]> = {};
  const unknownTargets: Record<string, string[]> = {};
  for (const step of flow.steps) {
    const unknown = step.next.filter((n) => flow.graph.steps[n] === undefined);
    if (unknown.length > 0) unknownTargets[step.name] = unknown;
    types[step.name] = step.type;
    decoratorsWritten[step.name] = step.decorators.filter(isGraphDecorator).map(written);
    const file = step.inheritedFrom?.file;
    const m = file === undefined ? map : mapOf(file);
    if (!m) continue;
    const source: GraphNodeSource = { nameRange: toRange(m, step.nameSpan), range: toRange(m, step.span) };
    if (file !== undefined) source.uri = fileToUri(file);
    if (step.inheritedFrom) source.inheritedFrom = step.inheritedFrom.flow;
    sources[step.name] = source;
  }
  const flowProblems: GraphNodeProblem[] = [];
  for (const d of result.diagnostics) {
    if (d.flow !== flow.name) continue;
    const problem: GraphNodeProblem = { code: d.code, severity: d.severity, message: d.message };
    if (d.step !== undefined) (problems[d.step] ??= []).push(problem);
    else flowProblems.push(problem);
  }
  const graph: FlowGraph = { flow: flow.name, range: toRange(map, flow.nameSpan), graph: flow.graph, sources, problems, flowProblems, decoratorsWritten, types };
  if (Object.keys(unknownTargets).length > 0) graph.unknownTargets = unknownTargets;
  return graph;
}

export function graphResult(
  uri: string,
  version: number | null,
  result: AnalysisResult,
  map: PositionMap,
  mapOf: (file: string) => PositionMap | undefined,
): GraphResult {
  return {
    uri,
    version,
    flows: result.flows.map((f) => flowGraph(f, result, map, mapOf)),
    broken: result.diagnostics.some((d) => d.code === "FL000"),
    errorCount: result.diagnostics.filter((d) => d.severity === "error").length,
  };
}

/** A fingerprint of everything in a graph result but its version, to notify only on real change. */
export function graphFingerprint(graph: GraphResult): string {
  return JSON.stringify({ flows: graph.flows, broken: graph.broken, errorCount: graph.errorCount });
}
