// The flow model: what the analysis core knows about a flow file.
// Every other part of Flowlens (language server, graph panel, CLI, runtime planner) reads
// these types. Fields may be added; renaming or removing one is a change to every consumer.
//
// Positions are the core's own: `Span` holds UTF-16 code-unit offsets into the analysed
// text (the unit JavaScript strings and LSP use). `LineIndex` turns them into lines and
// columns; the LSP adapter is the only place that builds LSP ranges.

/** A half-open range [start, end) of UTF-16 offsets into the analysed text. */
export interface Span {
  start: number;
  end: number;
}

/** A Python literal as far as it can be evaluated statically (no code is run). */
export type LiteralValue = string | number | boolean | null | LiteralValue[] | { [key: string]: LiteralValue };

export type Severity = "error" | "warning" | "info";

export interface RelatedLocation {
  message: string;
  span: Span;
  /** The file the span belongs to; absent means the analysed file. */
  file?: string;
}

export interface Diagnostic {
  /** Stable code: one a rule declares (the list is `ruleCodes()` of rules/registry.ts, documented
   * in docs/analysis.md), or "FL000" for syntax errors and internal failures. */
  code: string;
  severity: Severity;
  /** Says what is wrong and how to fix it. */
  message: string;
  span: Span;
  related?: RelatedLocation[];
  /** The flow and step the finding concerns, when it concerns one (the graph panel marks nodes with it). */
  flow?: string;
  step?: string;
}

/** Metaflow's node types, exactly as `_graph_info` spells them. */
export type NodeType =
  | "start"
  | "linear"
  | "join"
  | "end"
  | "split-static"
  | "split-foreach"
  | "split-parallel"
  | "split-switch";

export interface DecoratorArgument {
  /** Keyword name, or null for a positional argument. */
  name: string | null;
  /** The value when it is a literal; undefined when it is an expression that is not evaluated statically. */
  value: LiteralValue | undefined;
  /** The argument's source text (for messages and hovers). */
  text: string;
  span: Span;
  valueSpan: Span;
}

export interface DecoratorModel {
  /** Canonical name, e.g. "retry" for `@retry`, `@mf.retry` and `@metaflow.retry`. */
  name: string;
  /** As written, without the "@", e.g. "mf.retry". */
  written: string;
  /** Where the decorator's name was imported from. */
  origin: "metaflow" | "flowlens" | "other" | "unknown";
  span: Span;
  nameSpan: Span;
  /** Whether it is called with parentheses (`@retry()` vs `@retry`). */
  called: boolean;
  args: DecoratorArgument[];
}

export type ArtifactAccessVia =
  | "self" // self.x
  | "inputs-step" // inputs.a.x
  | "inputs-index" // inputs[0].x
  | "inputs-iter"; // for i in inputs: i.x

export interface ArtifactAccess {
  name: string;
  span: Span;
  via: ArtifactAccessVia;
  /** For `inputs.a.x`: "a". */
  fromStep?: string;
  /** Writes only: assignment, augmented assignment (`+=`), tuple/list target, `setattr`-free forms. */
  writeKind?: "assign" | "augmented" | "tuple";
}

export interface TransitionTarget {
  /** Step name, e.g. "train" for `self.train`. */
  name: string;
  /** The span of `self.train` (or of the expression that failed to be one). */
  span: Span;
  /** The span of just the name `train`. */
  nameSpan: Span;
  /** For a switch: the case key. */
  caseKey?: string | number;
  caseKeySpan?: Span;
}

export interface KeywordArgument {
  name: string;
  value: LiteralValue | undefined;
  text: string;
  span: Span;
  valueSpan: Span;
}

/** The `self.next(...)` that ends a step (the last statement), as written. */
export interface Transition {
  /** The whole call expression. */
  span: Span;
  /** The statement containing it (for quick fixes that replace or insert around it). */
  statementSpan: Span;
  targets: TransitionTarget[];
  /** Every keyword argument, known or not (`foreach`, `condition`, `num_parallel`, others). */
  keywords: KeywordArgument[];
  foreach?: { artifact: string; span: Span };
  condition?: { artifact: string; span: Span };
  numParallel?: { value: number | undefined; span: Span };
  /** The shape is one of Metaflow's valid ones; false when FL009 applies. */
  valid: boolean;
  /** Which of Metaflow's shapes it has ("invalid" when none). Added by the analysis core. */
  shape?: "linear" | "split" | "foreach" | "parallel" | "switch" | "invalid";
}

export interface StepArgument {
  name: string;
  span: Span;
}

