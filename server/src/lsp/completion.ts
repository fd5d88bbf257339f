// Completion from the flow model: transition targets in `self.next(`, artifacts and parameters
// after `self.`, parent steps after `inputs.`, decorators and their keywords, and artifact names
// inside `foreach="` / `condition="`.
import { CompletionItemKind, type CompletionItem } from "vscode-languageserver";
import type { FlowModel, StepModel } from "../analysis/model";
import type { FeatureContext } from "./context";
import { decoratorCatalog } from "./decoratorCatalog";
import { artifactsFromStep, predecessors, stepByName, visibleArtifacts } from "./flowGraph";
import { flowAt, ownSteps } from "./query";

/** The step the cursor is in: the last step starting before it (the body may still be half typed). */
function enclosingStep(flow: FlowModel, offset: number): StepModel | undefined {
  let found: StepModel | undefined;
  for (const s of ownSteps(flow)) if (s.span.start <= offset && (!found || s.span.start > found.span.start)) found = s;
  return found;
}

/** The flow the cursor is in, or the last one starting before it. */
function enclosingFlow(ctx: FeatureContext, offset: number): FlowModel | undefined {
  const inside = flowAt(ctx.result, offset);
  if (inside) return inside;
  let found: FlowModel | undefined;
  for (const f of ctx.result.flows) if (f.span.start <= offset && (!found || f.span.start > found.span.start)) found = f;
  return found;
}

function unclosedCall(prefix: string, callee: RegExp): string | undefined {
  let depth = 0;
  for (let i = prefix.length - 1; i >= 0; i--) {
    const c = prefix.charAt(i);
    if (c === ")") depth++;
    else if (c === "(") {
      if (depth === 0) return callee.test(prefix.slice(0, i)) ? prefix.slice(i + 1) : undefined;
      depth--;
    }
  }
  return undefined;
}

function artifactItems(flow: FlowModel, available: Map<string, StepModel>, withParameters: boolean): CompletionItem[] {
  const items: CompletionItem[] = [...available].map(([name, from]) => ({
    label: name,
    kind: CompletionItemKind.Field,
    detail: `artifact (set in ${from.name})`,
  }));
  if (withParameters) {
    for (const p of flow.parameters) items.push({ label: p.attribute, kind: CompletionItemKind.Property, detail: `${p.kind} --${p.name}: ${p.type}` });
  }
  return items;
}

export function completion(ctx: FeatureContext, offset: number): CompletionItem[] {
  const prefix = ctx.text.slice(Math.max(0, offset - 600), offset);
  const line = prefix.slice(prefix.lastIndexOf("\n") + 1);
  const flow = enclosingFlow(ctx, offset);

  const decoratorName = /^\s*@([A-Za-z_][\w.]*)?$/.exec(line);
  if (decoratorName) {
    const insideStep = flow !== undefined && ownSteps(flow).some((s) => s.span.start <= offset);
    return decoratorCatalog
      .filter((d) => (insideStep || flow === undefined ? true : d.level === "flow" || d.name === "step"))
      .map((d) => ({ label: d.name, kind: CompletionItemKind.Function, detail: `@${d.name}`, documentation: d.summary }));
  }
  const decoratorCall = /^\s*@(?:[A-Za-z_]\w*\.)*([A-Za-z_]\w*)\(([^)]*)$/.exec(line);
  if (decoratorCall && /(^|,)\s*\w*$/.test(decoratorCall[2] ?? "")) {
    const info = decoratorCatalog.find((d) => d.name === decoratorCall[1]);
    const given = new Set([...(decoratorCall[2] ?? "").matchAll(/(\w+)\s*=/g)].map((m) => m[1]));
    return (info?.args ?? []).filter((a) => !given.has(a)).map((a) => ({ label: a, kind: CompletionItemKind.Property, insertText: `${a}=`, detail: `@${info?.name ?? ""} argument` }));
  }
  if (!flow) return [];
  const step = enclosingStep(flow, offset);

  if (/(foreach|condition)\s*=\s*["'][A-Za-z0-9_]*$/.test(line)) {
    return step ? artifactItems(flow, visibleArtifacts(flow, step), false) : [];
  }

  const nextArgs = unclosedCall(prefix, /self\s*\.\s*next\s*$/);
  if (nextArgs !== undefined && /(^|[,({:]\s*|self\.)[A-Za-z_0-9]*$/.test(nextArgs) && !/=\s*[^,]*$/.test(nextArgs)) {
    const already = new Set([...nextArgs.matchAll(/self\s*\.\s*(\w+)/g)].map((m) => m[1]));
    const afterSelf = /self\.[A-Za-z_0-9]*$/.test(nextArgs);
    return ownSteps(flow)
      .concat(flow.steps.filter((s) => s.inheritedFrom !== undefined))
      .filter((s) => s.isStep && s.name !== step?.name && !already.has(s.name) && s.name !== "start")
      .map((s) => ({ label: s.name, kind: CompletionItemKind.Method, detail: `step (${s.type})`, insertText: afterSelf ? s.name : `self.${s.name}`, filterText: afterSelf ? s.name : `self.${s.name}` }));
  }

  const inputsArtifact = /\binputs\s*\.\s*(\w+)\s*\.\s*\w*$/.exec(line);
  if (inputsArtifact?.[1] !== undefined) return artifactItems(flow, artifactsFromStep(flow, inputsArtifact[1]), true);
  if (/\binputs\s*\.\s*\w*$/.test(line)) {
    if (!step) return [];
    return (predecessors(flow).get(step.name) ?? []).map((name) => ({ label: name, kind: CompletionItemKind.Method, detail: `branch from step ${name} (${stepByName(flow, name)?.type ?? "?"})` }));
  }
  if (/\bself\s*\.\s*\w*$/.test(line)) {
    if (!step) return [];
    const items = artifactItems(flow, visibleArtifacts(flow, step), true);
    items.push({ label: "next", kind: CompletionItemKind.Method, detail: "self.next(...): the step's transition" });
    if (step.args.length >= 2) items.push({ label: "merge_artifacts", kind: CompletionItemKind.Method, detail: "self.merge_artifacts(inputs, ...)" });
    return items;
  }
  return [];
}
