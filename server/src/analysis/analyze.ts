// The pipeline from a parsed tree to an AnalysisResult: module facts, base resolution, typed
// steps and graphs, every rule, syntax errors. Never throws: an internal failure becomes FL000.
import type { Parser, Tree } from "web-tree-sitter";
import { extractModule, MethodCache, type ModuleFacts } from "./extract/module";
import { buildModule, resolveDecorators, type BuiltClass, type BuiltModule, type ModuleLoader } from "./flows";
import { registerDataFlowSource } from "./dataflow/engine";
import { findCycles } from "./graph/cycles";
import { graphInfo, stepLine } from "./graph/graphInfo";
import { buildGraph } from "./graph/structure";
import { isEndStep, isStartStep, typeStep } from "./graph/types";
import { LineIndex } from "./lineIndex";
import { mainFlow } from "./mainFlow";
import type { AnalysisResult, Diagnostic, FlowModel, GraphInfo, StepModel } from "./model";
import type { ExtractedMethod } from "./extract/method";
import type { Finding, RuleContext } from "./rules/context";
import { runClassRules, runModuleRules } from "./rules/pipeline";
import { classSignature, type ClassRound, type RuleMemo } from "./ruleMemo";

/** Another workspace module's text (or text and file), by dotted name as written (".base", "pkg.flows"). */
export type ModuleResolver = (moduleName: string, fromFile: string | undefined) => string | { file: string; text: string } | undefined;

export interface AnalyzeOptions {
  /** The analysed file's path (reported in `graph.file`, passed to `resolveModule`). */
  file?: string;
  resolveModule?: ModuleResolver;
}

/** Built base modules, shared across analyses (keyed by file and text, so edits invalidate). */
export class ModuleCache {
  private readonly map = new Map<string, BuiltModule>();
  get(key: string): BuiltModule | undefined {
    return this.map.get(key);
  }
  set(key: string, m: BuiltModule): void {
    if (this.map.size > 64) this.map.clear();
    this.map.set(key, m);
  }
}

function makeLoader(parser: Parser, resolve: ModuleResolver | undefined, fromFile: string | undefined, cache: ModuleCache, deps: Set<string>, loading: Set<string>, depth: number): ModuleLoader {
  return (module) => {
    deps.add(module);
    if (!resolve || depth > 4) return undefined;
    let r: ReturnType<ModuleResolver>;
    try {
      r = resolve(module, fromFile);
    } catch {
      // The caller's resolver failed (unreadable file, ...): the base stays unresolved (FL109).
      return undefined;
    }
    if (r === undefined) return undefined;
    const { text, file } = typeof r === "string" ? { text: r, file: module } : r;
    const key = `${file}\0${text}`;
    const hit = cache.get(key);
    if (hit) return hit;
    if (loading.has(key)) return undefined;
    loading.add(key);
    let tree: Tree | null = null;
    try {
      tree = parser.parse(text);
      if (!tree) return undefined;
      const facts = extractModule(tree, text, new MethodCache());
      const built = buildModule(facts, file, makeLoader(parser, resolve, file, cache, deps, loading, depth + 1), new LineIndex(text));
      cache.set(key, built);
      return built;
    } finally {
      tree?.delete();
      loading.delete(key);
    }
  };
}

function isLibrary(c: BuiltClass, facts: ModuleFacts, usedAsBase: Set<string>): boolean {
  if (usedAsBase.has(c.facts.name)) return true;
  const hasEdge = c.steps.some((m) => isStartStep(m.step) || isEndStep(m.step));
  return !hasEdge && !facts.instantiated.has(c.facts.name);
}

/** Whether the graph made for the class before an edit still describes it: the memo found
 * nothing but offsets moved, and no step moved to another line (the graph info's `line`). */
function graphStillValid(prior: ClassRound, steps: readonly StepModel[], lines: LineIndex): boolean {
  for (const s of steps) if (prior.info.steps[s.name]?.line !== stepLine(s, lines)) return false;
  return true;
}

/** The last round's graph info, with the class docstring (which the signature leaves out) renewed. */
function reusedInfo(prior: ClassRound, docstring: string | undefined): GraphInfo {
  return prior.docstring === docstring ? prior.info : { ...prior.info, doc: docstring ?? "" };
}

