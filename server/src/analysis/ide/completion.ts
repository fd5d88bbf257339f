// Completion at an offset, as plain data: transition targets in `self.next(`, artifacts and
// parameters after `self.`, parent steps after `inputs.`, decorators and their keywords, and
// artifact names inside `foreach="` / `condition="`. Artifacts come from the data-flow engine
// (artifacts.ts): what is offered is what a read there may use without FL201–FL203.
import type { AnalysisResult, FlowModel } from "../model";
import { availableArtifacts, branchArtifacts, transitionArtifacts, type AvailableArtifact } from "./artifacts";
import { decoratorCatalog } from "./decoratorCatalog";
import { flowAt } from "./symbols";
import { enclosingStep, ownSteps, predecessors, stepByName } from "./walks";

export type CompletionKind = "artifact" | "parameter" | "step" | "branch" | "method" | "decorator" | "argument";

export interface CompletionFact {
  label: string;
  kind: CompletionKind;
  detail: string;
  documentation?: string;
  /** Text to insert when it is not the label. */
  insertText?: string;
  filterText?: string;
}

/** The flow the cursor is in, or the last one starting before it. */
function enclosingFlow(result: AnalysisResult, offset: number): FlowModel | undefined {
  const inside = flowAt(result, offset);
  if (inside) return inside;
  let found: FlowModel | undefined;
  for (const f of result.flows) if (f.span.start <= offset && (!found || f.span.start > found.span.start)) found = f;
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

function artifactItems(flow: FlowModel, available: AvailableArtifact[], withParameters: boolean): CompletionFact[] {
  const items: CompletionFact[] = available.map((a) => ({ label: a.name, kind: "artifact", detail: a.from ? `artifact (set in ${a.from.name})` : "artifact" }));
  if (withParameters) {
    for (const p of flow.parameters) items.push({ label: p.attribute, kind: "parameter", detail: `${p.kind} --${p.name}: ${p.type}` });
  }
  return items;
}

function decoratorItems(flow: FlowModel | undefined, line: string, offset: number): CompletionFact[] | undefined {
  if (/^\s*@([A-Za-z_][\w.]*)?$/.test(line)) {
    const insideStep = flow !== undefined && ownSteps(flow).some((s) => s.span.start <= offset);
    return decoratorCatalog
      .filter((d) => (insideStep || flow === undefined ? true : d.level === "flow" || d.name === "step"))
      .map((d) => ({ label: d.name, kind: "decorator", detail: `@${d.name}`, documentation: d.summary }));
  }
  const call = /^\s*@(?:[A-Za-z_]\w*\.)*([A-Za-z_]\w*)\(([^)]*)$/.exec(line);
  if (!call || !/(^|,)\s*\w*$/.test(call[2] ?? "")) return undefined;
  const info = decoratorCatalog.find((d) => d.name === call[1]);
  const given = new Set([...(call[2] ?? "").matchAll(/(\w+)\s*=/g)].map((m) => m[1]));
  return (info?.args ?? []).filter((a) => !given.has(a)).map((a) => ({ label: a, kind: "argument", insertText: `${a}=`, detail: `@${info?.name ?? ""} argument` }));
}

function nextTargets(flow: FlowModel, stepName: string | undefined, nextArgs: string): CompletionFact[] {
  const already = new Set([...nextArgs.matchAll(/self\s*\.\s*(\w+)/g)].map((m) => m[1]));
  const afterSelf = /self\.[A-Za-z_0-9]*$/.test(nextArgs);
  return ownSteps(flow)
    .concat(flow.steps.filter((s) => s.inheritedFrom !== undefined))
    .filter((s) => s.isStep && s.name !== stepName && !already.has(s.name) && s.name !== "start")
    .map((s) => ({ label: s.name, kind: "step", detail: `step (${s.type})`, insertText: afterSelf ? s.name : `self.${s.name}`, filterText: afterSelf ? s.name : `self.${s.name}` }));
}

/** What may be typed at `offset` of the analysed `text`. */
export function completionsAt(result: AnalysisResult, text: string, offset: number): CompletionFact[] {
  const prefix = text.slice(Math.max(0, offset - 600), offset);
  const line = prefix.slice(prefix.lastIndexOf("\n") + 1);
  const flow = enclosingFlow(result, offset);
  const decorators = decoratorItems(flow, line, offset);
  if (decorators) return decorators;
  if (!flow) return [];
  const step = enclosingStep(flow, offset);

  if (/(foreach|condition)\s*=\s*["'][A-Za-z0-9_]*$/.test(line)) return step ? artifactItems(flow, transitionArtifacts(flow, step), false) : [];
  const nextArgs = unclosedCall(prefix, /self\s*\.\s*next\s*$/);
  if (nextArgs !== undefined && /(^|[,({:]\s*|self\.)[A-Za-z_0-9]*$/.test(nextArgs) && !/=\s*[^,]*$/.test(nextArgs)) return nextTargets(flow, step?.name, nextArgs);

  const inputsArtifact = /\binputs\s*\.\s*(\w+)\s*\.\s*\w*$/.exec(line);
  if (inputsArtifact?.[1] !== undefined) return artifactItems(flow, branchArtifacts(flow, inputsArtifact[1]), true);
  if (/\binputs\s*\.\s*\w*$/.test(line)) {
    if (!step) return [];
    return (predecessors(flow).get(step.name) ?? []).map((name) => ({ label: name, kind: "branch", detail: `branch from step ${name} (${stepByName(flow, name)?.type ?? "?"})` }));
  }
  const selfDot = /\bself\s*\.\s*(\w*)$/.exec(line);
  if (!selfDot || !step) return [];
  // The read being typed starts at `self`: the engine judges it at that point.
  const at = offset - selfDot[0].length;
  const items = artifactItems(flow, availableArtifacts(flow, step, at), true);
  items.push({ label: "next", kind: "method", detail: "self.next(...): the step's transition" });
  if (step.args.length >= 2) items.push({ label: "merge_artifacts", kind: "method", detail: "self.merge_artifacts(inputs, ...)" });
  return items;
}
