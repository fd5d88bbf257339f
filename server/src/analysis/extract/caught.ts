// Where a step handles an AttributeError itself: the bodies of its `try` statements that have an
// `except` catching it (bare, AttributeError, Exception or BaseException, alone or in a tuple).
// A write to a read-only attribute there is deliberate (Metaflow's own tests check that
// parameters are read-only that way), so FL110 does not report it.
import type { Span } from "../model";
import type { Node } from "../syntax";

const catching = new Set(["AttributeError", "Exception", "BaseException"]);
const tryKeyword = /\btry\s*:/;

/** The spans of `body`'s try blocks whose handlers catch AttributeError. `text` is the source
 * from `textStart` on that contains the body: most methods have no `try` and cost no tree call. */
export function attributeErrorHandled(body: Node, text: string, textStart: number): Span[] {
  if (!tryKeyword.test(text.slice(body.startIndex - textStart, body.endIndex - textStart))) return [];
  const out: Span[] = [];
  for (const statement of body.descendantsOfType("try_statement")) {
    const block = statement?.childForFieldName("body");
    if (!statement || !block) continue;
    const handled = statement.namedChildren.some((c) => c?.type === "except_clause" && catchesAttributeError(c, text, textStart));
    if (handled) out.push({ start: block.startIndex, end: block.endIndex });
  }
  return out;
}

function catchesAttributeError(clause: Node, text: string, textStart: number): boolean {
  const block = clause.namedChildren.find((c) => c?.type === "block");
  const header = text.slice(clause.startIndex - textStart, (block ?? clause).startIndex - textStart);
  // `except (A, B) as e:  # why` -> "A,B"; a bare `except:` catches everything.
  const types = header
    .replace(/#[^\n]*/g, "")
    .replace(/^except\s*/, "")
    .replace(/:\s*$/, "")
    .replace(/\s+as\s+[\p{L}_][\p{L}\p{N}_]*\s*$/u, "")
    .replace(/[()\s]/g, "");
  if (types === "") return true;
  return types.split(",").some((t) => catching.has(t.slice(t.lastIndexOf(".") + 1)));
}
