// A session reuses work between edits (methods by position and text, typed steps, each class's
// rule findings with offsets moved). Whatever the edits, its result must deep-equal a fresh
// analysis of the same text: flows, spans, diagnostics, dependencies, key for key.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { TextChange } from "../../../server/src/analysis/index";
import { diskModuleResolver } from "../../../server/src/parser/workspaceModules";
import { getAnalyzer } from "./helpers";
import { seededRandom as prng } from "../../support/random";

const root = join(__dirname, "..", "..", "fixtures");
const cases = readdirSync(root).sort();


// Mostly edits that keep the code valid and only move offsets (the reuse paths), some that
// change names, reads and structure.
const pieces = [" ", " ", "\n", "# note\n", "x", "self.", "self.value", "(", ":", "    ", '"', "@step\n"];

/** Offsets where reuse is most fragile: the ends of methods, the starts of decorators and
 * definitions, and artifact accesses (an edit right next to a span). */
function hotSpot(text: string, rnd: () => number): number | undefined {
  const marks = ["\n\n    ", "@step", "def ", "self.", ")\n"];
  const mark = marks[Math.floor(rnd() * marks.length)] ?? "self.";
  const found: number[] = [];
  for (let i = text.indexOf(mark); i !== -1; i = text.indexOf(mark, i + 1)) found.push(i);
  const at = found[Math.floor(rnd() * found.length)];
  return at === undefined ? undefined : Math.max(0, Math.min(text.length, at + Math.floor(rnd() * 3) - 1));
}

function randomChange(text: string, rnd: () => number): TextChange {
  const start = (rnd() < 0.5 ? hotSpot(text, rnd) : undefined) ?? Math.floor(rnd() * (text.length + 1));
  const r = rnd();
  if (r < 0.6) return { start, end: start, newText: pieces[Math.floor(rnd() * pieces.length)] ?? " " };
  const end = Math.min(text.length, start + 1 + Math.floor(rnd() * 4));
  return { start, end, newText: r < 0.8 ? "" : (pieces[Math.floor(rnd() * pieces.length)] ?? "") };
}

function apply(text: string, c: TextChange): string {
  return text.slice(0, c.start) + (c.newText ?? "") + text.slice(c.end);
}

void test("after random edits, a session's result deep-equals a fresh analyze() of the text", async () => {
  const a = await getAnalyzer();
  const rnd = prng(20261126);
  let compared = 0;
  for (const name of cases) {
    const file = join(root, name, "flow.py");
    const options = { file, resolveModule: diskModuleResolver(file) };
    let text = readFileSync(file, "utf8");
    const doc = a.openDocument(file, text, options);
    doc.result();
    for (let i = 0; i < 40; i++) {
      // One or two sequential changes per update, as LSP contentChanges may carry.
      const changes: TextChange[] = [];
      for (let k = rnd() < 0.2 ? 2 : 1; k > 0; k--) {
        const c = randomChange(text, rnd);
        changes.push(c);
        text = apply(text, c);
      }
      doc.update(text, changes);
      // Sometimes two updates arrive before the next result.
      if (rnd() < 0.3) continue;
      const fresh = a.analyze(text, options);
      assert.deepStrictEqual(doc.result(), fresh, `${name}: session and fresh analysis differ after edit ${i} on:\n${text}`);
      compared++;
    }
    doc.dispose();
  }
  assert.ok(compared > cases.length * 20, `only ${compared} comparisons`);
  console.log(`sessionRandom: ${compared} comparisons over ${cases.length} fixtures`);
});

void test("newlines typed above the steps move every reused finding with its text", async () => {
  const a = await getAnalyzer();
  const file = join(root, "fl201-read-never-set", "flow.py");
  let text = readFileSync(file, "utf8");
  const doc = a.openDocument(file, text);
  const before = doc.result().diagnostics.filter((d) => d.code === "FL201");
  assert.ok(before.length > 0);
  // Each newline above the first step moves every step and finding; the findings are reused.
  const at = text.indexOf("    @step");
  for (let i = 0; i < 5; i++) {
    text = text.slice(0, at) + "\n" + text.slice(at);
    doc.update(text, [{ start: at, end: at, newText: "\n" }]);
    const now = doc.result();
    assert.deepStrictEqual(now, a.analyze(text, { file }));
    for (const d of now.diagnostics.filter((x) => x.code === "FL201")) assert.match(text.slice(d.span.start, d.span.end), /^[A-Za-z_]\w*$/);
  }
  doc.dispose();
});
