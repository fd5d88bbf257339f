// The artifact data-flow engine: one answer to "what does a read of self.x in this step, at
// this point, see?", shared by the FL201–FL203 checks (rules/dataflow.ts) and by the IDE
// queries (ide/), so that completion and go-to-definition offer exactly what the checks accept.
//
// To stay free of false positives on realistic flows: reads after the step's own write, names
// guarded with hasattr/getattr(self, "x", default), parameters, configs and other class
// attributes, methods, and Metaflow's own attributes are never reported; flows with base classes
// Flowlens cannot read or with a user flow decorator (a FlowMutator may change anything) are not
// checked, and a step with a user step decorator may set any artifact (its own reads are not
// checked, and what follows it may see anything).
import type { ExtractedMethod } from "../extract/method";
import type { BuiltClass } from "../flows";
import { reachable } from "../graph/cycles";
import type { FlowGraph } from "../graph/structure";
import { isUserDecorator } from "../knownDecorators";
import type { FlowModel, StepModel } from "../model";
import { solve, type NameSet, type Solution } from "./solve";

const flowSpecAttributes = new Set(["name", "input", "index", "script_name", "foreach_stack", "merge_artifacts", "next", "tags", "cmd"]);

/** What the engine reads: the part of a rule's context about one flow. */
export interface DataFlowSource {
  flow: FlowModel;
  /** Only what the engine reads of the class: the source is kept as long as the model, and
   * the rest of the class (its facts, imports, line index) need not be. */
  built: Pick<BuiltClass, "helpers" | "members" | "unresolved" | "mutated">;
  methods: Map<string, { step: StepModel; method: ExtractedMethod }>;
  graph: FlowGraph;
  library: boolean;
  broken: boolean;
}

/**
 * What a read of an artifact on self sees, at one point of one step:
 * - `local`: the step set it earlier; `merged`: a merge_artifacts call before it copied it;
 *   `available`: set on every path into the step; `exempt`: never reported (a parameter, a
 *   member, a guarded name, set by a helper the step calls, or the step is not checked);
 * - `join-branches` (FL203): a join reads what only its branches set;
 * - `some-paths` (FL201, warning): set on some paths into the step only;
 * - `unset` (FL201, error): no step before it sets it.
 */
export type ReadVerdict =
  | { kind: "local" | "merged" | "available" | "exempt" }
  | { kind: "join-branches" }
  | { kind: "some-paths"; missingVia: string[] }
  | { kind: "unset" };

export interface DataFlow {
  /** The flow is checked: a verdict other than `exempt` is what FL201–FL203 report. */
  readonly checked: boolean;
  /** The engine can tell what reaches where: every base is readable, no flow decorator may
   * change the flow, and there is a start step. Unlike `checked`, a syntax error in the class
   * does not matter: the IDE answers from what parsed while a line is being typed. When false,
   * every verdict is `exempt`. */
  readonly knows: boolean;
  /** Every artifact name some step of the flow sets (own steps, inherited ones, helpers). */
  readonly names: readonly string[];
  /** The verdict on a read of `name` on self in `step`, at offset `at` (where the read starts). */
  readAt(step: string, name: string, at: number): ReadVerdict;
  /** Whether the step's own code sets `name` in a statement that ends before `at`. */
  setBefore(step: string, name: string, at: number): boolean;
  /** Whether `foreach=`/`condition=` naming `name` in the step's transition is satisfied (FL202). */
  transitionSees(step: string, name: string): boolean;
  /** Whether `name` is in what `step` ends with (for walks back along the edges). */
  endsWith(step: string, name: string): boolean;
  /** Whether a join's merge_artifacts calls copy `name` (false for other steps). */
  mergesIn(step: string, name: string): boolean;
  /** What the step sets itself: its writes, its helpers' writes, its @catch var. */
  setsIn(step: string): ReadonlySet<string>;
  /** Steps reachable from start. */
  readonly live: ReadonlySet<string>;
}

/** Steps whose user decorators may set artifacts the analysis cannot see. */
export function stepsWithUserDecorators(steps: Iterable<StepModel>): Set<string> {
  const out = new Set<string>();
  for (const s of steps) if (s.decorators.some(isUserDecorator)) out.add(s.name);
  return out;
}

export function catchVar(step: StepModel): string | undefined {
  const d = step.decorators.find((x) => x.name === "catch" && x.origin !== "other");
  const v = d?.args.find((a) => a.name === "var")?.value;
  return typeof v === "string" ? v : undefined;
}

/** Artifacts set by the helper methods a step calls on self, following helper calls a few levels deep. */
export function helperWrites(built: Pick<BuiltClass, "helpers">, calls: string[]): Set<string> {
  const out = new Set<string>();
  const seen = new Set<string>();
  let frontier = calls;
  for (let depth = 0; depth < 4 && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const name of frontier) {
      if (seen.has(name)) continue;
      seen.add(name);
      const h = built.helpers.get(name);
      if (!h) continue;
      for (const w of h.facts.writes) out.add(w.name);
      next.push(...h.facts.selfCalls);
    }
    frontier = next;
  }
  return out;
}

/** Whether FL201–FL203 look at this flow: the rule asks before the engine is built, so a flow
 * they skip costs nothing unless an IDE query asks about it. */
export function dataFlowChecked(src: DataFlowSource): boolean {
  return isKnown(src) && !src.broken && !src.library;
}

