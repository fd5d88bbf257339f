// Each quick fix, applied through the server, makes its finding go away.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { CodeAction, Diagnostic } from "vscode-languageserver-protocol";
import { LspClient, repoRoot, uriOf } from "./client";
import { applyEdits } from "./fixtures";

const head = "from metaflow import FlowSpec, step, retry\n\n\nclass F(FlowSpec):\n";
const end = "    @step\n    def end(self):\n        pass\n";

interface Case {
  code: string;
  title: RegExp;
  text: string;
  /** The fix removes its finding but the flow has others (a switch into a join is also FL013). */
  otherErrors?: boolean;
}

const cases: Case[] = [
  {
    code: "FL010",
    title: /^Create step 'train'/,
    text: head + "    @step\n    def start(self):\n        self.next(self.train)\n\n" + end,
  },
  {
    code: "FL010",
    title: /^Change to join_stats$/,
    text: head + "    @step\n    def start(self):\n        self.next(self.join_stat)\n\n    @step\n    def join_stats(self):\n        self.next(self.end)\n\n" + end,
  },
  {
    code: "FL015",
    title: /^Insert step/,
    text: head + '    @step\n    def start(self):\n        self.items = [1, 2]\n        self.next(self.join, foreach="items")\n\n    @step\n    def join(self, inputs):\n        self.next(self.end)\n\n' + end,
  },
  {
    code: "FL019",
    title: /^Insert step/,
    otherErrors: true,
    text:
      head +
      '    @step\n    def start(self):\n        self.choice = "a"\n        self.next({"a": self.a, "b": self.join}, condition="choice")\n\n    @step\n    def a(self):\n        self.next(self.join)\n\n    @step\n    def join(self, inputs):\n        self.next(self.end)\n\n' +
      end,
  },
  {
    code: "FL006",
    title: /^Rename step to 'load_data'/,
    text: head + "    @step\n    def start(self):\n        self.next(self.loadData)\n\n    @step\n    def loadData(self):\n        self.next(self.end)\n\n" + end,
  },
  {
    code: "FL101",
    title: /^Move @retry above @step/,
    text: head + "    @step\n    @retry(times=2)\n    def start(self):\n        self.next(self.end)\n\n" + end,
  },
  {
    code: "FL013",
    title: /^Make 'merge' a join/,
    text:
      head +
      "    @step\n    def start(self):\n        self.next(self.a, self.b)\n\n    @step\n    def a(self):\n        self.next(self.merge)\n\n    @step\n    def b(self):\n        self.next(self.merge)\n\n    @step\n    def merge(self):\n        self.next(self.end)\n\n" +
      end,
  },
  {
    code: "FL008",
    title: /^Add self\.next\(self\.end\)/,
    text: head + "    @step\n    def start(self):\n        self.x = 1\n\n" + end,
  },
];

void describe("quick fixes", () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client.stop();
  });

  for (const c of cases) {
    void it(`${c.code}: ${c.title.source}`, async () => {
      const uri = uriOf(join(repoRoot, "test-output", "lsp", `fix-${c.code}.py`));
      client.open(uri, c.text);
      const before = await client.diagnostics(uri, 1);
      const found: Diagnostic[] = before.diagnostics.filter((d) => d.code === c.code);
      assert.ok(found.length > 0, `no ${c.code} in ${JSON.stringify(before.diagnostics)}`);
      const actions = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri }, range: found[0]?.range, context: { diagnostics: found } });
      const fix = actions.find((a) => c.title.test(a.title));
      assert.ok(fix, `no action ${c.title.source} among ${actions.map((a) => a.title).join("; ")}`);
      const fixed = applyEdits(c.text, fix.edit?.changes?.[uri] ?? []);
      client.change(uri, 2, [{ text: fixed }]);
      const afterFix = await client.diagnostics(uri, 2);
      assert.equal(afterFix.diagnostics.filter((d) => d.code === c.code).length, 0, `${c.code} still there after the fix:\n${fixed}\n${JSON.stringify(afterFix.diagnostics)}`);
      if (!c.otherErrors) assert.equal(afterFix.diagnostics.filter((d) => d.severity === 1).length, 0, `errors after the fix:\n${fixed}\n${JSON.stringify(afterFix.diagnostics)}`);
      client.close(uri);
    });
  }
});
