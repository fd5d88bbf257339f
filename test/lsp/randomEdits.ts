// Random edits of a flow's text, as an editor sends them (never splitting a surrogate pair), for
// the soak test and the fuzzer. Seeded, so a failing run replays exactly.
import type { Position } from "vscode-languageserver-protocol";

const snippets = ["self.", "self.next(", "self.next(self.end)", "\n    @step\n    def ", "inputs.", "@", ")", "(", ":", '"', "\n", "        ", 'foreach="', "\u0000\u00ff\ud800", "def x(self, inputs):", "🙂", "class A(FlowSpec):\n"];

export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  return { line, character: offset - (before.lastIndexOf("\n") + 1) };
}

export interface RandomEdit {
  start: number;
  end: number;
  insert: string;
}

/** One random edit of `text`: a deletion of up to 11 characters and/or an inserted snippet. */
export function randomEdit(text: string, next: () => number): RandomEdit {
  const start = Math.floor(next() * (text.length + 1));
  // Never split a surrogate pair: editors do not, and offsets inside one are not positions.
  const safeStart = start > 0 && /[\udc00-\udfff]/.test(text.charAt(start)) ? start - 1 : start;
  const del = next() < 0.4 ? Math.floor(next() * 12) : 0;
  let end = Math.min(text.length, safeStart + del);
  if (end > 0 && /[\udc00-\udfff]/.test(text.charAt(end))) end -= 1;
  if (end < safeStart) end = safeStart;
  const insert = next() < 0.8 ? (snippets[Math.floor(next() * snippets.length)] ?? "") : "";
  return { start: safeStart, end, insert };
}

export function applyEdit(text: string, e: RandomEdit): string {
  return text.slice(0, e.start) + e.insert + text.slice(e.end);
}
