// Small helpers over tree-sitter nodes. Only types are imported from web-tree-sitter: the core
// receives an already loaded Language from its caller.
import type { Node } from "web-tree-sitter";
import type { Span } from "./model";

export type { Node };

export function spanOf(node: Node): Span {
  return { start: node.startIndex, end: node.endIndex };
}

/** Named children without comments (comments are "extra" nodes that can sit anywhere). */
export function statements(block: Node | null): Node[] {
  if (!block) return [];
  return block.namedChildren.filter((c): c is Node => c !== null && c.type !== "comment");
}

/** `a.b.c` as text for identifiers and attribute chains; undefined for anything else. */
export function dottedName(node: Node | null): string | undefined {
  if (!node) return undefined;
  // Each question to a node is a call into the wasm module: the type is asked once.
  const type = node.type;
  if (type === "identifier") return node.text;
  if (type === "attribute") {
    const obj = dottedName(node.childForFieldName("object"));
    const attr = node.childForFieldName("attribute");
    if (obj === undefined || !attr) return undefined;
    return `${obj}.${attr.text}`;
  }
  if (type === "dotted_name") return node.text.replace(/\s+/g, "");
  return undefined;
}

/** For `self.name` returns the `name` node; undefined when the node is anything else. */
export function selfAttribute(node: Node | null, selfName = "self"): Node | undefined {
  if (!node || node.type !== "attribute") return undefined;
  const obj = node.childForFieldName("object");
  if (!obj || obj.type !== "identifier" || obj.text !== selfName) return undefined;
  return node.childForFieldName("attribute") ?? undefined;
}

const identifier = /^[\p{L}_][\p{L}\p{N}_]*$/u;

/** For an attribute node written exactly `self.name` (no spaces, comments or line breaks), the
 * name and the spans selfAttribute's node would give, read from the text: one call into the
 * wasm module (the node's end) instead of about seven. Undefined for anything else, where
 * callers ask selfAttribute. */
export function plainSelfTarget(node: Node, type: string, selfName: string): { name: string; span: Span; nameSpan: Span } | undefined {
  if (type !== "attribute" || selfName === "") return undefined;
  const text = node.text;
  if (!text.startsWith(selfName) || text[selfName.length] !== ".") return undefined;
  const name = text.slice(selfName.length + 1);
  if (!identifier.test(name)) return undefined;
  const start = node.startIndex;
  const end = start + text.length;
  return { name, span: { start, end }, nameSpan: { start: end - name.length, end } };
}

/** The function definition inside a possibly decorated definition, with its decorators and the
 * definition's type (each question to a node is a call into the wasm module: asked once). */
export function unwrapDefinition(node: Node): { def: Node | undefined; defType: string | undefined; decorators: Node[] } {
  const type = node.type;
  if (type === "decorated_definition") {
    const decorators: Node[] = [];
    const types = new Map<number, string>();
    for (const c of node.namedChildren) {
      if (!c) continue;
      const t = c.type;
      types.set(c.id, t);
      if (t === "decorator") decorators.push(c);
    }
    const def = node.childForFieldName("definition") ?? undefined;
    return { def, defType: def && (types.get(def.id) ?? def.type), decorators };
  }
  return { def: node, defType: type, decorators: [] };
}

/** A node's text and span: one call into the wasm module (its end) where `text` and spanOf take two. */
export function textAndSpan(node: Node): { text: string; span: Span } {
  const text = node.text;
  const start = node.startIndex;
  return { text, span: { start, end: start + text.length } };
}

/** The first statement of a block and its type, skipping comments, without materialising every child. */
export function firstStatement(block: Node | null): { node: Node; type: string } | undefined {
  let c = block?.firstNamedChild ?? null;
  let type = c?.type;
  while (c && type === "comment") {
    c = c.nextNamedSibling;
    type = c?.type;
  }
  return c && type !== undefined ? { node: c, type } : undefined;
}

/** The last statement of a block and its type, skipping comments. */
export function lastStatement(block: Node | null): { node: Node; type: string } | undefined {
  let c = block?.lastNamedChild ?? null;
  let type = c?.type;
  while (c && type === "comment") {
    c = c.previousNamedSibling;
    type = c?.type;
  }
  return c && type !== undefined ? { node: c, type } : undefined;
}
