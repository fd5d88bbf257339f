// Hover over a Config (its definition, and `self.<config>` in a step) shows its default, as the
// analysis core records it.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Hover, MarkupContent } from "vscode-languageserver-protocol";
import { LspClient, repoRoot, uriOf } from "./client";
import { positionOf } from "./fixtures";

const flow = `from metaflow import Config, FlowSpec, step


class Tuned(FlowSpec):
    settings = Config("settings", default_value={"rate": 0.5, "layers": [2, 4]})
    limits = Config("limits", default="limits.json", required=True)

    @step
    def start(self):
        print(self.settings.rate, self.limits)
        self.next(self.end)

    @step
    def end(self):
        pass
`;
const uri = uriOf(join(repoRoot, "test-output", "lsp", "config_hover.py"));
const doc = { textDocument: { uri } };
const value = (h: Hover | null) => (h?.contents as MarkupContent | undefined)?.value ?? "";

void describe("hover on configs", () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
    client.open(uri, flow);
    await client.diagnostics(uri, 1);
  });
  after(async () => {
    await client.stop();
  });

  void it("shows a Config's default value where it is defined and where a step reads it", async () => {
    const atDef = value(await client.request<Hover>("textDocument/hover", { ...doc, position: positionOf(flow, "settings = Config", 2) }));
    assert.match(atDef, /\*\*Config\*\* `settings` — `--config settings`/);
    assert.match(atDef, /Default value: `\{"rate":0\.5,"layers":\[2,4\]\}`/);
    const atRead = value(await client.request<Hover>("textDocument/hover", { ...doc, position: positionOf(flow, "self.settings.rate", 6) }));
    assert.equal(atRead, atDef);
  });

  void it("shows a file default and that the config is required", async () => {
    const h = value(await client.request<Hover>("textDocument/hover", { ...doc, position: positionOf(flow, "self.limits)", 7) }));
    assert.match(h, /Default: read from `limits\.json`/);
    assert.match(h, /Required/);
  });
});
