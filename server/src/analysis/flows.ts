// Which classes are flows, what they inherit (from base flows in the same file or in other
// workspace modules), their steps and parameters with decorators resolved through imports.
import type { ClassAttribute, ClassFacts, ModuleFacts } from "./extract/module";
import { apiModules, resolveName, type ImportTable } from "./extract/imports";
import type { ExtractedMethod } from "./extract/method";
import { resolveDecorators } from "./extract/resolve";
export { resolveDecorators };
import { apiNames, isUserDecorator, knownDecorators } from "./knownDecorators";
import type { LineIndex } from "./lineIndex";
import type { ConfigModel, LiteralValue, ParameterModel, ParameterType, Span, StepModel } from "./model";

/** A class after base resolution. Library classes are flows' bases that are not flows themselves. */
export interface BuiltClass {
  facts: ClassFacts;
  isFlow: boolean;
  /** Own steps, then inherited ones not overridden (each with its method facts). */
  steps: ExtractedMethod[];
  /** Every method defined in the class itself (steps and helpers), decorators resolved. */
  ownMethods: ExtractedMethod[];
  /** Methods without @step (own, then inherited not overridden): their artifact writes count for
   * the steps that call them (`self._load()` setting `self.data`). */
  helpers: Map<string, ExtractedMethod>;
  /** Names of every method (steps and helpers) and class attribute, own and inherited. */
  members: Set<string>;
  parameters: ParameterModel[];
  configs: ConfigModel[];
  constants: string[];
  /** The class or a base carries a user flow decorator (a FlowMutator may change anything). */
  mutated: boolean;
  /** Bases that could not be resolved (not FlowSpec, not a known flow class). */
  unresolved: { text: string; span: Span }[];
  /** The file of the class, when it is not the analysed file. */
  file?: string;
  /** That file's line index: a step inherited from it carries its def line. */
  lines?: LineIndex;
  imports: ImportTable;
}

/** Analyses another module of the workspace (supplied by the caller's resolver). */
export type ModuleLoader = (module: string) => BuiltModule | undefined;

export interface BuiltModule {
  classes: Map<string, BuiltClass>;
  file?: string;
}

const builtinBases = new Set(["object", "ABC", "abc.ABC", "Generic"]);

function isApi(written: string, imports: ImportTable, name: string): boolean {
  const r = resolveName(written, imports);
  if (r.kind === "api") return r.name === name;
  // Without any import the bare name is taken at its word: the missing import is the user's next fix.
  return r.kind === "unknown" && written === name;
}

function parameterType(typeText: string | undefined, def: LiteralValue | undefined, defText: string | undefined, kind: ParameterModel["kind"]): ParameterType {
  if (typeText !== undefined) {
    const last = typeText.split(".").pop() ?? typeText;
    if (last === "str" || last === "int" || last === "float" || last === "bool" || last === "JSONType") return last;
    return "unknown";
  }
  if (kind === "IncludeFile") return "str";
  if (def === undefined) return "str";
  if (typeof def === "string") return "str";
  if (typeof def === "boolean") return "bool";
  // `1.0` is a float in Python although it is an integer in JavaScript: the literal decides.
  if (typeof def === "number") return /^[-+\s]*(0[xXoObB]|[\d_]+$)/.test(defText ?? "") ? "int" : "float";
  // As the Python side infers it: a dict or list default makes a JSONType parameter, None a str.
  if (def === null) return "str";
  if (typeof def === "object") return "JSONType";
  return "unknown";
}

function parameterOf(attr: ClassAttribute, imports: ImportTable): ParameterModel | undefined {
  if (!attr.callee || !attr.args) return undefined;
  const kind = isApi(attr.callee, imports, "Parameter") ? "Parameter" : isApi(attr.callee, imports, "IncludeFile") ? "IncludeFile" : undefined;
  if (!kind) return undefined;
  const named = (n: string) => attr.args?.find((a) => a.name === n);
  const positional = attr.args.filter((a) => a.name === null);
  const nameArg = named("name") ?? positional[0];
  const defaultArg = named("default");
  const typeArg = named("type");
  const p: ParameterModel = {
    attribute: attr.name,
    name: typeof nameArg?.value === "string" ? nameArg.value : attr.name,
    kind,
    type: parameterType(typeArg?.text.replace(/^type\s*=\s*/, ""), defaultArg?.value, defaultArg?.text.replace(/^default\s*=\s*/, ""), kind),
    required: named("required")?.value === true,
    span: attr.span,
    nameSpan: nameArg?.valueSpan ?? attr.nameSpan,
  };
  if (defaultArg) {
    p.defaultText = defaultArg.text.replace(/^default\s*=\s*/, "");
    if (defaultArg.value !== undefined) p.default = defaultArg.value;
  }
  const help = named("help")?.value;
  if (typeof help === "string") p.help = help;
  const isText = named("is_text")?.value;
  if (typeof isText === "boolean") p.isText = isText;
  return p;
}

