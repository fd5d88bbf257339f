// One method of a flow class, extracted into a StepModel plus the body facts the checks need.
// The result depends only on the method's own text, so callers cache it by that text and move
// its offsets when the method moves (see offsets.ts).
import { cleandoc, stringValue } from "../literal";
import type { Span, StepArgument, StepModel } from "../model";
import { firstStatement, lastStatement, spanOf, textAndSpan, unwrapDefinition, type Node } from "../syntax";
import { bodySource } from "./bodyText";
import { walkBody, type BodyFacts } from "./body";
import { attributeErrorHandled } from "./caught";
import { extractDecorator } from "./decorators";
import { extractTransition, isNextCall, type ExtractedTransition } from "./transition";
import type { MethodSignature } from "../signature";

export interface ExtractedMethod {
  step: StepModel;
  transition?: ExtractedTransition;
  facts: BodyFacts;
  /** The `self` parameter's name as written (usually "self"). */
  selfName: string;
  /** Arguments that are not plain names (`*args`, defaults): FL007 mentions them. */
  oddArgs: boolean;
  /** Try blocks of the body whose handlers catch AttributeError (extract/caught.ts). */
  attributeErrorHandled: Span[];
  /** Memo of signature.ts, made on first use. It holds offsets relative to the method, so moved
   * and inherited copies (spread from this object) share it correctly. */
  signature?: MethodSignature;
}

function parameterName(p: Node, type: string): string | undefined {
  if (type === "identifier") return p.text;
  if (type === "typed_parameter") return p.namedChildren.find((c) => c?.type === "identifier")?.text;
  if (type === "default_parameter" || type === "typed_default_parameter") return p.childForFieldName("name")?.text;
  return undefined;
}

export function docstringOf(body: Node | null): string | undefined {
  const first = firstStatement(body);
  if (first?.type !== "expression_statement") return undefined;
  const expr = first.node.namedChild(0);
  const type = expr?.type;
  if (!expr || (type !== "string" && type !== "concatenated_string")) return undefined;
  const v = stringValue(expr, type);
  return v === undefined ? undefined : cleandoc(v);
}

/** `span` is the node's, when the caller knows it (one call into the wasm module less). */
export function extractMethod(node: Node, span: Span = spanOf(node)): ExtractedMethod | undefined {
  const { def, defType, decorators } = unwrapDefinition(node);
  if (!def || defType !== "function_definition") return undefined;
  const nameNode = def.childForFieldName("name");
  const params = def.childForFieldName("parameters");
  const body = def.childForFieldName("body");
  if (!nameNode) return undefined;

  const args: StepArgument[] = [];
  let oddArgs = false;
  for (const p of params?.namedChildren ?? []) {
    const type = p?.type;
    if (!p || type === undefined || type === "comment") continue;
    const { text, span: pSpan } = textAndSpan(p);
    const name = type === "identifier" ? text : parameterName(p, type);
    if (name === undefined) oddArgs = true;
    args.push({ name: name ?? text, span: pSpan });
  }
  const selfName = args[0]?.name ?? "self";
  const inputsName = args.length >= 2 ? args[1]?.name : undefined;

  const decos = decorators.map(extractDecorator);
  const stepDeco = decos.find((d) => d.name === "step");
  const kwTrue = (n: string) => stepDeco?.args.some((a) => a.name === n && a.value === true) ?? false;

  const source = body ? bodySource(body) : undefined;
  const facts = body && source ? walkBody(body, source, selfName, inputsName) : { writes: [], writeEnds: [], reads: [], nextCalls: [], mergeArtifacts: [], guarded: [], selfCalls: [] };

  const last = lastStatement(body);
  let transition: ExtractedTransition | undefined;
  if (last?.type === "expression_statement") {
    const call = last.node.namedChild(0);
    // The walk recorded the body's `self.next` calls: one of them spanning this call is this call.
    const end = call?.endIndex;
    const seen = call !== null && facts.nextCalls.some((s) => s.start === call.startIndex && s.end === end);
    if (call && (seen || isNextCall(call, selfName))) transition = extractTransition(call, last.node, selfName);
  }
  const strayTransitions = facts.nextCalls.filter((s) => !transition || s.start !== transition.span.start);

  // The def keyword through the signature's colon: up to the body's start, trimmed of whitespace.
  const defEnd = body ? body.startIndex : def.endIndex;
  const defText = def.text.slice(0, Math.max(0, defEnd - def.startIndex));
  const trimmed = defText.replace(/\s+$/, "");
  const defSpan = { start: def.startIndex, end: def.startIndex + trimmed.length };

  const named = textAndSpan(nameNode);
  const step: StepModel = {
    name: named.text,
    span,
    defSpan,
    nameSpan: named.span,
    bodySpan: source ? { start: source.base, end: source.base + source.src.length } : { start: def.endIndex, end: def.endIndex },
    args,
    decorators: decos,
    isStep: stepDeco !== undefined,
    startAnnotated: kwTrue("start"),
    endAnnotated: kwTrue("end"),
    strayTransitions,
    type: "linear",
    next: [],
    parallel: decos.some((d) => d.name === "parallel"),
    writes: facts.writes,
    reads: facts.reads,
    mergeArtifacts: facts.mergeArtifacts,
  };
  const doc = docstringOf(body);
  if (doc !== undefined) step.docstring = doc;
  if (transition) step.transition = transition;
  const attributeErrorHandledIn = body && source ? attributeErrorHandled(body, source.src, source.base) : [];
  return { step, transition, facts, selfName, oddArgs, attributeErrorHandled: attributeErrorHandledIn };
}
