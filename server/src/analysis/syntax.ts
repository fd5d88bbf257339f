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
  if (node.type === "identifier") return node.text;
  if (node.type === "attribute") {
    const obj = dottedName(node.childForFieldName("object"));
    const attr = node.childForFieldName("attribute");
    if (obj === undefined || !attr) return undefined;
    return `${obj}.${attr.text}`;
  }
  if (node.type === "dotted_name") return node.text.replace(/\s+/g, "");
  return undefined;
}

/** For `self.name` returns the `name` node; undefined when the node is anything else. */
export function selfAttribute(node: Node | null, selfName = "self"): Node | undefined {
  if (!node || node.type !== "attribute") return undefined;
  const obj = node.childForFieldName("object");
  if (!obj || obj.type !== "identifier" || obj.text !== selfName) return undefined;
  return node.childForFieldName("attribute") ?? undefined;
}

/** The function definition inside a possibly decorated definition, with its decorators. */
export function unwrapDefinition(node: Node): { def: Node | undefined; decorators: Node[] } {
  if (node.type === "decorated_definition") {
    const decorators = node.namedChildren.filter((c): c is Node => c !== null && c.type === "decorator");
    const def = node.childForFieldName("definition") ?? undefined;
    return { def, decorators };
  }
  return { def: node, decorators: [] };
}

/** The first statement of a block, skipping comments, without materialising every child. */
export function firstStatement(block: Node | null): Node | undefined {
  let c = block?.firstNamedChild ?? null;
  while (c && c.type === "comment") c = c.nextNamedSibling;
  return c ?? undefined;
}

/** The last statement of a block, skipping comments. */
export function lastStatement(block: Node | null): Node | undefined {
  let c = block?.lastNamedChild ?? null;
  while (c && c.type === "comment") c = c.previousNamedSibling;
  return c ?? undefined;
}