function configOf(attr: ClassAttribute, imports: ImportTable): ConfigModel | undefined {
  if (!attr.callee || !attr.args || !isApi(attr.callee, imports, "Config")) return undefined;
  const named = (n: string) => attr.args?.find((a) => a.name === n);
  const valueText = (a: { text: string }, key: string) => a.text.replace(new RegExp(`^${key}\\s*=\\s*`), "");
  const nameArg = named("name") ?? attr.args.find((a) => a.name === null);
  const c: ConfigModel = {
    attribute: attr.name,
    name: typeof nameArg?.value === "string" ? nameArg.value : attr.name,
    required: named("required")?.value === true,
    span: attr.span,
    nameSpan: nameArg?.valueSpan ?? attr.nameSpan,
  };
  const path = named("default");
  if (path) {
    c.defaultPathText = valueText(path, "default");
    if (typeof path.value === "string") c.defaultPath = path.value;
  }
  const value = named("default_value");
  if (value) {
    c.defaultValueText = valueText(value, "default_value");
    if (value.value !== undefined) c.defaultValue = value.value;
  }
  const parser = named("parser");
  if (parser) c.parserText = valueText(parser, "parser");
  const help = named("help")?.value;
  if (typeof help === "string") c.help = help;
  return c;
}

type Origin = NonNullable<StepModel["inheritedFrom"]>;

/** Where an inherited member comes from: the base class, and its file when that is another one. */
function originOf(b: BuiltClass): Origin {
  return b.file !== undefined ? { flow: b.facts.name, file: b.file } : { flow: b.facts.name };
}

/** `file` and `lines` are given for a module other than the analysed file. */
export function buildModule(facts: ModuleFacts, file: string | undefined, load: ModuleLoader, lines?: LineIndex): BuiltModule {
  const byName = new Map(facts.classes.map((c) => [c.name, c]));
  const built = new Map<string, BuiltClass>();
  const visiting = new Set<string>();

  const build = (c: ClassFacts): BuiltClass => {
    const done = built.get(c.name);
    if (done) return done;
    visiting.add(c.name);
    const bases = resolveBases(c, facts.imports, load, (name) => {
      const b = byName.get(name);
      if (!b) return undefined;
      // A class of this module: built first (a cycle of bases is left out, not followed).
      return { built: visiting.has(b.name) ? undefined : build(b) };
    });
    const result = buildClass(c, facts.imports, bases, file, lines);
    visiting.delete(c.name);
    built.set(c.name, result);
    return result;
  };

  for (const c of facts.classes) build(c);
  return { classes: built, file };
}

interface ResolvedBases {
  isFlow: boolean;
  unresolved: BuiltClass["unresolved"];
  inherited: BuiltClass[];
}

/** A class's bases: whether one makes it a flow, the classes it inherits members from, the bases that could not be read. */
function resolveBases(c: ClassFacts, imports: ModuleFacts["imports"], load: ModuleLoader, local: (name: string) => { built: BuiltClass | undefined } | undefined): ResolvedBases {
  const out: ResolvedBases = { isFlow: false, unresolved: [], inherited: [] };
  for (const base of c.bases) {
    if (isApi(base.text, imports, "FlowSpec")) {
      out.isFlow = true;
      continue;
    }
    const r = resolveName(base.text, imports);
    const here = r.kind === "local" ? local(base.text) : undefined;
    if (here) {
      const bb = here.built;
      if (bb) {
        // A mixin's methods, helpers and attributes are inherited too (they are readable on self).
        if (bb.isFlow) out.isFlow = true;
        out.inherited.push(bb);
        if (!bb.isFlow) out.unresolved.push(...bb.unresolved);
      }
      continue;
    }
    if (r.kind === "other") {
      const bc = load(r.module)?.classes.get(r.name);
      if (bc?.isFlow) out.isFlow = true;
      // A flow, or a mixin we could read: its members count.
      if (bc?.isFlow || (bc && bc.unresolved.length === 0)) out.inherited.push(bc);
      else out.unresolved.push(base);
      continue;
    }
    if (r.kind === "api") {
      if (!apiNames.has(r.name) && !apiModules.has(r.name)) out.unresolved.push(base);
      continue;
    }
    if (!builtinBases.has(base.text)) out.unresolved.push(base);
  }
  return out;
}

