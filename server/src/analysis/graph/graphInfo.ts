// Metaflow's `_graph_info` JSON for a flow: the one graph format the webview, the runtime and
// the datastore share.
import { knownDecorators } from "../knownDecorators";
import type { LineIndex } from "../lineIndex";
import type { DecoratorModel, GraphInfo, GraphStep, LiteralValue, ParameterModel, StepModel } from "../model";
import { graphStructure, type FlowGraph } from "./structure";

type GraphDecorator = GraphInfo["decorators"][number];

export function decoratorInfo(d: DecoratorModel): GraphDecorator {
  const attributes: Record<string, LiteralValue> = { ...(knownDecorators[d.name]?.defaults ?? {}) };
  for (const a of d.args) if (a.name !== null && a.value !== undefined) attributes[a.name] = a.value;
  return { name: d.name, attributes, statically_defined: true };
}

/** The decorators `_graph_info` lists for a step: all but `@step` and private (`_`) ones. */
export function isGraphDecorator(d: DecoratorModel): boolean {
  return d.name !== "step" && !d.name.startsWith("_");
}

/** A step's `line`, as Metaflow gives it: the def line in the step's own file, which for a step
 * inherited from another module is that module (0 when that line or `lines` is not known). */
export function stepLine(s: StepModel, lines: LineIndex | undefined): number {
  if (s.inheritedFrom?.file !== undefined) return s.inheritedFrom.line ?? 0;
  return lines ? lines.lineNumber(s.defSpan.start) : 0;
}

function stepInfo(s: StepModel, g: FlowGraph, lines: LineIndex | undefined): GraphStep {
  const known = s.next.filter((n) => g.steps.has(n));
  const out: GraphStep = {
    name: s.name,
    type: s.type,
    line: stepLine(s, lines),
    doc: s.docstring ?? "",
    decorators: s.decorators.filter(isGraphDecorator).map(decoratorInfo),
    next: known,
  };
  if (s.foreachArtifact !== undefined) out.foreach_artifact = s.foreachArtifact;
  if (s.matchingJoin !== undefined) out.matching_join = s.matchingJoin;
  if (s.type === "split-switch") {
    if (s.condition !== undefined) out.condition = s.condition;
    if (s.switchCases) {
      const cases: Record<string, string> = {};
      for (const [k, v] of Object.entries(s.switchCases)) if (g.steps.has(v)) cases[k] = v;
      out.switch_cases = cases;
    }
  }
  return out;
}

function parameterInfo(p: ParameterModel): GraphInfo["parameters"][number] {
  const out: GraphInfo["parameters"][number] = { name: p.name, type: p.type };
  if (p.default !== undefined) out.default = p.default;
  if (p.help !== undefined) out.help = p.help;
  if (p.required) out.required = true;
  return out;
}

export function graphInfo(
  file: string,
  doc: string | undefined,
  flowDecorators: DecoratorModel[],
  g: FlowGraph,
  parameters: ParameterModel[],
  constants: string[],
  lines: LineIndex | undefined,
): GraphInfo {
  const steps: Record<string, GraphStep> = {};
  for (const s of g.steps.values()) steps[s.name] = stepInfo(s, g, lines);
  return {
    file,
    parameters: parameters.map(parameterInfo),
    constants,
    steps,
    graph_structure: graphStructure(g),
    doc: doc ?? "",
    decorators: flowDecorators.map(decoratorInfo),
    extensions: {},
  };
}
