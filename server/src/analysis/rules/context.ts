// What every rule sees: one flow (or one library base class of this file), its steps with the
// facts extracted from their bodies, its graph, and a sink that takes every finding.
import type { ExtractedMethod } from "../extract/method";
import type { BuiltClass } from "../flows";
import type { FlowGraph } from "../graph/structure";
import type { Diagnostic, FlowModel, RelatedLocation, Severity, Span, StepModel } from "../model";

export interface Finding {
  code: string;
  severity?: Severity;
  message: string;
  span: Span;
  related?: RelatedLocation[];
  /** The step whose code the span lies in. */
  step?: string;
}

export interface RuleContext {
  flow: FlowModel;
  built: BuiltClass;
  /** Typed steps by name, with their body facts. */
  methods: Map<string, { step: StepModel; method: ExtractedMethod }>;
  /** Every method of the class itself (steps and helpers), for decorator checks. */
  ownMethods: ExtractedMethod[];
  graph: FlowGraph;
  /** A library base class: checked step by step, but not as a whole flow. */
  library: boolean;
  /** The class contains a syntax error: checks of the whole graph are skipped (they would report
   * the parser's recovery, not the user's intent). */
  broken: boolean;
  /** Back edges that close cycles (switch self-loops excluded). */
  cycles: { from: string; to: string; path: string[] }[];
  /** True for steps defined in the analysed file (own or inherited from a base in this file). */
  isLocal(step: StepModel): boolean;
}

export interface Rule {
  /** Stable codes the rule reports. */
  codes: string[];
  name: string;
  run(ctx: RuleContext, report: (f: Finding) => void): void;
}

export function stepList(ctx: RuleContext): StepModel[] {
  return [...ctx.methods.values()].map((m) => m.step);
}

/** Steps whose own code is in this file and that this check should look at once. */
export function localSteps(ctx: RuleContext): { step: StepModel; method: ExtractedMethod }[] {
  return [...ctx.methods.values()].filter((m) => ctx.isLocal(m.step));
}

export type { Diagnostic };
