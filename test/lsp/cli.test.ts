// `node bin/flowlens.js lsp --stdio` is the same server as dist/server.js.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import type { CodeLens } from "vscode-languageserver-protocol";
import { LspClient, repoRoot, uriOf } from "./client";
import { brokenFlow, goodFlow } from "./fixtures";

void it("flowlens lsp --stdio answers initialize, pushes diagnostics and exits on exit", { timeout: 60000 }, async () => {
  assert.ok(existsSync(join(repoRoot, "dist", "cli.js")), "dist/cli.js is missing: run `npm run build` first");
  const client = await LspClient.start({ kind: "cli" });
  const uri = uriOf(join(repoRoot, "test-output", "lsp", "cli_flow.py"));
  client.open(uri, brokenFlow);
  const pushed = await client.diagnostics(uri, 1);
  assert.ok(pushed.diagnostics.some((d) => d.code === "FL008"), JSON.stringify(pushed.diagnostics));
  client.change(uri, 2, [{ text: goodFlow }]);
  await client.diagnostics(uri, 2);
  const lenses = await client.request<CodeLens[]>("textDocument/codeLens", { textDocument: { uri } });
  assert.equal(lenses.length, 2 + 3 * 4);
  await client.stop();
  assert.equal(await client.exited, 0);
});
