// Completion and go-to-definition in a join, over stdio with a real client: they follow the same
// data-flow engine as FL203, so what completion offers after `self.` never draws FL203, and a
// read FL203 reports has no definition among the branch writes.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { CompletionItem, Location } from "vscode-languageserver-protocol";
import { LspClient, repoRoot, uriOf } from "./client";
import { positionOf } from "./fixtures";

const flowText = readFileSync(join(repoRoot, "test", "unit", "analysis", "fixtures", "join_flow.py"), "utf8");
const uri = uriOf(join(repoRoot, "test-output", "lsp", "join_flow.py"));
const textDocument = { uri };

void describe("artifacts in a join, through the language server", () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
    client.open(uri, flowText);
    const pushed = await client.diagnostics(uri, 1);
    assert.ok(pushed.diagnostics.some((d) => d.code === "FL203"), JSON.stringify(pushed.diagnostics));
  });
  after(async () => {
    await client.stop();
  });

  void it("does not jump from a read FL203 reports to the branch writes", async () => {
    const read = await client.request<Location[]>("textDocument/definition", { textDocument, position: positionOf(flowText, "print(self.x)", "print(self.".length) });
    assert.deepEqual(read, []);
    // After merge_artifacts, the read reaches both branch writes.
    const merged = await client.request<Location[]>("textDocument/definition", { textDocument, position: positionOf(flowText, "print(self.y", "print(self.".length) });
    assert.deepEqual(merged.map((l) => l.range.start.line).sort(), [positionOf(flowText, "self.y = 1").line, positionOf(flowText, "self.y = 2").line].sort());
  });

  void it("offers after self. in the join only what reaches it, while the line is typed", async () => {
    const line = positionOf(flowText, "        print(self.x)");
    client.change(uri, 2, [{ range: { start: line, end: line }, text: "        value = (self.\n" }]);
    const typed = await client.diagnostics(uri, 2);
    assert.ok(typed.diagnostics.some((d) => d.code === "FL000"), JSON.stringify(typed.diagnostics));
    const items = await client.request<CompletionItem[]>("textDocument/completion", { textDocument, position: { line: line.line, character: "        value = (self.".length } });
    const labels = items.map((i) => i.label);
    assert.ok(!labels.includes("x") && !labels.includes("base"), labels.join(","));
    assert.ok(labels.includes("total") && labels.includes("next"), labels.join(","));
    // Accepting an offered name draws no data-flow finding.
    client.change(uri, 3, [{ range: { start: { line: line.line, character: "        value = (self.".length }, end: { line: line.line, character: "        value = (self.".length } }, text: "total)" }]);
    const accepted = await client.diagnostics(uri, 3);
    const flagged = accepted.diagnostics.filter((d) => (d.code === "FL201" || d.code === "FL203") && d.range.start.line === line.line);
    assert.deepEqual(flagged, []);
  });
});
