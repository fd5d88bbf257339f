// Static evaluation of Python literals (no code is run): strings, numbers, booleans, None,
// lists, tuples, sets and dicts of those. Anything else evaluates to undefined.
import type { LiteralValue } from "./model";
import type { Node } from "./syntax";

const simpleEscapes: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
  "0": "\0",
  "\n": "",
};

function unescape(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|[\s\S])/g, (all, esc: string) => {
    const c = esc[0] ?? "";
    if (c === "x" || c === "u" || c === "U") return String.fromCodePoint(parseInt(esc.slice(1), 16));
    if (/[0-7]/.test(c) && esc.length > 0 && /^[0-7]+$/.test(esc)) return String.fromCodePoint(parseInt(esc, 8));
    const simple = simpleEscapes[c];
    return simple ?? all;
  });
}

/** The value of a single `string` node; undefined for f-strings with interpolations and bytes. */
export function stringValue(node: Node, type = node.type): string | undefined {
  if (type === "concatenated_string") {
    let out = "";
    for (const part of node.namedChildren) {
      if (!part) continue;
      const v = stringValue(part);
      if (v === undefined) return undefined;
      out += v;
    }
    return out;
  }
  if (type !== "string") return undefined;
  const text = node.text;
  const m = /^([a-zA-Z]*)('''|"""|'|")/.exec(text);
  if (!m) return undefined;
  const prefix = (m[1] ?? "").toLowerCase();
  const quote = m[2] ?? '"';
  if (prefix.includes("b")) return undefined;
  if (prefix.includes("f") && node.namedChildren.some((c) => c?.type === "interpolation")) return undefined;
  if (!text.endsWith(quote) || text.length < prefix.length + 2 * quote.length) return undefined;
  const body = text.slice(prefix.length + quote.length, text.length - quote.length);
  return prefix.includes("r") ? body : unescape(body);
}

function numberValue(text: string, isFloat: boolean): number | undefined {
  const t = text.replace(/_/g, "");
  if (/[jJ]$/.test(t)) return undefined;
  if (isFloat) {
    const v = Number(t);
    return Number.isFinite(v) ? v : undefined;
  }
  let v: number;
  if (/^0[xX]/.test(t)) v = parseInt(t.slice(2), 16);
  else if (/^0[oO]/.test(t)) v = parseInt(t.slice(2), 8);
  else if (/^0[bB]/.test(t)) v = parseInt(t.slice(2), 2);
  else v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

/** Evaluates a literal expression; undefined when it is not one. */
export function literalValue(node: Node | null, depth = 0): LiteralValue | undefined {
  if (!node || depth > 50) return undefined;
  const type = node.type;
  switch (type) {
    case "string":
    case "concatenated_string":
      return stringValue(node, type);
    case "integer":
      return numberValue(node.text, false);
    case "float":
      return numberValue(node.text, true);
    case "true":
      return true;
    case "false":
      return false;
    case "none":
      return null;
    case "parenthesized_expression": {
      const inner = node.namedChildren.find((c) => c !== null && c.type !== "comment");
      return literalValue(inner ?? null, depth + 1);
    }
    case "unary_operator": {
      const op = node.childForFieldName("operator")?.text;
      const v = literalValue(node.childForFieldName("argument"), depth + 1);
      if (typeof v !== "number") return undefined;
      if (op === "-") return -v;
      if (op === "+") return v;
      return undefined;
    }
    case "list":
    case "tuple":
    case "set": {
      const out: LiteralValue[] = [];
      for (const c of node.namedChildren) {
        if (!c || c.type === "comment") continue;
        const v = literalValue(c, depth + 1);
        if (v === undefined) return undefined;
        out.push(v);
      }
      return out;
    }
    case "dictionary": {
      const out: { [key: string]: LiteralValue } = {};
      for (const c of node.namedChildren) {
        if (!c || c.type === "comment") continue;
        if (c.type !== "pair") return undefined;
        const k = literalValue(c.childForFieldName("key"), depth + 1);
        const v = literalValue(c.childForFieldName("value"), depth + 1);
        if (v === undefined || (typeof k !== "string" && typeof k !== "number" && typeof k !== "boolean" && k !== null)) return undefined;
        out[String(k)] = v;
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** Python's `inspect.cleandoc`: strip the common indentation and blank leading/trailing lines. */
export function cleandoc(doc: string): string {
  const lines = doc.replace(/\t/g, "        ").split(/\r?\n/);
  let margin = Infinity;
  for (const line of lines.slice(1)) {
    const stripped = line.trimStart();
    if (stripped.length > 0) margin = Math.min(margin, line.length - stripped.length);
  }
  const out = [(lines[0] ?? "").trimStart()];
  for (const line of lines.slice(1)) out.push(margin === Infinity ? line : line.slice(margin));
  while (out.length > 0 && (out[0] ?? "").trim() === "") out.shift();
  while (out.length > 0 && (out[out.length - 1] ?? "").trim() === "") out.pop();
  return out.join("\n");
}
