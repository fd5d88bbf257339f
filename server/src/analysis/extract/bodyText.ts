// The text-only half of the body walk: most interesting nodes are decided from their source text
// and offsets, because every question put to a tree-sitter node is a call into the wasm module.
import type { Node } from "../syntax";

/** What the fast path decided about a node: "visit" it, "done" (its children may hold more), or
 * "whole" (nothing inside it is left, as in a plain `self.x`). */
export type Verdict = "visit" | "done" | "whole";

/** `.name` with the name captured, as a regular expression's source. */
const dotName = "\\.([\\p{L}_][\\p{L}\\p{N}_]*)";

/** The first parameter's text can be anything in a broken file: escaped for a regular expression. */
function escaped(selfName: string): string {
  return selfName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A step body's source, read from the tree once for the whole walk: every question to the tree is a call into the wasm module. */
export interface BodySource {
  /** The body's text. */
  src: string;
  /** Where the body starts in the document. */
  base: number;
  /** Whether the body contains a syntax error (when not, no node inside it does). */
  hasError: boolean;
}

export function bodySource(body: Node): BodySource {
  return { src: body.text, base: body.startIndex, hasError: body.hasError };
}

/** Where the fast path records what it found (body.ts's walker). */
export interface TextWalker {
  readAt(start: number, name: string, end: number): void;
  writeAt(start: number, name: string, nameEnd: number, end: number): void;
  selfCallAt(start: number, name: string): void;
}

/**
 * Most interesting nodes are decided from their text alone, without creating a Node (each Node
 * costs calls into the wasm module): "visit" when it must be visited, "done" when it is done but
 * its children may hold more, "whole" when nothing inside it is left (a plain `self.x`).
 */
export function fastPath(walker: TextWalker, body: BodySource, selfName: string, inputsName: string | undefined, mentions: (start: number, end: number) => boolean): (node: Node, type: string, start: number, end: number) => Verdict {
  const { src, base } = body;
  const selfDot = `${selfName}.`;
  const selfRe = escaped(selfName);
  const exactSelf = new RegExp(`^${selfRe}${dotName}$`, "u");
  const selfCall = new RegExp(`^${selfRe}${dotName}\\s*\\(`, "u");
  return (node, type, start, end) => {
    const t = src.slice(start - base, end - base);
    switch (type) {
      case "attribute": {
        if (!t.startsWith(selfDot)) return inputsName === undefined ? "done" : "visit";
        const m = exactSelf.exec(t);
        if (!m) return inputsName === undefined ? "done" : "visit";
        walker.readAt(start, m[1] ?? "", end);
        return "whole";
      }
      case "call": {
        if (t.startsWith(selfDot)) {
          const name = selfCall.exec(t)?.[1];
          if (name === undefined) return "done";
          if (name === "next" || name === "merge_artifacts") return "visit";
          walker.selfCallAt(start, name);
          // Outside joins, arguments that never mention `self` hold nothing more.
          return inputsName === undefined && !mentions(start + selfName.length, end) ? "whole" : "done";
        }
        return t.startsWith("hasattr") || t.startsWith("getattr") || t.startsWith("setattr") ? "visit" : "done";
      }
      case "assignment": {
        const eq = t.indexOf("=");
        const left = eq === -1 ? t : t.slice(0, eq);
        if (!left.includes(selfDot)) return "done";
        // `self.x = value`: the target is read from the text. A node without errors that has an
        // `=` has its right-hand side, which the visit would have checked.
        const target = left.trimEnd();
        const m = t[eq + 1] === "=" ? null : exactSelf.exec(target);
        if (!m || (body.hasError && node.hasError)) return "visit";
        walker.writeAt(start, m[1] ?? "", start + target.length, end);
        return inputsName === undefined && !mentions(start + eq + 1, end) ? "whole" : "done";
      }
      case "expression_statement": {
        // Asked only outside joins, in a body without syntax errors, for a statement starting
        // with `self.`: `self.x = value` there is one assignment spanning the statement, and
        // when `value` never mentions `self` the assignment's own verdict would be "whole".
        // Deciding it here spares asking for the statement's child and its type.
        const eq = t.indexOf("=");
        if (eq === -1 || t[eq + 1] === "=" || mentions(start + eq + 1, end)) return "done";
        const target = t.slice(0, eq).trimEnd();
        const m = exactSelf.exec(target);
        if (!m) return "done";
        walker.writeAt(start, m[1] ?? "", start + target.length, end);
        return "whole";
      }
      case "augmented_assignment":
        return t.startsWith(selfDot) ? "visit" : "done";
      default:
        return inputsName === undefined ? "done" : "visit";
    }
  };
}

/** Whether the body's text mentions `self` inside [start, end): a binary search over its occurrences. */
export function selfMentions(body: BodySource, selfName: string): (start: number, end: number) => boolean {
  const { src, base } = body;
  const selfAt: number[] = [];
  // A broken parameter list (`def start(, x):`) leaves no name for self: nothing mentions it
  // (and indexOf("") would find a match at every offset, forever).
  if (selfName === "") return () => false;
  for (let i = src.indexOf(selfName); i !== -1; i = src.indexOf(selfName, i + 1)) selfAt.push(i + base);
  return (start, end) => {
    let lo = 0;
    let hi = selfAt.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((selfAt[mid] ?? 0) < start) lo = mid + 1;
      else hi = mid;
    }
    const at = selfAt[lo];
    return at !== undefined && at + selfName.length <= end;
  };
}

/** For an attribute node written exactly `self.name` (no spaces, comments or line breaks), its
 * name, read from the text: two calls into the wasm module instead of selfAttribute's five or
 * six. Undefined for anything else, where callers ask selfAttribute. */
export function plainSelf(body: BodySource, selfName: string): (node: Node, type?: string) => string | undefined {
  const { src, base } = body;
  const exactSelf = new RegExp(`^${escaped(selfName)}${dotName}$`, "u");
  return (node, type = node.type) => {
    if (selfName === "" || type !== "attribute") return undefined;
    return exactSelf.exec(src.slice(node.startIndex - base, node.endIndex - base))?.[1];
  };
}
