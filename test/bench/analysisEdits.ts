// The one-character-edit benchmark of the analysis core: an open document's session re-analysed
// after a keystroke, in a step body and above every step (the worst case: every method shifts).
import type { Analyzer } from "../../server/src/analysis/index";
import { stats, timed } from "./stats";

/** Applies `count` alternating insert/remove edits at the offsets `where(n)` gives; returns the figures. */
function editLoop(session: ReturnType<Analyzer["openDocument"]>, text: string, count: number, where: (n: number) => number, char: string): { wall: number[]; cpu: number[]; text: string } {
  let current = text;
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let n = 0; n < count; n++) {
    const at = where(n);
    const insert = n % 2 === 0;
    const edit = insert ? { start: at, end: at, newText: char } : { start: at, end: at + 1, newText: "" };
    const next = current.slice(0, edit.start) + edit.newText + current.slice(edit.end);
    const [w, c] = timed(() => {
      session.update(next, [edit]);
      session.result();
    });
    wall.push(w);
    cpu.push(c);
    // Inserts and removals alternate at the same place, so the positions stay valid.
    current = next;
  }
  return { wall, cpu, text: current };
}

/** Prints the edit figures of a 5,000-line flow; `label` says under which Node flags they ran. */
export function benchEdits(analyzer: Analyzer, text: string, label: string): void {
  const lineCount = text.split("\n").length;
  const session = analyzer.openDocument("big.py", text);
  session.result();
  // One-character edits in step bodies: insert a space after "total = 0", then remove it. The
  // first 50 warm the JIT and are not counted.
  const positions: number[] = [];
  for (let i = text.indexOf("total = 0"); i !== -1; i = text.indexOf("total = 0", i + 1)) positions.push(i + "total =".length);
  const inStep = (n: number) => positions[(Math.floor(n / 2) * 7919) % positions.length] ?? 0;
  const warmup = editLoop(session, text, 50, inStep, " ");
  const body = editLoop(session, warmup.text, 1000, inStep, " ");
  console.log(`analysis: re-analysis after a one-character edit (${lineCount} lines), ${label}: wall ${stats(body.wall)}; cpu ${stats(body.cpu)}`);
  // Inside the class docstring, above every step. (A new comment line at the very top of the
  // file is worse: tree-sitter then re-parses the whole file, ~40 ms here.) Found once: after
  // the first insert the phrase no longer matches, and searching again would edit offset 0.
  const at = body.text.indexOf("A generated flow") + 1;
  const top = editLoop(session, body.text, 300, () => at, "x");
  console.log(`analysis: re-analysis after a one-character edit above every step (every step shifts), ${label}: wall ${stats(top.wall)}; cpu ${stats(top.cpu)}`);
  session.dispose();
}
