// A `self.merge_artifacts(inputs, include=[...], exclude=[...])` call in a join: its lists, and
// whether a failure of it may be handled by the step itself.
import { literalValue } from "../literal";
import { spanOf, type Node } from "../syntax";
import type { MergeCall } from "./body";

function stringList(node: Node | null): string[] | undefined {
  const v = literalValue(node);
  if (Array.isArray(v)) {
    const out = v.filter((x): x is string => typeof x === "string");
    return out.length === v.length ? out : undefined;
  }
  if (typeof v === "string") return [v];
  return undefined;
}

/**
 * Whether an exception raised by `node` may be handled by the step itself: the call is in the
 * body of a `try`, or in a lambda or nested function (called later, often by a helper that
 * expects the exception).
 */
function mayBeHandled(node: Node, body: Node): boolean {
  for (let n = node.parent; n && n.startIndex >= body.startIndex && n.id !== body.id; n = n.parent) {
    if (n.type === "lambda" || n.type === "function_definition") return true;
    if (n.type === "block" && n.parent?.type === "try_statement") return true;
  }
  return false;
}

export function mergeCall(node: Node, body: Node): MergeCall {
  const args = node.childForFieldName("arguments");
  const entry: MergeCall = { span: spanOf(node) };
  if (mayBeHandled(node, body)) entry.guarded = true;
  for (const a of args?.namedChildren ?? []) {
    if (a?.type !== "keyword_argument") continue;
    const k = a.childForFieldName("name")?.text;
    const list = stringList(a.childForFieldName("value"));
    if (k === "include" && list) entry.include = list;
    if (k === "exclude" && list) entry.exclude = list;
  }
  return entry;
}
