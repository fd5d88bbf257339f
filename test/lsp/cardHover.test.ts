// @card is one of the decorators Flowlens runs: the editor describes it and its typed arguments
// (from the core's table), completes its argument names, and raises no FL109 for it or for the
// card components imported from metaflow.cards.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { CompletionItem, CompletionList, Diagnostic, Hover, MarkupContent } from "vscode-languageserver-protocol";
import { LspClient, repoRoot, uriOf } from "./client";
import { positionOf } from "./fixtures";

const flow = `from metaflow import FlowSpec, card, current, step
from metaflow.cards import Markdown, Table


class Report(FlowSpec):
    @card(type="blank", id="summary", refresh_interval=2)
    @step
    def start(self):
        current.card["summary"].append(Markdown("# Hello"))
        current.card["summary"].append(Table([[1, 2]]))
        self.next(self.end)

    @card()
    @step
    def end(self):
        pass
`;
const uri = uriOf(join(repoRoot, "test-output", "lsp", "card_hover.py"));
const doc = { textDocument: { uri } };
const value = (h: Hover | null) => (h?.contents as MarkupContent | undefined)?.value ?? "";

void describe("@card in the editor", () => {
  let client: LspClient;
  let diagnostics: Diagnostic[] = [];
  before(async () => {
    client = await LspClient.start();
    client.open(uri, flow);
    diagnostics = (await client.diagnostics(uri, 1)).diagnostics;
  });
  after(async () => {
    await client.stop();
  });

  void it("reports nothing about @card or the card components", () => {
    assert.deepEqual(diagnostics.map((d) => [d.code, d.message]), []);
  });

  void it("hovers @card with what it does and its typed arguments, not as a feature Flowlens does not run", async () => {
    const h = value(await client.request<Hover>("textDocument/hover", { ...doc, position: positionOf(flow, "@card(type", 2) }));
    assert.match(h, /report of the task/);
    assert.match(h, /- `refresh_interval`: int \(= 2\)/);
    assert.match(h, /- `timeout`: int \(default 45\)/);
    assert.match(h, /- `save_errors`: bool \(default true\)/);
    assert.doesNotMatch(h, /does not run/);
  });

  void it("completes @card with what it does and its argument names", async () => {
    const items = async (marker: string, delta: number): Promise<CompletionItem[]> => {
      const r = await client.request<CompletionList | CompletionItem[] | null>("textDocument/completion", { ...doc, position: positionOf(flow, marker, delta) });
      return Array.isArray(r) ? r : (r?.items ?? []);
    };
    const documentation = (await items("@card()", 1)).find((i) => i.label === "card")?.documentation;
    assert.match(typeof documentation === "string" ? documentation : (documentation?.value ?? ""), /^Metaflow's @card \(step decorator\): Makes a report of the task/);
    const labels = (await items("@card()", 6)).map((i) => i.label);
    assert.deepEqual(["type", "id", "options", "timeout", "refresh_interval", "customize", "save_errors"].filter((a) => !labels.includes(a)), []);
  });
});
