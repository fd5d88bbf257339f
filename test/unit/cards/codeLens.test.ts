// "Open card" CodeLens: placed above a step with @card (and only there), with the arguments the
// client's flowlens.openCard command reads.
import assert from "node:assert/strict";
import { test } from "node:test";
import { LineIndex } from "../../../server/src/analysis/index";
import { codeLenses } from "../../../server/src/lsp/codeLens";
import { getAnalyzer } from "../analysis/helpers";

const source = `from metaflow import FlowSpec, step, card


class ReportFlow(FlowSpec):
    @card(type="blank", id="report")
    @step
    def start(self):
        self.next(self.end)

    @step
    def end(self):
        pass
`;

void test("a step with @card gets an Open card lens; a step without gets none", async () => {
  const result = (await getAnalyzer()).analyze(source, { file: "/w/report.py" });
  const lines = new LineIndex(source);
  const map = {
    positionAt: (offset: number) => lines.position(offset),
    offsetAt: (p: { line: number; character: number }) => lines.offset(p.line, p.character),
  };
  const cards = codeLenses(result, map, "file:///w/report.py", "/w/report.py").filter((l) => l.command?.command === "flowlens.openCard");
  assert.equal(cards.length, 1);
  assert.equal(cards[0]?.command?.title, "Open card");
  assert.deepEqual(cards[0]?.command?.arguments?.[0], { uri: "file:///w/report.py", file: "/w/report.py", flow: "ReportFlow", step: "start" });
  assert.equal(cards[0]?.range.start.line, 4, "on the step's first decorator line");
});
