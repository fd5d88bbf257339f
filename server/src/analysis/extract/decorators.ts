// Decorators as written: name, arguments with literal values. Canonical names and origins are
// filled in later from the module's imports (see flow.ts), so that this part can be cached per
// method text.
import { literalValue } from "../literal";
import type { DecoratorArgument, DecoratorModel } from "../model";
import { dottedName, spanOf, type Node } from "../syntax";

export function argumentsOf(argList: Node | null): DecoratorArgument[] {
  const out: DecoratorArgument[] = [];
  if (!argList) return out;
  for (const a of argList.namedChildren) {
    if (!a || a.type === "comment") continue;
    if (a.type === "keyword_argument") {
      const name = a.childForFieldName("name");
      const value = a.childForFieldName("value");
      out.push({
        name: name?.text ?? "",
        value: literalValue(value),
        text: a.text,
        span: spanOf(a),
        valueSpan: value ? spanOf(value) : spanOf(a),
      });
    } else {
      out.push({ name: null, value: literalValue(a), text: a.text, span: spanOf(a), valueSpan: spanOf(a) });
    }
  }
  return out;
}

export function extractDecorator(node: Node): DecoratorModel {
  // Each question to a node is a call into the wasm module: the expression's type is asked once.
  let expr = node;
  let type: string | undefined;
  for (const c of node.namedChildren) {
    const t = c?.type;
    if (c && t !== "comment") {
      expr = c;
      type = t;
      break;
    }
  }
  let callee = expr;
  let args: DecoratorArgument[] = [];
  let called = false;
  if ((type ?? expr.type) === "call") {
    called = true;
    callee = expr.childForFieldName("function") ?? expr;
    args = argumentsOf(expr.childForFieldName("arguments"));
  }
  const written = dottedName(callee) ?? callee.text;
  const parts = written.split(".");
  return {
    name: parts[parts.length - 1] ?? written,
    written,
    origin: "unknown",
    span: spanOf(node),
    nameSpan: spanOf(callee),
    called,
    args,
  };
}
