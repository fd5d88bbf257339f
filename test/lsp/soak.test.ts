// Thousands of random edits to a flow while the server runs: it stays up, answers every request,
// and its incremental analysis ends where a fresh analysis of the same text does.
import assert from "node:assert/strict";
import { join } from "node:path";
import { it } from "node:test";
import type { PublishDiagnosticsParams } from "vscode-languageserver-protocol";
import { LspClient, repoRoot, uriOf } from "./client";
import { goodFlow } from "./fixtures";
import { random } from "./generate";
import { applyEdit, positionAt, randomEdit } from "./randomEdits";

void it("survives 3,000 random edits and agrees with a fresh analysis", { timeout: 400000 }, async (t) => {
  const client = await LspClient.start();
  try {
    const uri = uriOf(join(repoRoot, "test-output", "lsp", "soak.py"));
    const next = random(20261126);
    let text = goodFlow;
    let version = 1;
    client.open(uri, text, version);
    for (let i = 0; i < 3000; i++) {
      const e = randomEdit(text, next);
      client.change(uri, ++version, [{ range: { start: positionAt(text, e.start), end: positionAt(text, e.end) }, text: e.insert }]);
      text = applyEdit(text, e);
      if (i % 150 === 0) {
        const p = positionAt(text, Math.floor(next() * text.length));
        const textDocument = { uri };
        await Promise.all([
          client.request("textDocument/hover", { textDocument, position: p }),
          client.request("textDocument/completion", { textDocument, position: p }),
          client.request("textDocument/definition", { textDocument, position: p }),
          client.request("textDocument/codeLens", { textDocument }),
          client.request("textDocument/documentSymbol", { textDocument }),
          client.request("flowlens/graph", { uri }),
        ]);
      }
    }
    const last = await client.diagnostics(uri, version, 60000);
    const freshUri = uriOf(join(repoRoot, "test-output", "lsp", "soak-fresh.py"));
    client.open(freshUri, text, 1);
    const fresh: PublishDiagnosticsParams = await client.diagnostics(freshUri, 1, 60000);
    const shape = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`);
    assert.deepEqual(shape(last), shape(fresh));
    assert.equal(client.child.exitCode, null, "the server is still running");
    const pushes = client.received.filter((r) => r.method === "textDocument/publishDiagnostics" && (r.params as { uri: string }).uri === uri).length;
    t.diagnostic(`${version - 1} edits, ${pushes} diagnostics pushes (bursts are analysed once)`);
    assert.deepEqual(client.logs.filter((l) => l.includes("failed")), []);
  } finally {
    await client.stop();
  }
});
