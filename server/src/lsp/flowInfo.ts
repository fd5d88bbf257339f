// `flowlens/flowInfo`: the file's main flow, and each flow's parameters and steps, converted from
// the analysis result (the core decides the main flow; nothing is derived here).
import type { AnalysisResult } from "../analysis/model";
import type { FlowInfoResult } from "../protocol/flowInfo";

export function flowInfo(uri: string, result: AnalysisResult): FlowInfoResult {
  return {
    uri,
    ...(result.mainFlow !== undefined ? { mainFlow: result.mainFlow } : {}),
    flows: result.flows.map((f) => ({ name: f.name, parameters: f.graph.parameters, steps: Object.keys(f.graph.steps) })),
    errorCount: result.diagnostics.filter((d) => d.severity === "error").length,
  };
}
