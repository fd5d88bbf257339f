// Hover facts, as plain data: what a step, an artifact, a parameter, a Config or a decorator at
// an offset is. The language server only writes them as Markdown.
import type { AnalysisResult, ConfigModel, DecoratorModel, FlowModel, LiteralValue, ParameterModel, Span, StepModel } from "../model";
import { knownDecorators } from "../knownDecorators";
import { reachingWrites, type ReachingWrite } from "./artifacts";
import { symbolAt } from "./symbols";
import { predecessors, stepByName } from "./walks";

export type HoverFacts = { span: Span } & (
  | { kind: "flow"; flow: FlowModel }
  | { kind: "step"; flow: FlowModel; name: string; step?: StepModel; incoming: string[]; resources?: Record<string, number> }
  | { kind: "config"; config: ConfigModel }
  | { kind: "parameter"; parameter: ParameterModel }
  /** A decorator, with each keyword Metaflow knows for it: its kind and the value given (as
   * written) or the default; `unsupported` when Flowlens does not run it. */
  | { kind: "decorator"; decorator: DecoratorModel; args: DecoratorArgFact[]; doc?: string; unsupported?: string }
  /** An assignment `self.x = ...`: its evident type and the steps that read the artifact. */
  | { kind: "artifact-write"; name: string; step: StepModel; type?: string; readers: string[] }
  /** A read: the assignments that reach it (as the data-flow engine says) and their evident types. */
  | { kind: "artifact-read"; name: string; step?: StepModel; writes: ReachingWrite[]; types: string[] }
);

export interface DecoratorArgFact {
  name: string;
  kind: string;
  given?: string;
  fallback?: string;
}

function decoratorFacts(text: string, d: DecoratorModel, span: Span): HoverFacts {
  const known = knownDecorators[d.name];
  const args = Object.entries(known?.args ?? {}).map(([name, kind]): DecoratorArgFact => {
    const given = d.args.find((a) => a.name === name);
    const fallback = known?.defaults?.[name];
    if (given) return { name, kind, given: text.slice(given.valueSpan.start, given.valueSpan.end) };
    return fallback !== undefined && fallback !== null ? { name, kind, fallback: JSON.stringify(fallback) } : { name, kind };
  });
  return { kind: "decorator", decorator: d, args, ...(known?.doc !== undefined ? { doc: known.doc } : {}), ...(known?.unsupported !== undefined ? { unsupported: known.unsupported } : {}), span };
}

function numeric(v: LiteralValue | undefined): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && /^\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

/** Metaflow's rule for Batch: per resource, the larger of `@resources` and `@batch` wins. */
export function effectiveResources(step: StepModel): Record<string, number> | undefined {
  const res = step.decorators.find((d) => d.name === "resources");
  const batch = step.decorators.find((d) => d.name === "batch");
  if (!res && !batch) return undefined;
  const defaults: Record<string, number> = { cpu: 1, gpu: 0, memory: 4096 };
  const out: Record<string, number> = { ...defaults };
  for (const d of [res, batch]) {
    for (const a of d?.args ?? []) {
      const n = numeric(a.value);
      if (a.name === null || n === undefined) continue;
      if (a.name in defaults) out[a.name] = Math.max(out[a.name] ?? 0, n);
      else if (a.name === "disk") out.disk = Math.max(out.disk ?? 0, n);
    }
  }
  return out;
}

/** The type of a value assigned by `self.x = <literal>`, when the literal shows it. */
export function evidentType(text: string, end: number): string | undefined {
  const rest = text.slice(end, end + 200).split("\n")[0] ?? "";
  const m = /^\s*=\s*(.*)$/.exec(rest);
  if (!m || m[1] === undefined) return undefined;
  const v = m[1].trim();
  if (/^[rbuf]*["']/i.test(v)) return /^[rbu]*b/i.test(v) ? "bytes" : "str";
  if (/^(True|False)\b/.test(v)) return "bool";
  if (/^None\b/.test(v)) return "None";
  if (/^-?\d+\.\d*|^-?\d+e/i.test(v)) return "float";
  if (/^-?\d+\b/.test(v)) return "int";
  if (v.startsWith("[")) return "list";
  if (v.startsWith("{")) return /^\{\s*\}|^\{[^}]*:/.test(v) ? "dict" : "set";
  if (v.startsWith("(")) return "tuple";
  const call = /^(list|dict|set|tuple|str|int|float|bool)\(/.exec(v);
  return call?.[1];
}

function configAt(result: AnalysisResult, offset: number): HoverFacts | undefined {
  for (const flow of result.flows) {
    for (const c of flow.configs) if (c.inheritedFrom === undefined && offset >= c.span.start && offset < c.span.end) return { kind: "config", config: c, span: c.span };
  }
  return undefined;
}

export function hoverFacts(result: AnalysisResult, text: string, offset: number): HoverFacts | undefined {
  const sym = symbolAt(result, text, offset);
  if (!sym) return configAt(result, offset);
  const span = sym.span;
  switch (sym.kind) {
    case "flow":
    case "decorator":
    case "parameter":
      return sym.kind === "flow" ? { kind: "flow", flow: sym.flow, span } : sym.kind === "decorator" ? decoratorFacts(text, sym.decorator, span) : { kind: "parameter", parameter: sym.parameter, span };
    case "step": {
      const step = stepByName(sym.flow, sym.step);
      const incoming = predecessors(sym.flow).get(sym.step) ?? [];
      const resources = step ? effectiveResources(step) : undefined;
      return { kind: "step", flow: sym.flow, name: sym.step, ...(step ? { step } : {}), incoming, ...(resources ? { resources } : {}), span };
    }
    case "artifact": {
      const config = sym.flow.configs.find((c) => c.attribute === sym.name);
      if (config) return { kind: "config", config, span };
      if (sym.access?.writeKind !== undefined && sym.step) {
        const type = evidentType(text, sym.access.span.end);
        const readers = sym.flow.steps.filter((st) => st.reads.some((r) => r.name === sym.name)).map((st) => st.name);
        return { kind: "artifact-write", name: sym.name, step: sym.step, ...(type ? { type } : {}), readers, span };
      }
      if (!sym.step) return { kind: "artifact-read", name: sym.name, writes: [], types: [], span };
      const fromStep = sym.access?.via === "inputs-step" ? sym.access.fromStep : undefined;
      const writes = reachingWrites(sym.flow, sym.step, sym.name, sym.access?.span.start ?? sym.span.start, fromStep, sym.access?.via ?? "self");
      // The type is read off this document's text, so only for writes in it.
      const types = new Set(writes.flatMap((w) => (w.step.inheritedFrom?.file !== undefined ? [] : [evidentType(text, w.write.span.end)].filter((t): t is string => t !== undefined))));
      return { kind: "artifact-read", name: sym.name, step: sym.step, writes, types: [...types], span };
    }
  }
}