/** Whether the engine can tell what reaches where. */
function isKnown(src: DataFlowSource): boolean {
  // A user flow decorator (a FlowMutator) may add parameters, steps' decorators, anything.
  return src.built.unresolved.length === 0 && src.graph.start !== undefined && !src.built.mutated;
}

const none: NameSet = { has: () => false };
// Shared verdicts: a read that draws no finding allocates nothing.
const local: ReadVerdict = { kind: "local" };
const merged: ReadVerdict = { kind: "merged" };
const available: ReadVerdict = { kind: "available" };
const exempt: ReadVerdict = { kind: "exempt" };
const joinBranches: ReadVerdict = { kind: "join-branches" };
const unset: ReadVerdict = { kind: "unset" };

function setBefore(method: ExtractedMethod, name: string, at: number): boolean {
  const facts = method.facts;
  return facts.writes.some((w, i) => w.name === name && (facts.writeEnds[i] ?? Infinity) <= at);
}

function verdictOf(src: DataFlowSource, sol: Solution, live: Set<string>, step: StepModel, method: ExtractedMethod, name: string, at: number): ReadVerdict {
  if (setBefore(method, name, at)) return local;
  if (step.type === "join") {
    const mergedBefore = step.mergeArtifacts.some((m) => m.span.end <= at);
    if (mergedBefore && (sol.merged.get(step.name) ?? none).has(name)) return merged;
    return (sol.branchUnion.get(step.name) ?? none).has(name) ? joinBranches : unset;
  }
  if ((sol.inSet.get(step.name) ?? none).has(name)) return available;
  if (!(sol.branchUnion.get(step.name) ?? none).has(name)) return unset;
  const preds = src.graph.incoming.get(step.name) ?? [];
  return { kind: "some-paths", missingVia: preds.filter((p) => live.has(p) && !(sol.out.get(p)?.has(name) ?? false)) };
}

function build(src: DataFlowSource): DataFlow {
  const live = reachable(src.graph);
  const opaque = stepsWithUserDecorators([...src.methods.values()].map((m) => m.step));
  const sets = new Map<string, Set<string>>();
  const viaHelpers = new Map<string, Set<string>>();
  for (const { step, method } of src.methods.values()) {
    const helpers = helperWrites(src.built, method.facts.selfCalls);
    viaHelpers.set(step.name, helpers);
    const own = new Set(step.writes.map((w) => w.name));
    const c = catchVar(step);
    if (c) own.add(c);
    for (const w of helpers) own.add(w);
    sets.set(step.name, own);
  }
  const sol = solve(src.graph, live, sets, opaque);
  const knows = isKnown(src);
  // The checks also skip library bases and classes with a syntax error (they would report the
  // parser's recovery, not the user's intent).
  const checked = dataFlowChecked(src);
  const params = new Set(src.flow.parameters.map((p) => p.attribute));
  const known = (x: string) => params.has(x) || src.built.members.has(x) || flowSpecAttributes.has(x) || x.startsWith("_");
  return {
    checked,
    knows,
    names: sol.names,
    live,
    readAt(stepName, name, at) {
      const m = src.methods.get(stepName);
      if (!knows || !m || !live.has(stepName) || opaque.has(stepName)) return exempt;
      if (known(name) || m.method.facts.guarded.includes(name) || viaHelpers.get(stepName)?.has(name)) return exempt;
      return verdictOf(src, sol, live, m.step, m.method, name, at);
    },
    setBefore(stepName, name, at) {
      const m = src.methods.get(stepName);
      return m !== undefined && setBefore(m.method, name, at);
    },
    transitionSees(stepName, name) {
      const m = src.methods.get(stepName);
      if (!knows || !m || !live.has(stepName) || opaque.has(stepName) || known(name) || viaHelpers.get(stepName)?.has(name) || sets.get(stepName)?.has(name)) return true;
      return (m.step.type === "join" ? sol.merged : sol.inSet).get(stepName)?.has(name) ?? false;
    },
    endsWith: (step, name) => sol.out.get(step)?.has(name) ?? false,
    mergesIn: (step, name) => sol.merged.get(step)?.has(name) ?? false,
    setsIn: (step) => sets.get(step) ?? new Set<string>(),
  };
}

// One engine per analysed flow, computed at most once: by the checks during the analysis or,
// when the session reused the last round's findings, by the first IDE query that needs it. The
// facts it is built from hang on the FlowModel the analysis returned, under a symbol and not
// enumerable: JSON, deep equality and the model's readers never see them, and they live exactly
// as long as the result. Only the few class fields the engine reads are kept, so an open
// document holds little more than before (the server bench: about 5 MB over 100 open files).
const slot = Symbol("flowlens.dataflow");

interface Slot {
  source: DataFlowSource;
  engine?: DataFlow;
}

function slotOf(flow: FlowModel): Slot | undefined {
  return (flow as FlowModel & { [slot]?: Slot })[slot];
}

/** Called by the pipeline for each flow it returns. */
export function registerDataFlowSource(src: DataFlowSource): void {
  Object.defineProperty(src.flow, slot, { value: { source: src }, enumerable: false, writable: false, configurable: false });
}

/** The engine for a source (the checks' entry point): computed once per registered flow model. */
export function dataFlowFor(src: DataFlowSource): DataFlow {
  return dataFlowOf(src.flow) ?? build(src);
}

/** The engine of a flow the pipeline returned; undefined for a model built elsewhere. */
export function dataFlowOf(flow: FlowModel): DataFlow | undefined {
  const held = slotOf(flow);
  if (!held) return undefined;
  held.engine ??= build(held.source);
  return held.engine;
}