function analyseClass(c: BuiltClass, library: boolean, broken: boolean, file: string | undefined, lines: LineIndex, memo: RuleMemo | undefined, report: (f: Finding, flow: FlowModel, steps: Map<string, StepModel>) => void): FlowModel {
  const typed = c.steps.map((m) => ({ method: m, step: memo ? memo.typedStep(m, typeStep) : typeStep(m) }));
  const sig = memo ? classSignature(c, library, broken) : undefined;
  // While typing inside a step, usually only offsets move: the last round's findings are moved,
  // and its graph and graph info (which hold no offsets) are kept when no step changed lines.
  const prior = memo && sig ? memo.lookup(c.facts.name, sig) : undefined;
  const reuse = prior !== undefined && graphStillValid(prior, typed.map((t) => t.step), lines);
  const graph = reuse ? prior.graph : buildGraph(typed.map((t) => t.step));
  for (const t of typed) {
    const j = graph.matching.get(t.step.name);
    if (j === undefined) continue;
    // Typed steps are shared between analyses (see typedStep): add the join on a copy.
    const step = { ...t.step, matchingJoin: j };
    if (!reuse && graph.steps.get(step.name) === t.step) graph.steps.set(step.name, step);
    t.step = step;
  }
  const decorators = resolveDecorators(c.facts.decorators, c.imports);
  const flow: FlowModel = {
    name: c.facts.name,
    span: c.facts.span,
    nameSpan: c.facts.nameSpan,
    bases: c.facts.bases.map((b) => b.text),
    decorators,
    steps: typed.map((t) => t.step),
    parameters: c.parameters,
    configs: c.configs,
    graph: reuse ? reusedInfo(prior, c.facts.docstring) : graphInfo(file ?? "", c.facts.docstring, decorators, graph, c.parameters, c.constants, lines),
  };
  if (c.facts.docstring !== undefined) flow.docstring = c.facts.docstring;
  const methods = new Map<string, { step: StepModel; method: ExtractedMethod }>();
  for (const t of typed) if (!methods.has(t.step.name)) methods.set(t.step.name, t);
  // The IDE queries ask the same data-flow engine as the checks, about this very model.
  const built = { helpers: c.helpers, members: c.members, unresolved: c.unresolved, mutated: c.mutated };
  registerDataFlowSource({ flow, built, methods, graph, library, broken });
  let findings = prior?.findings;
  if (!findings) {
    const ctx: RuleContext = {
      flow,
      built: c,
      methods,
      ownMethods: c.ownMethods,
      graph,
      library,
      broken,
      cycles: findCycles(graph),
      isLocal: (s) => s.inheritedFrom === undefined || s.inheritedFrom.file === undefined,
    };
    findings = runClassRules(ctx);
  }
  if (sig) memo?.store(c.facts.name, sig, { findings, graph, info: flow.graph, docstring: c.facts.docstring });
  if (findings.length > 0) {
    const stepMap = new Map(typed.map((t) => [t.step.name, t.step]));
    for (const f of findings) report(f, flow, stepMap);
  }
  return flow;
}

export function analyzeTree(parser: Parser, tree: Tree, text: string, opts: AnalyzeOptions, cache: MethodCache, modules: ModuleCache, lineIndex?: LineIndex, memo?: RuleMemo): AnalysisResult {
  const diagnostics: Diagnostic[] = [];
  const flows: FlowModel[] = [];
  const deps = new Set<string>();
  let instantiated: ReadonlySet<string> = new Set();
  try {
    const lines = lineIndex ?? new LineIndex(text);
    const facts = extractModule(tree, text, cache);
    instantiated = facts.instantiated;
    for (const e of facts.syntaxErrors) {
      // An ERROR node can swallow the rest of a block; underline only its first line.
      const nl = text.indexOf("\n", e.span.start);
      const end = nl > e.span.start && nl < e.span.end ? nl : e.span.end;
      diagnostics.push({
        code: "FL000",
        severity: "error",
        span: { start: e.span.start, end },
        message: e.missing ? `Syntax error: missing "${e.missing}". Add it here.` : `Syntax error near "${e.text.split("\n")[0] ?? ""}". Fix the syntax; the rest of the file is checked as far as it parses.`,
      });
    }
    for (const f of runModuleRules({ apiImports: facts.apiImports })) diagnostics.push({ code: f.code, severity: f.severity ?? "error", message: f.message, span: f.span });
    const resolveModule = opts.resolveModule;
    const loader = makeLoader(parser, resolveModule, opts.file, modules, deps, new Set(), 0);
    const built = buildModule(facts, undefined, loader);
    const flowClasses = [...built.classes.values()].filter((c) => c.isFlow);
    const usedAsBase = new Set<string>();
    for (const c of flowClasses) for (const b of c.facts.bases) if (built.classes.get(b.text)?.isFlow) usedAsBase.add(b.text);

    const report = (f: Finding, flow: FlowModel, steps: Map<string, StepModel>) => {
      const d: Diagnostic = { code: f.code, severity: f.severity ?? "error", message: f.message, span: f.span, flow: flow.name };
      if (f.step !== undefined) d.step = f.step;
      if (f.related && f.related.length > 0) d.related = f.related;
      // A finding inside a step defined in another file is shown on the flow's name here.
      const from = f.step !== undefined ? steps.get(f.step)?.inheritedFrom : undefined;
      if (from?.file !== undefined) {
        d.related = [...(d.related ?? []).map((r) => (r.file === undefined ? { ...r, file: from.file } : r)), { message: `defined in ${from.flow}`, span: f.span, file: from.file }];
        d.span = flow.nameSpan;
        d.message = `${d.message} (step ${f.step} is inherited from ${from.flow} in ${from.file})`;
      }
      diagnostics.push(d);
    };

    for (const c of flowClasses) {
      const library = isLibrary(c, facts, usedAsBase);
      const broken = facts.syntaxErrors.some((e) => e.span.start < c.facts.span.end && e.span.end >= c.facts.span.start);
      const flow = analyseClass(c, library, broken, opts.file, lines, memo, report);
      if (!library) flows.push(flow);
    }
  } catch (error) {
    const where = error instanceof Error ? (error.stack?.split("\n")[1]?.trim() ?? "") : "";
    diagnostics.push({
      code: "FL000",
      severity: "error",
      span: { start: 0, end: 0 },
      message: `Flowlens internal error: ${error instanceof Error ? error.message : String(error)} ${where}. The results above may be incomplete; please report this with the file.`,
    });
  }
  const main = mainFlow(flows, instantiated);
  return { flows, diagnostics: finish(diagnostics), dependencies: [...deps].sort(), ...(main !== undefined ? { mainFlow: main } : {}) };
}

function finish(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of list) {
    const key = `${d.code}|${d.span.start}|${d.span.end}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  out.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.code.localeCompare(b.code));
  return out;
}
