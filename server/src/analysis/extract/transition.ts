// The tail `self.next(...)` of a step: its targets, keywords and which of Metaflow's shapes it has.
import { literalValue } from "../literal";
import type { KeywordArgument, Transition, TransitionTarget } from "../model";
import { plainSelfTarget, selfAttribute, spanOf, type Node } from "../syntax";

export type TransitionShape = "linear" | "split" | "foreach" | "parallel" | "switch" | "invalid";

/** Transition plus what the core needs internally; `shape` is an added field of the contract. */
export interface ExtractedTransition extends Transition {
  shape: TransitionShape;
  /** Positional arguments that are not `self.<step>` (nor a dict of them): FL009 points at them. */
  badTargets: { span: { start: number; end: number }; text: string }[];
  /** A dict of cases was given (a switch), even when malformed. */
  hasCases: boolean;
}

export const knownNextKeywords = new Set(["foreach", "condition", "num_parallel"]);

export function extractTransition(call: Node, statement: Node, selfName: string): ExtractedTransition {
  const targets: TransitionTarget[] = [];
  const keywords: KeywordArgument[] = [];
  const badTargets: ExtractedTransition["badTargets"] = [];
  let dicts = 0;
  let plain = 0;
  const argList = call.childForFieldName("arguments");
  for (const a of argList?.namedChildren ?? []) {
    // Each question to a node is a call into the wasm module: its type is asked once.
    const type = a?.type;
    if (!a || type === "comment") continue;
    if (type === "keyword_argument") {
      const name = a.childForFieldName("name");
      const value = a.childForFieldName("value");
      keywords.push({ name: name?.text ?? "", value: literalValue(value), text: a.text, span: spanOf(a), valueSpan: value ? spanOf(value) : spanOf(a) });
      continue;
    }
    if (type === "dictionary") {
      dicts++;
      for (const pair of a.namedChildren) {
        const pairType = pair?.type;
        if (!pair || pairType === "comment") continue;
        const key = pairType === "pair" ? pair.childForFieldName("key") : null;
        const value = pairType === "pair" ? pair.childForFieldName("value") : null;
        const keyValue = literalValue(key) ?? configKey(key, selfName);
        const nameNode = selfAttribute(value, selfName);
        if (!key || !value || !nameNode || (typeof keyValue !== "string" && typeof keyValue !== "number")) {
          badTargets.push({ span: spanOf(pair), text: pair.text });
          continue;
        }
        targets.push({ name: nameNode.text, span: spanOf(value), nameSpan: spanOf(nameNode), caseKey: keyValue, caseKeySpan: spanOf(key) });
      }
      continue;
    }
    const written = plainSelfTarget(a, type, selfName);
    if (written) {
      plain++;
      targets.push(written);
      continue;
    }
    const nameNode = selfAttribute(a, selfName);
    if (nameNode) {
      plain++;
      targets.push({ name: nameNode.text, span: spanOf(a), nameSpan: spanOf(nameNode) });
    } else {
      badTargets.push({ span: spanOf(a), text: a.text });
    }
  }

  const kw = (n: string) => keywords.find((k) => k.name === n);
  const foreachKw = kw("foreach");
  const conditionKw = kw("condition");
  const parallelKw = kw("num_parallel");
  const known = [foreachKw, conditionKw, parallelKw].filter((k) => k !== undefined).length;

  let shape: TransitionShape = "invalid";
  if (badTargets.length === 0) {
    if (dicts === 0 && known === 0 && plain >= 1) shape = plain === 1 ? "linear" : "split";
    else if (dicts === 0 && plain === 1 && known === 1 && foreachKw) shape = "foreach";
    else if (dicts === 0 && plain === 1 && known === 1 && parallelKw) shape = "parallel";
    else if (dicts === 1 && plain === 0 && (known === 0 || (known === 1 && conditionKw))) shape = "switch";
  }

  const t: ExtractedTransition = {
    span: spanOf(call),
    statementSpan: spanOf(statement),
    targets,
    keywords,
    valid: shape !== "invalid" && !(shape === "switch" && !conditionKw),
    shape,
    badTargets,
    hasCases: dicts > 0,
  };
  if (foreachKw && typeof foreachKw.value === "string") t.foreach = { artifact: foreachKw.value, span: foreachKw.valueSpan };
  if (conditionKw && typeof conditionKw.value === "string") t.condition = { artifact: conditionKw.value, span: conditionKw.valueSpan };
  if (parallelKw) t.numParallel = { value: typeof parallelKw.value === "number" ? parallelKw.value : undefined, span: parallelKw.valueSpan };
  return t;
}

/** A case key `self.cfg.key` names a config value, resolved when the run starts; Metaflow records it
 * as "config:cfg.key". */
function configKey(key: Node | null, selfName: string): string | undefined {
  if (key?.type !== "attribute") return undefined;
  const config = selfAttribute(key.childForFieldName("object"), selfName);
  const field = key.childForFieldName("attribute");
  return config && field ? `config:${config.text}.${field.text}` : undefined;
}

/** `self.next(...)`: is this call one? */
export function isNextCall(call: Node | null, selfName: string): boolean {
  if (!call || call.type !== "call") return false;
  return selfAttribute(call.childForFieldName("function"), selfName)?.text === "next";
}
