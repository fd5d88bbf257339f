// Hover: what a step, an artifact, a parameter, a Config or a decorator is, from the model.
import { basename } from "node:path";
import { MarkupKind, type Hover } from "vscode-languageserver";
import type { ConfigModel, DecoratorModel, FlowModel, LiteralValue, ParameterModel, Span, StepModel } from "../analysis/model";
import { knownDecorators } from "../analysis/knownDecorators";
import { toRange } from "./positions";
import type { FeatureContext } from "./context";
import { predecessors, reachingWrites, stepByName } from "./flowGraph";
import { symbolAt } from "./query";

const code = (s: string): string => "`" + s.replace(/`/g, "'") + "`";

function decoratorText(d: DecoratorModel): string {
  if (!d.called) return "@" + d.written;
  return `@${d.written}(${d.args.map((a) => a.text).join(", ")})`;
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

function stepHover(flow: FlowModel, step: StepModel): string {
  const lines = [`**step** ${code(step.name)} — ${step.type}${step.inheritedFrom ? ` (inherited from ${code(step.inheritedFrom.flow)})` : ""}`];
  if (step.docstring) lines.push("", step.docstring);
  const decorators = step.decorators.filter((d) => d.name !== "step");
  if (decorators.length > 0) lines.push("", "Decorators: " + decorators.map((d) => code(decoratorText(d))).join(", "));
  const resources = effectiveResources(step);
  if (resources) lines.push("", "Resources (the larger of `@resources` and `@batch`): " + Object.entries(resources).map(([k, v]) => `${k} ${v}${k === "memory" || k === "disk" ? " MB" : ""}`).join(", "));
  const incoming = predecessors(flow).get(step.name) ?? [];
  lines.push("", `Incoming: ${incoming.length > 0 ? incoming.map(code).join(", ") : "none"}`);
  lines.push("", `Outgoing: ${step.next.length > 0 ? step.next.map(code).join(", ") : "none"}`);
  if (step.foreachArtifact !== undefined) lines.push("", `Foreach over ${code(step.foreachArtifact)}`);
  if (step.condition !== undefined) lines.push("", `Switch on ${code(step.condition)}`);
  const reads = [...new Set(step.reads.map((r) => r.name))];
  const writes = [...new Set(step.writes.map((w) => w.name))];
  lines.push("", `Reads: ${reads.length > 0 ? reads.map(code).join(", ") : "nothing"}`);
  lines.push("", `Writes: ${writes.length > 0 ? writes.map(code).join(", ") : "nothing"}`);
  return lines.join("\n");
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

/** Where a span is, for the reader: `line N` in this document, `base.py:N` in another file. */
function placeOf(ctx: FeatureContext, span: Span, file: string | undefined): string {
  if (file === undefined || file === ctx.file) return `line ${ctx.map.positionAt(span.start).line + 1}`;
  const map = ctx.mapOf(file);
  return map ? `${basename(file)}:${map.positionAt(span.start).line + 1}` : basename(file);
}

function artifactHover(ctx: FeatureContext, flow: FlowModel, name: string, step: StepModel | undefined, at: number, fromStep?: string): string {
  const lines = [`**artifact** ${code(name)}`];
  if (step) {
    const writes = reachingWrites(flow, step, name, at, fromStep);
    const types = new Set<string>();
    if (writes.length === 0) lines.push("", "Not set by any step upstream of here.");
    else {
      lines.push("", "Set upstream in: " + [...new Set(writes.map((w) => `${code(w.step.name)} (${placeOf(ctx, w.write.span, w.step.inheritedFrom?.file)})`))].join(", "));
      for (const w of writes) {
        // The type is read off this document's text, so only for writes in it.
        const t = w.step.inheritedFrom?.file !== undefined ? undefined : evidentType(ctx.text, w.write.span.end);
        if (t !== undefined) types.add(t);
      }
    }
    if (types.size > 0) lines.push("", `Type: ${[...types].map(code).join(" | ")}`);
  }
  return lines.join("\n");
}

function parameterHover(p: ParameterModel): string {
  const lines = [`**${p.kind}** ${code(p.attribute)} — ${code("--" + p.name)}`, "", `Type: ${code(p.type)}`];
  if (p.defaultText !== undefined) lines.push("", `Default: ${code(p.defaultText)}`);
  if (p.required) lines.push("", "Required");
  if (p.help !== undefined) lines.push("", p.help);
  return lines.join("\n");
}

function configHover(c: ConfigModel): string {
  const lines = [`**Config** ${code(c.attribute)} — ${code("--config " + c.name)} (read-only)`];
  if (c.defaultValueText !== undefined) lines.push("", `Default value: ${code(c.defaultValue !== undefined ? JSON.stringify(c.defaultValue) : c.defaultValueText)}`);
  if (c.defaultPathText !== undefined) lines.push("", `Default: read from ${code(c.defaultPath ?? c.defaultPathText)}${c.parserText !== undefined ? ` with ${code(c.parserText)}` : ""}`);
  if (c.defaultValueText === undefined && c.defaultPathText === undefined) lines.push("", "No default: the run takes it from `--config` or `--config-value`.");
  if (c.required) lines.push("", "Required");
  if (c.help !== undefined) lines.push("", c.help);
  return lines.join("\n");
}

/** A Config's definition (`cfg = Config(...)`) under the cursor, outside any step. */
function configDefinitionAt(ctx: FeatureContext, offset: number): Hover | null {
  for (const flow of ctx.result.flows) {
    for (const c of flow.configs) {
      if (c.inheritedFrom === undefined && offset >= c.span.start && offset < c.span.end) {
        return { contents: { kind: MarkupKind.Markdown, value: configHover(c) }, range: toRange(ctx.map, c.span) };
      }
    }
  }
  return null;
}

function decoratorHover(text: string, d: DecoratorModel): string {
  const lines = [`**decorator** ${code(decoratorText(d))} (from ${d.origin})`];
  const known = knownDecorators[d.name];
  if (known) {
    if (known.doc !== undefined) lines.push("", `${known.doc}.`);
    const args = Object.entries(known.args ?? {}).map(([name, kind]) => {
      const given = d.args.find((a) => a.name === name);
      const fallback = known.defaults?.[name];
      const value = given ? `= ${text.slice(given.valueSpan.start, given.valueSpan.end)}` : fallback !== undefined && fallback !== null ? `default ${JSON.stringify(fallback)}` : "";
      return `- ${code(name)}: ${kind}${value ? ` (${value})` : ""}`;
    });
    if (args.length > 0) lines.push("", ...args);
    if (known.unsupported !== undefined) lines.push("", `Flowlens does not run this: ${known.unsupported}.`);
  }
  return lines.join("\n");
}

export function hover(ctx: FeatureContext, offset: number): Hover | null {
  const sym = symbolAt(ctx.result, ctx.text, offset);
  if (!sym) return configDefinitionAt(ctx, offset);
  let value: string | undefined;
  switch (sym.kind) {
    case "flow":
      value = `**flow** ${code(sym.flow.name)}: ${sym.flow.steps.length} steps, ${sym.flow.parameters.length} parameters${sym.flow.docstring ? "\n\n" + sym.flow.docstring : ""}`;
      break;
    case "step": {
      const step = stepByName(sym.flow, sym.step);
      value = step ? stepHover(sym.flow, step) : `Unknown step ${code(sym.step)}`;
      break;
    }
    case "artifact": {
      const config = sym.flow.configs.find((c) => c.attribute === sym.name);
      if (config) {
        value = configHover(config);
        break;
      }
      if (sym.access?.writeKind !== undefined && sym.step) {
        const type = evidentType(ctx.text, sym.access.span.end);
        const readers = sym.flow.steps.filter((st) => st.reads.some((r) => r.name === sym.name)).map((st) => code(st.name));
        value = [`**artifact** ${code(sym.name)}`, "", `Set here, in step ${code(sym.step.name)}.`, ...(type ? ["", `Type: ${code(type)}`] : []), "", `Read in: ${readers.length > 0 ? readers.join(", ") : "no step"}`].join("\n");
        break;
      }
      value = artifactHover(ctx, sym.flow, sym.name, sym.step, sym.access?.span.start ?? sym.span.start, sym.access?.via === "inputs-step" ? sym.access.fromStep : undefined);
      break;
    }
    case "parameter":
      value = parameterHover(sym.parameter);
      break;
    case "decorator":
      value = decoratorHover(ctx.text, sym.decorator);
      break;
  }
  return { contents: { kind: MarkupKind.Markdown, value }, range: toRange(ctx.map, sym.span) };
}
