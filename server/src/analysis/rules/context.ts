// What every rule is and sees. A class rule sees one flow (or one library base class of this
// file), its steps with the facts extracted from their bodies, its graph, and a sink that takes
// every finding; a module rule sees the file's facts outside the classes. Each rule carries its
// metadata (codes, default severities, gates), and rules/registry.ts lists the rules.
import type { ApiImport } from "../extract/apiImports";
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

/** What a class rule needs before it can say anything; the pipeline skips the rule otherwise. */
export type Gate =
  /** The class has no syntax error: checks of the whole graph would report the parser's recovery. */
  | "parsed"
  /** A flow, not a library base class (those are checked step by step only). */
  | "flow"
  /** The graph has a start step. */
  | "start"
  /** The graph has no cycle. */
  | "acyclic"
  /** Every base class could be read (what an unread base defines is unknown). */
  | "resolvedBases"
  /** Every transition target is a step: a shape check of a graph with a hole in it would report
   * the hole again (FL010 reports it once). */
  | "knownTargets";

/** One code a rule reports: its default severity (a finding may set its own) and, for the
 * documentation table, what it reports and where the finding is placed. */
export interface CodeInfo {
  severity: Severity;
  summary: string;
  at: string;
}

interface RuleMeta {
  /** Unique, kebab-case: names the rule in docs and in internal-error messages. */
  name: string;
  /** Every code the rule may report (a finding with another code is an internal error). */
  codes: Readonly<Record<string, CodeInfo>>;
}

/** A check of one flow class (or library base class). */
export interface Rule extends RuleMeta {
  scope?: "class";
  /** Gates the pipeline applies before running the rule. */
  requires?: readonly Gate[];
  run(ctx: RuleContext, report: (f: Finding) => void): void;
}

/** What a module rule sees: the file's facts outside any class. */
export interface ModuleContext {
  apiImports: readonly ApiImport[];
}

/** A check of the module as a whole, run once per analysis (not per class). */
export interface ModuleRule extends RuleMeta {
  scope: "module";
  run(ctx: ModuleContext, report: (f: Finding) => void): void;
}

export type AnyRule = Rule | ModuleRule;

export function stepList(ctx: RuleContext): StepModel[] {
  return [...ctx.methods.values()].map((m) => m.step);
}

/** Steps whose own code is in this file and that this check should look at once. */
export function localSteps(ctx: RuleContext): { step: StepModel; method: ExtractedMethod }[] {
  return [...ctx.methods.values()].filter((m) => ctx.isLocal(m.step));
}

export type { Diagnostic };