export interface StepModel {
  name: string;
  /** From the first decorator to the end of the body. */
  span: Span;
  /** The `def` keyword through the end of the signature's colon. */
  defSpan: Span;
  nameSpan: Span;
  bodySpan: Span;
  docstring?: string;
  args: StepArgument[];
  /** All decorators in source order (top first), including `@step` itself. */
  decorators: DecoratorModel[];
  /** `@step` or `@step(...)` is present. */
  isStep: boolean;
  startAnnotated: boolean;
  endAnnotated: boolean;
  /** The tail `self.next(...)`, when the last statement is one. */
  transition?: Transition;
  /** Every `self.next(...)` call in the body that is not the tail (FL107, FL008 messages). */
  strayTransitions: Span[];
  type: NodeType;
  /** Outgoing step names in order (for a switch: the distinct case targets in case order). */
  next: string[];
  foreachArtifact?: string;
  condition?: string;
  /** Switch case key (as a string) -> target step. */
  switchCases?: Record<string, string>;
  /** `@parallel` is applied. */
  parallel: boolean;
  /** For a split: the join that closes it, when the graph is well formed. */
  matchingJoin?: string;
  writes: ArtifactAccess[];
  reads: ArtifactAccess[];
  /** Calls of `self.merge_artifacts(...)` in the body; `guarded` when the call is inside a
   * `try` block or a lambda or nested function, where the step itself may handle its exception. */
  mergeArtifacts: { span: Span; include?: string[]; exclude?: string[]; guarded?: boolean }[];
  /** Present when the step is defined in a base flow class rather than this class; `line` is the
   * def's 1-based line in `file`, when that is another file. */
  inheritedFrom?: { flow: string; file?: string; line?: number };
}

export type ParameterType = "str" | "int" | "float" | "bool" | "JSONType" | "unknown";

export interface ParameterModel {
  /** The class attribute name (`alpha` in `alpha = Parameter("alpha", ...)`); this is the artifact name. */
  attribute: string;
  /** The parameter's own name (first argument or `name=`): the command-line option `--<name>`. */
  name: string;
  kind: "Parameter" | "IncludeFile";
  type: ParameterType;
  /** The default when it is a literal. */
  default?: LiteralValue;
  /** The default's source text, when a default is given. */
  defaultText?: string;
  help?: string;
  required: boolean;
  /** IncludeFile: is_text / encoding as given. */
  isText?: boolean;
  span: Span;
  nameSpan: Span;
  inheritedFrom?: { flow: string; file?: string };
}

/** `cfg = Config("cfg", default=..., default_value=..., parser=..., required=...)`: a read-only
 * artifact whose value is fixed when the run starts (from `--config`/`--config-value`, else the
 * default), usable in decorator arguments (`cfg.x`, `config_expr("cfg.x")`) and on self in steps. */
export interface ConfigModel {
  /** The class attribute name: the artifact name (`self.cfg`). */
  attribute: string;
  /** The config's own name (first argument or `name=`): `--config <name> FILE`. */
  name: string;
  /** `default=`: a path to a file holding the value (as written; its literal value when it is one). */
  defaultPath?: string;
  defaultPathText?: string;
  /** `default_value=`: the value itself (a literal when it is one; a callable or expression otherwise). */
  defaultValue?: LiteralValue;
  defaultValueText?: string;
  /** `parser=` as written (a function or a dotted name of one). */
  parserText?: string;
  required: boolean;
  help?: string;
  span: Span;
  nameSpan: Span;
  inheritedFrom?: { flow: string; file?: string };
}

export interface FlowModel {
  name: string;
  span: Span;
  nameSpan: Span;
  docstring?: string;
  /** Base classes as written. */
  bases: string[];
  /** Class-level decorators (`@project`, `@schedule`, ...). */
  decorators: DecoratorModel[];
  /** Steps in source order: this class's own, then inherited ones not overridden. */
  steps: StepModel[];
  parameters: ParameterModel[];
  /** `Config(...)` class attributes, own then inherited. Not parameters, and not in `graph.constants`. */
  configs: ConfigModel[];
  /** The graph in the JSON shape Metaflow stores as `_graph_info`. */
  graph: GraphInfo;
}

/** Metaflow's `_graph_info` step entry. */
export interface GraphStep {
  name: string;
  type: NodeType;
  /** 1-based line of the `def`. */
  line: number;
  doc: string;
  decorators: { name: string; attributes: Record<string, LiteralValue>; statically_defined: boolean }[];
  next: string[];
  foreach_artifact?: string;
  matching_join?: string;
  condition?: string;
  switch_cases?: Record<string, string>;
}

/** Nested structure Metaflow keeps for drawing: a step name, or a list of branches. */
export type GraphStructure = (string | GraphStructure)[];

/** Metaflow's `_graph_info` artifact: one format for the webview, the runtime and the datastore. */
export interface GraphInfo {
  file: string;
  parameters: { name: string; type: string; default?: LiteralValue; help?: string; required?: boolean }[];
  constants: string[];
  steps: Record<string, GraphStep>;
  graph_structure: GraphStructure;
  doc: string;
  decorators: { name: string; attributes: Record<string, LiteralValue>; statically_defined: boolean }[];
  extensions: Record<string, unknown>;
}

export interface AnalysisResult {
  flows: FlowModel[];
  /** Every finding in the file, sorted by position. */
  diagnostics: Diagnostic[];
  /** Modules (dotted names) this file's flows depend on through base classes; the LSP re-checks on their change. */
  dependencies: string[];
  /** The flow `python <file> run` runs (`mainFlow.ts`): the flow instantiated under
   * `if __name__ == "__main__":`, else the file's only flow; absent when there is none or the
   * choice is ambiguous. `flowlens run` and the editor's Run lenses both follow it. */
  mainFlow?: string;
}
