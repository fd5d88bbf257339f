// Bad input of every kind: every request is answered, nothing is logged as failed, the server stays up.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { LspClient, repoRoot, uriOf } from "./client";
import { goodFlow } from "./fixtures";
import { bigFlow } from "./generate";

const garbage = Array.from({ length: 4000 }, (_, i) => String.fromCharCode((i * 7919) % 65536)).join("");
const cases: Record<string, string> = {
  empty: "",
  garbage,
  "half-typed": goodFlow.slice(0, goodFlow.indexOf("self.next(self.join)") + 12),
  "syntax-error": goodFlow.replace("def join(self, inputs):", "def join(self, inputs:"),
  "many-flows": Array.from({ length: 60 }, (_, i) => goodFlow.replace(/TrainFlow/g, `Flow${i}`).replace(/^from .*$/m, "")).join("\n"),
  huge: bigFlow("HugeFlow", 1200),
  "only-decorators": "@step\n@step\n@",
  "crlf": goodFlow.replace(/\n/g, "\r\n"),
};

void describe("robustness", () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client.stop();
  });

  for (const [name, text] of Object.entries(cases)) {
    void it(`answers every request on ${name}`, { timeout: 60000 }, async () => {
      const uri = uriOf(join(repoRoot, "test-output", "lsp", `robust-${name}.py`));
      client.open(uri, text);
      await client.diagnostics(uri, 1, 30000);
      const textDocument = { uri };
      const lines = text.split("\n").length;
      for (const position of [{ line: 0, character: 0 }, { line: Math.floor(lines / 2), character: 8 }, { line: lines + 5, character: 999 }]) {
        await client.request("textDocument/hover", { textDocument, position });
        await client.request("textDocument/completion", { textDocument, position });
        await client.request("textDocument/definition", { textDocument, position });
        await client.request("textDocument/references", { textDocument, position, context: { includeDeclaration: true } });
        await client.request("textDocument/prepareRename", { textDocument, position }).catch((e: unknown) => assert.ok(e instanceof Error));
        await client.request("textDocument/codeAction", { textDocument, range: { start: position, end: position }, context: { diagnostics: [] } });
      }
      await client.request("textDocument/codeLens", { textDocument });
      await client.request("textDocument/documentSymbol", { textDocument });
      await client.request("flowlens/graph", { uri });
      client.close(uri);
      assert.deepEqual(client.logs.filter((l) => l.includes("failed")), []);
    });
  }

  void it("answers for documents it never saw and for unsaved buffers", async () => {
    const unknown = { uri: "file:///nowhere/missing.py" };
    assert.deepEqual(await client.request("textDocument/documentSymbol", { textDocument: unknown }), []);
    assert.equal(await client.request("textDocument/hover", { textDocument: unknown, position: { line: 0, character: 0 } }), null);
    assert.equal(await client.request("flowlens/graph", unknown), null);
    const untitled = "untitled:Untitled-1";
    client.open(untitled, goodFlow);
    const pushed = await client.diagnostics(untitled, 1);
    assert.ok(Array.isArray(pushed.diagnostics));
    const graph = await client.request<{ flows: unknown[] }>("flowlens/graph", { uri: untitled });
    assert.equal(graph.flows.length, 1);
  });
});
