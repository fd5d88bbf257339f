// Offsets are UTF-16 code units (JavaScript string indices), also after non-ASCII text.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { LineIndex } from "../../../server/src/analysis/index";
import { getAnalyzer } from "./helpers";

void test("spans after accents and emoji are JavaScript string offsets", async () => {
  const a = await getAnalyzer();
  const text = readFileSync(join(__dirname, "..", "..", "fixtures", "ok-unicode", "flow.py"), "utf8");
  const r = a.analyze(text);
  const flow = r.flows[0];
  assert.ok(flow);
  const end = flow.steps.find((s) => s.name === "end");
  assert.ok(end);
  assert.equal(text.slice(end.nameSpan.start, end.nameSpan.end), "end");
  assert.equal(end.nameSpan.start, text.indexOf("def end") + 4);
  const read = end.reads.find((x) => x.name === "mot");
  assert.ok(read);
  assert.equal(text.slice(read.span.start, read.span.end), "mot");
  assert.equal(flow.steps.find((s) => s.name === "start")?.docstring, "Départ 😀.");
});

void test("a diagnostic after an emoji on the same line has the right column", async () => {
  const a = await getAnalyzer();
  const text = [
    "from metaflow import FlowSpec, step",
    "class F(FlowSpec):",
    "    @step",
    "    def start(self):",
    '        x = "😀😀"; print(self.nope)',
    "        self.next(self.end)",
    "    @step",
    "    def end(self):",
    "        pass",
    'if __name__ == "__main__":',
    "    F()",
    "",
  ].join("\n");
  const d = a.analyze(text).diagnostics.find((x) => x.code === "FL201");
  assert.ok(d);
  const lines = new LineIndex(text);
  const pos = lines.position(d.span.start);
  assert.equal(pos.line, 4);
  assert.equal(pos.character, '        x = "😀😀"; print(self.'.length);
  assert.equal(text.slice(d.span.start, d.span.end), "nope");
});

void test("LineIndex converts both ways and clamps", () => {
  const text = "ab\r\ncd\n\néf";
  const li = new LineIndex(text);
  assert.equal(li.lineCount, 4);
  assert.deepEqual(li.position(0), { line: 0, character: 0 });
  assert.deepEqual(li.position(4), { line: 1, character: 0 });
  assert.deepEqual(li.position(text.length), { line: 3, character: 2 });
  assert.deepEqual(li.position(999), { line: 3, character: 2 });
  assert.equal(li.offset(1, 1), 5);
  assert.equal(li.offset(0, 99), 2);
  assert.equal(li.offset(9, 0), text.length);
  assert.equal(li.lineNumber(8), 4);
});
