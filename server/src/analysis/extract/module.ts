// The top level of a module: imports, classes with their methods, class attributes and
// docstrings, and where the syntax errors are. Methods come from a cache keyed by their text.
import type { Tree } from "web-tree-sitter";
import { literalValue } from "../literal";
import type { DecoratorArgument, DecoratorModel, Span } from "../model";
import { dottedName, spanOf, statements, unwrapDefinition, type Node } from "../syntax";
import { findApiImports, type ApiImport } from "./apiImports";
import { argumentsOf, extractDecorator } from "./decorators";
import { collectImports, emptyImports, type ImportTable } from "./imports";
import { docstringOf, type ExtractedMethod } from "./method";
import { MethodCache } from "./methodCache";
import { importsKey } from "./resolve";

export { MethodCache };

export interface ClassAttribute {
  /** `alpha` in `alpha = Parameter(...)`. */
  name: string;
  nameSpan: Span;
  span: Span;
  /** For a call on the right-hand side: the callee as written and its arguments. */
  callee?: string;
  args?: DecoratorArgument[];
  /** For a literal right-hand side. */
  isLiteral: boolean;
}

export interface ClassFacts {
  name: string;
  span: Span;
  nameSpan: Span;
  docstring?: string;
  bases: { text: string; span: Span }[];
  decorators: DecoratorModel[];
  methods: ExtractedMethod[];
  attributes: ClassAttribute[];
}

export interface SyntaxProblem {
  span: Span;
  missing?: string;
  text: string;
}

export interface ModuleFacts {
  imports: ImportTable;
  classes: ClassFacts[];
  /** Class names instantiated in the `if __name__ == "__main__":` block. */
  instantiated: Set<string>;
  syntaxErrors: SyntaxProblem[];
  /** `from metaflow import X` anywhere in the module, for the refused-import check. */
  apiImports: ApiImport[];
}

function extractClass(node: Node, decorators: DecoratorModel[], text: string, cache: MethodCache, imports: ImportTable): ClassFacts | undefined {
  const nameNode = node.childForFieldName("name");
  if (!nameNode) return undefined;
  const body = node.childForFieldName("body");
  const bases: ClassFacts["bases"] = [];
  for (const b of node.childForFieldName("superclasses")?.namedChildren ?? []) {
    if (!b || b.type === "comment" || b.type === "keyword_argument") continue;
    bases.push({ text: dottedName(b) ?? b.text, span: spanOf(b) });
  }
  const facts: ClassFacts = { name: nameNode.text, span: spanOf(node), nameSpan: spanOf(nameNode), bases, decorators, methods: [], attributes: [] };
  const doc = docstringOf(body);
  if (doc !== undefined) facts.docstring = doc;
  if (!body) return facts;
  // A cursor over the class body: methods whose text is cached never become Node objects.
  const mayHaveErrors = node.hasError;
  const cursor = body.walk();
  try {
    for (let ok = cursor.gotoFirstChild(); ok; ok = cursor.gotoNextSibling()) {
      const type = cursor.nodeType;
      if (type === "decorated_definition" || type === "function_definition") {
        const start = cursor.startIndex;
        const m = cache.get(text, start, cursor.endIndex, () => cursor.currentNode, imports, mayHaveErrors);
        if (m) facts.methods.push(m);
        continue;
      }
      if (type !== "expression_statement") continue;
      const stmt = cursor.currentNode;
      const assign = stmt.namedChild(0);
      if (assign?.type !== "assignment") continue;
      const left = assign.childForFieldName("left");
      const right = assign.childForFieldName("right");
      if (left?.type !== "identifier") continue;
      const attr: ClassAttribute = { name: left.text, nameSpan: spanOf(left), span: spanOf(stmt), isLiteral: right ? literalValue(right) !== undefined : false };
      if (right?.type === "call") {
        const fn = right.childForFieldName("function");
        attr.callee = dottedName(fn) ?? fn?.text ?? "";
        attr.args = argumentsOf(right.childForFieldName("arguments"));
      }
      facts.attributes.push(attr);
    }
  } finally {
    cursor.delete();
  }
  return facts;
}

/** Collects ERROR and MISSING nodes, descending only into subtrees that contain one. */
function collectSyntaxErrors(root: Node, out: SyntaxProblem[]): void {
  if (!root.hasError) return;
  const stack: Node[] = [root];
  while (stack.length > 0 && out.length < 100) {
    const n = stack.pop();
    if (!n) break;
    if (n.isMissing) {
      out.push({ span: spanOf(n), missing: n.type, text: "" });
      continue;
    }
    if (n.isError) {
      out.push({ span: spanOf(n), text: n.text.slice(0, 40) });
      continue;
    }
    const kids = n.children;
    for (let i = kids.length - 1; i >= 0; i--) {
      const k = kids[i];
      if (k && (k.hasError || k.isMissing)) stack.push(k);
    }
  }
  out.sort((a, b) => a.span.start - b.span.start);
}

function mainBlockInstantiations(stmt: Node, out: Set<string>): void {
  const cond = stmt.childForFieldName("condition");
  if (!cond || !cond.text.includes("__main__")) return;
  const re = /\b([A-Za-z_][A-Za-z0-9_]*)\s*\(/g;
  const body = stmt.text;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body)) !== null) if (m[1]) out.add(m[1]);
}

export function extractModule(tree: Tree, text: string, cache: MethodCache): ModuleFacts {
  const root = tree.rootNode;
  const imports = emptyImports();
  const classes: ClassFacts[] = [];
  const instantiated = new Set<string>();
  const top = statements(root);
  for (const stmt of top) collectImports(stmt, imports);
  cache.setScope(importsKey(imports));
  for (const stmt of top) {
    if (stmt.type === "if_statement") mainBlockInstantiations(stmt, instantiated);
    if (stmt.type !== "class_definition" && stmt.type !== "decorated_definition") continue;
    const { def, defType, decorators } = unwrapDefinition(stmt);
    if (def && defType === "class_definition") {
      const c = extractClass(def, decorators.map(extractDecorator), text, cache, imports);
      if (c) {
        if (stmt.type === "decorated_definition") c.span = spanOf(stmt);
        classes.push(c);
      }
    }
  }
  const syntaxErrors: SyntaxProblem[] = [];
  collectSyntaxErrors(root, syntaxErrors);
  return { imports, classes, instantiated, syntaxErrors, apiImports: findApiImports(root, text) };
}
