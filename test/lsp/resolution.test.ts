// The editor and the CLI find the same base flows: a flow in `proj/flows/` whose base flow lives
// in the package `proj/flows/pkg/`, which imports its own base by the absolute name Python
// resolves from the flow's folder (`python flows/train.py` puts `proj/flows` first on sys.path).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { it } from "node:test";
import type { CodeLens } from "vscode-languageserver-protocol";
import type { GraphResult } from "../../server/src/protocol/graph";
import { LspClient, repoRoot, uriOf } from "./client";

const files: Record<string, string> = {
  "flows/pkg/__init__.py": "",
  "flows/pkg/steps.py": `from metaflow import FlowSpec, step


class StepsBase(FlowSpec):
    @step
    def start(self):
        self.next(self.end)

    @step
    def end(self):
        pass
`,
  "flows/pkg/base.py": `from pkg.steps import StepsBase


class TrainBase(StepsBase):
    pass
`,
  "flows/train.py": `from pkg.base import TrainBase


class TrainFlow(TrainBase):
    pass


if __name__ == "__main__":
    TrainFlow()
`,
};

function project(): string {
  const dir = join(repoRoot, "test-output", "lsp", "resolution", "proj");
  rmSync(dir, { recursive: true, force: true });
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

void it("the editor and flowlens check both find a flow whose bases live in a package beside it", { timeout: 60000 }, async () => {
  assert.ok(existsSync(join(repoRoot, "dist", "cli.js")), "dist/cli.js is missing: run `npm run build` first");
  const dir = project();
  const train = join(dir, "flows", "train.py");
  const checked = JSON.parse(execFileSync(process.execPath, [join(repoRoot, "bin", "flowlens.js"), "check", "--json", train], { cwd: dir, encoding: "utf8" })) as {
    files: { flows: unknown[]; diagnostics: unknown[] }[];
  };
  assert.equal(checked.files[0]?.flows.length, 1, JSON.stringify(checked));

  const client = await LspClient.start({ rootDir: dir });
  try {
    const uri = uriOf(train);
    client.open(uri, files["flows/train.py"] ?? "");
    await client.diagnostics(uri, 1);
    const graph = await client.request<GraphResult>("flowlens/graph", { uri });
    assert.deepEqual(
      graph.flows.map((f) => [f.flow, Object.keys(f.types).sort()]),
      [["TrainFlow", ["end", "start"]]],
      "the editor resolves pkg.steps from pkg/base.py as Python does",
    );
    const lenses = await client.request<CodeLens[]>("textDocument/codeLens", { textDocument: { uri } });
    assert.ok(lenses.length > 0, "the flow has its CodeLens");
  } finally {
    await client.stop();
  }
});
