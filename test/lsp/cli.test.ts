// `node bin/flowlens.js lsp --stdio` is the same server as dist/server.js.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import type { CodeLens } from "vscode-languageserver-protocol";
import { serverNodeFlags } from "../../server/src/protocol/serverProcess";
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

void it("flowlens lsp --stdio serves from a Node started with the server's flags, as VS Code does", { timeout: 60000 }, async () => {
  const client = await LspClient.start({ kind: "cli" });
  const pid = client.child.pid;
  assert.ok(pid !== undefined);
  // The CLI process relaunched itself with the flags: the server is its child.
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
  assert.equal(children.length, 1, `children of ${pid}: ${children.join(" ")}`);
  const argv = readFileSync(`/proc/${children[0]}/cmdline`, "utf8").split("\0");
  for (const flag of serverNodeFlags) assert.ok(argv.includes(flag), argv.join(" "));
  const uri = uriOf(join(repoRoot, "test-output", "lsp", "cli_flags_flow.py"));
  client.open(uri, brokenFlow);
  await client.diagnostics(uri, 1);
  await client.stop();
  assert.equal(await client.exited, 0);
});
