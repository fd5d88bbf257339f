// What the module's top-level imports bind: which local names mean Metaflow's (or Flowlens's)
// `FlowSpec`, `step`, `Parameter`, decorators, and which names come from other modules.
import type { Node } from "../syntax";
import { dottedName } from "../syntax";

/** Modules whose names are Metaflow's API. `flowlens` is Flowlens's compatible re-export. */
export const apiModules = new Set(["metaflow", "flowlens"]);

export interface ImportedName {
  /** Dotted module as written, with leading dots for relative imports (".base"). */
  module: string;
  /** The imported name in that module. */
  name: string;
}

export interface ImportTable {
  /** Local name -> what it refers to, for `from m import a as b`. */
  names: Map<string, ImportedName>;
  /** Local name -> dotted module, for `import m` / `import m as x` (and `import a.b` binds `a`). */
  modules: Map<string, string>;
  /** Modules imported with `*`. */
  starModules: string[];
  /** Names defined at the top level of the module (classes, functions, assignments). */
  localNames: Set<string>;
}

export function emptyImports(): ImportTable {
  return { names: new Map(), modules: new Map(), starModules: [], localNames: new Set() };
}

function moduleNameOf(node: Node | null): string {
  if (!node) return "";
  return node.text.replace(/\s+/g, "");
}

/** Records one top-level statement's bindings. Conditional imports (in `if`/`try`) are followed too. */
export function collectImports(stmt: Node, table: ImportTable, depth = 0): void {
  if (depth > 4) return;
  switch (stmt.type) {
    case "import_statement": {
      for (const c of stmt.namedChildren) {
        if (!c) continue;
        if (c.type === "dotted_name") {
          const full = moduleNameOf(c);
          const first = full.split(".")[0] ?? full;
          table.modules.set(first, first);
          // `import a.b` also makes `a.b.X` reachable; remember the full path under its own text.
          if (full !== first) table.modules.set(full, full);
        } else if (c.type === "aliased_import") {
          const alias = c.childForFieldName("alias")?.text;
          if (alias) table.modules.set(alias, moduleNameOf(c.childForFieldName("name")));
        }
      }
      return;
    }
    case "import_from_statement": {
      const moduleNode = stmt.childForFieldName("module_name");
      const module = moduleNameOf(moduleNode);
      for (const c of stmt.namedChildren) {
        if (!c || (moduleNode && c.startIndex === moduleNode.startIndex && c.endIndex === moduleNode.endIndex)) continue;
        if (c.type === "wildcard_import") table.starModules.push(module);
        else if (c.type === "dotted_name") table.names.set(c.text, { module, name: c.text });
        else if (c.type === "aliased_import") {
          const alias = c.childForFieldName("alias")?.text;
          const name = c.childForFieldName("name")?.text;
          if (alias && name) table.names.set(alias, { module, name });
        }
      }
      return;
    }
    case "future_import_statement":
      return;
    case "class_definition":
    case "function_definition": {
      const name = stmt.childForFieldName("name")?.text;
      if (name) table.localNames.add(name);
      return;
    }
    case "decorated_definition": {
      const def = stmt.childForFieldName("definition");
      if (def) collectImports(def, table, depth);
      return;
    }
    case "expression_statement": {
      const inner = stmt.namedChild(0);
      if (inner?.type === "assignment") {
        const left = inner.childForFieldName("left");
        if (left?.type === "identifier") table.localNames.add(left.text);
      }
      return;
    }
    case "if_statement":
    case "try_statement":
    case "else_clause":
    case "elif_clause":
    case "except_clause":
    case "finally_clause":
    case "block": {
      for (const c of stmt.namedChildren) if (c) collectImports(c, table, depth + 1);
      return;
    }
    default:
      return;
  }
}

export type Resolution =
  | { kind: "api"; module: string; name: string }
  | { kind: "other"; module: string; name: string }
  | { kind: "local"; name: string }
  | { kind: "unknown"; name: string };

/** What a (dotted) name written in the code refers to. */
export function resolveName(written: string, table: ImportTable): Resolution {
  const parts = written.split(".");
  const last = parts[parts.length - 1] ?? written;
  if (parts.length === 1) {
    const imported = table.names.get(written);
    if (imported) {
      const root = imported.module.split(".")[0] ?? "";
      return apiModules.has(root) ? { kind: "api", module: imported.module, name: imported.name } : { kind: "other", module: imported.module, name: imported.name };
    }
    if (table.localNames.has(written)) return { kind: "local", name: written };
    for (const m of table.starModules) {
      const root = m.split(".")[0] ?? "";
      if (apiModules.has(root)) return { kind: "api", module: m, name: written };
    }
    if (table.starModules.length > 0) return { kind: "other", module: table.starModules[0] ?? "", name: written };
    return { kind: "unknown", name: written };
  }
  const head = parts.slice(0, -1).join(".");
  // Longest module prefix bound by `import`.
  const direct = table.modules.get(head) ?? table.modules.get(parts[0] ?? "");
  if (direct !== undefined) {
    const module = table.modules.has(head) ? direct : [direct, ...parts.slice(1, -1)].join(".");
    const root = module.split(".")[0] ?? "";
    return apiModules.has(root) ? { kind: "api", module, name: last } : { kind: "other", module, name: last };
  }
  const fromImport = table.names.get(parts[0] ?? "");
  if (fromImport) {
    const module = [fromImport.module, fromImport.name, ...parts.slice(1, -1)].join(".");
    const root = module.split(".")[0] ?? "";
    return apiModules.has(root) ? { kind: "api", module, name: last } : { kind: "other", module, name: last };
  }
  return { kind: "unknown", name: written };
}

/** Helper for callers holding a node rather than text. */
export function resolveNode(node: Node | null, table: ImportTable): Resolution | undefined {
  const written = dottedName(node);
  return written === undefined ? undefined : resolveName(written, table);
}