/** The class with its own members, then what it inherits that it does not define itself. */
function buildClass(c: ClassFacts, imports: ModuleFacts["imports"], bases: ResolvedBases, file: string | undefined, lines: LineIndex | undefined): BuiltClass {
  const { isFlow, unresolved, inherited } = bases;
  // Methods arrive with decorators already resolved (module.ts resolves them before caching).
  const own = c.methods;
  const members = new Set<string>([...own.map((m) => m.step.name), ...c.attributes.map((a) => a.name)]);
  const steps = own.filter((m) => m.step.isStep);
  const parameters: ParameterModel[] = [];
  const configs: ConfigModel[] = [];
  const constants: string[] = [];
  for (const attr of c.attributes) {
    const p = parameterOf(attr, imports);
    const cfg = p ? undefined : configOf(attr, imports);
    if (p) parameters.push(p);
    else if (cfg) configs.push(cfg);
    else constants.push(attr.name);
  }
  const helpers = new Map<string, ExtractedMethod>(own.filter((m) => !m.step.isStep).map((m) => [m.step.name, m]));
  const mutated = resolveDecorators(c.decorators, imports).some(isUserDecorator) || inherited.some((b) => b.mutated);
  const result: BuiltClass = { facts: c, isFlow, steps, ownMethods: own, helpers, members, parameters, configs, constants, mutated, unresolved, imports };
  for (const b of inherited) inherit(result, b);
  if (file !== undefined) result.file = file;
  if (file !== undefined && lines) result.lines = lines;
  // A class with @step methods but no resolvable FlowSpec base is still most likely a flow.
  if (!isFlow && unresolved.length > 0 && own.some((m) => m.step.isStep)) result.isFlow = true;
  return result;
}

/** Adds what `b` defines and `into` does not (own members first, then earlier bases). */
function inherit(into: BuiltClass, b: BuiltClass): void {
  const { steps, helpers, members, parameters, configs, constants } = into;
  const ownNames = new Set(into.ownMethods.map((m) => m.step.name));
  const ownParams = new Set(parameters.filter((p) => p.inheritedFrom === undefined).map((p) => p.attribute));
  for (const m of b.members) members.add(m);
  for (const [name, h] of b.helpers) if (!ownNames.has(name) && !helpers.has(name)) helpers.set(name, h);
  for (const s of b.steps) {
    if (ownNames.has(s.step.name) || steps.some((x) => x.step.name === s.step.name)) continue;
    let from = s.step.inheritedFrom;
    if (!from) {
      from = originOf(b);
      if (b.lines) from.line = b.lines.lineNumber(s.step.defSpan.start);
    }
    steps.push({ ...s, step: { ...s.step, inheritedFrom: from } });
  }
  for (const p of b.parameters) {
    if (ownParams.has(p.attribute) || ownNames.has(p.attribute) || parameters.some((x) => x.attribute === p.attribute)) continue;
    parameters.push({ ...p, inheritedFrom: p.inheritedFrom ?? originOf(b) });
  }
  for (const k of b.configs) {
    if (ownNames.has(k.attribute) || ownParams.has(k.attribute) || configs.some((x) => x.attribute === k.attribute)) continue;
    configs.push({ ...k, inheritedFrom: k.inheritedFrom ?? originOf(b) });
  }
  for (const k of b.constants) if (!constants.includes(k) && !configs.some((x) => x.attribute === k)) constants.push(k);
}

/** Known step decorator names (for FL101/FL102 decisions). */
export function isKnownStepDecorator(name: string): boolean {
  return knownDecorators[name]?.scope === "step";
}
