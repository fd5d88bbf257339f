// `from metaflow import X` statements anywhere in a module (top level, steps, helpers), with the
// span of each imported name: the refused-import check (rules/imports.ts) reads them.
import type { Span } from "../model";
import { spanOf, type Node } from "../syntax";

export interface ApiImport {
  /** Dotted module as written: "metaflow", "metaflow.cards". */
  module: string;
  /** The imported name (not the alias). */
  name: string;
  span: Span;
  /** Inside the body of a `try`: the flow may handle the ImportError itself. */
  guarded: boolean;
}

const fromMetaflow = /\bfrom[ \t]+(metaflow(?:[ \t]*\.[ \t]*[A-Za-z_]\w*)*)[ \t]+import\b/g;

function inTryBody(node: Node): boolean {
  for (let n = node.parent; n; n = n.parent) if (n.type === "block" && n.parent?.type === "try_statement") return true;
  return false;
}

/** Finds the statements by their text, then confirms each in the tree (so strings and comments that
 * merely contain the words are ignored) without walking the whole tree. */
export function findApiImports(root: Node, text: string): ApiImport[] {
  const out: ApiImport[] = [];
  fromMetaflow.lastIndex = 0;
  for (let m = fromMetaflow.exec(text); m !== null && out.length < 200; m = fromMetaflow.exec(text)) {
    let stmt: Node | null = root.descendantForIndex(m.index);
    while (stmt && stmt.type !== "import_from_statement" && stmt.type !== "module") stmt = stmt.parent;
    if (!stmt || stmt.type !== "import_from_statement" || stmt.startIndex !== m.index) continue;
    const moduleNode = stmt.childForFieldName("module_name");
    const module = (moduleNode?.text ?? "").replace(/\s+/g, "");
    const guarded = inTryBody(stmt);
    for (const c of stmt.namedChildren) {
      if (!c || c.id === moduleNode?.id) continue;
      const nameNode = c.type === "aliased_import" ? c.childForFieldName("name") : c.type === "dotted_name" ? c : null;
      if (nameNode) out.push({ module, name: nameNode.text, span: spanOf(nameNode), guarded });
    }
  }
  return out;
}
