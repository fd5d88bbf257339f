// Hover: the IDE layer's facts (analysis/ide/hover.ts) written as Markdown.
import { basename } from "node:path";
import { MarkupKind, type Hover } from "vscode-languageserver";
import { hoverFacts, type HoverFacts, type ReachingWrite } from "../analysis/ide";
import type { ConfigModel, DecoratorModel, ParameterModel, Span, StepModel } from "../analysis/model";
import type { FeatureContext } from "./context";
import { toRange } from "./positions";

const code = (s: string): string => "`" + s.replace(/`/g, "'") + "`";
const list = (names: string[], empty: string): string => (names.length > 0 ? names.map(code).join(", ") : empty);

function decoratorText(d: DecoratorModel): string {
  if (!d.called) return "@" + d.written;
  return `@${d.written}(${d.args.map((a) => a.text).join(", ")})`;
}

function stepHover(step: StepModel, incoming: string[], resources: Record<string, number> | undefined): string {
  const lines = [`**step** ${code(step.name)} — ${step.type}${step.inheritedFrom ? ` (inherited from ${code(step.inheritedFrom.flow)})` : ""}`];
  if (step.docstring) lines.push("", step.docstring);
  const decorators = step.decorators.filter((d) => d.name !== "step");
  if (decorators.length > 0) lines.push("", "Decorators: " + decorators.map((d) => code(decoratorText(d))).join(", "));
  if (resources) lines.push("", "Resources (the larger of `@resources` and `@batch`): " + Object.entries(resources).map(([k, v]) => `${k} ${v}${k === "memory" || k === "disk" ? " MB" : ""}`).join(", "));
  lines.push("", `Incoming: ${list(incoming, "none")}`);
  lines.push("", `Outgoing: ${list(step.next, "none")}`);
  if (step.foreachArtifact !== undefined) lines.push("", `Foreach over ${code(step.foreachArtifact)}`);
  if (step.condition !== undefined) lines.push("", `Switch on ${code(step.condition)}`);
  lines.push("", `Reads: ${list([...new Set(step.reads.map((r) => r.name))], "nothing")}`);
  lines.push("", `Writes: ${list([...new Set(step.writes.map((w) => w.name))], "nothing")}`);
  return lines.join("\n");
}

/** Where a span is, for the reader: `line N` in this document, `base.py:N` in another file. */
function placeOf(ctx: FeatureContext, span: Span, file: string | undefined): string {
  if (file === undefined || file === ctx.file) return `line ${ctx.map.positionAt(span.start).line + 1}`;
  const map = ctx.mapOf(file);
  return map ? `${basename(file)}:${map.positionAt(span.start).line + 1}` : basename(file);
}

function readHover(ctx: FeatureContext, name: string, hasStep: boolean, writes: ReachingWrite[], types: string[]): string {
  const lines = [`**artifact** ${code(name)}`];
  if (!hasStep) return lines.join("\n");
  if (writes.length === 0) lines.push("", "Not set by any step upstream of here.");
  else lines.push("", "Set upstream in: " + [...new Set(writes.map((w) => `${code(w.step.name)} (${placeOf(ctx, w.write.span, w.step.inheritedFrom?.file)})`))].join(", "));
  if (types.length > 0) lines.push("", `Type: ${types.map(code).join(" | ")}`);
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

function decoratorHover(f: Extract<HoverFacts, { kind: "decorator" }>): string {
  const lines = [`**decorator** ${code(decoratorText(f.decorator))} (from ${f.decorator.origin})`];
  if (f.doc !== undefined) lines.push("", `${f.doc}.`);
  const args = f.args.map((a) => {
    const value = a.given !== undefined ? `= ${a.given}` : a.fallback !== undefined ? `default ${a.fallback}` : "";
    return `- ${code(a.name)}: ${a.kind}${value ? ` (${value})` : ""}`;
  });
  if (args.length > 0) lines.push("", ...args);
  if (f.unsupported !== undefined) lines.push("", `Flowlens does not run this: ${f.unsupported}.`);
  return lines.join("\n");
}

function markdown(ctx: FeatureContext, f: HoverFacts): string {
  switch (f.kind) {
    case "flow":
      return `**flow** ${code(f.flow.name)}: ${f.flow.steps.length} steps, ${f.flow.parameters.length} parameters${f.flow.docstring ? "\n\n" + f.flow.docstring : ""}`;
    case "step":
      return f.step ? stepHover(f.step, f.incoming, f.resources) : `Unknown step ${code(f.name)}`;
    case "config":
      return configHover(f.config);
    case "parameter":
      return parameterHover(f.parameter);
    case "decorator":
      return decoratorHover(f);
    case "artifact-write":
      return [`**artifact** ${code(f.name)}`, "", `Set here, in step ${code(f.step.name)}.`, ...(f.type ? ["", `Type: ${code(f.type)}`] : []), "", `Read in: ${list(f.readers, "no step")}`].join("\n");
    case "artifact-read":
      return readHover(ctx, f.name, f.step !== undefined, f.writes, f.types);
  }
}

export function hover(ctx: FeatureContext, offset: number): Hover | null {
  const facts = hoverFacts(ctx.result, ctx.text, offset);
  if (!facts) return null;
  return { contents: { kind: MarkupKind.Markdown, value: markdown(ctx, facts) }, range: toRange(ctx.map, facts.span) };
}
