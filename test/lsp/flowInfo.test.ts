// `flowlens/flowInfo` and the Run lenses follow the analysis core's main flow, the one
// `flowlens run` runs: the flow started under `if __name__ == "__main__":`, else the only flow.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import type { CodeLens } from "vscode-languageserver-protocol";
import type { FlowInfoResult } from "../../server/src/protocol/flowInfo";
import { LspClient, repoRoot, uriOf } from "./client";
import { positionOf } from "./fixtures";

const twoFlows = (main: string) => `from metaflow import FlowSpec, Parameter, step


class FirstFlow(FlowSpec):
    verbose = Parameter("verbose", type=bool, default=False, help="say more")

    @step
    def start(self):
        self.next(self.end)

    @step
    def end(self):
        pass


class SecondFlow(FlowSpec):
    @step
    def start(self):
        self.next(self.end)

    @step
    def end(self):
        pass
${main}`;

const withMain = twoFlows(`\n\nif __name__ == "__main__":\n    import sys\n\n    FirstFlow()\n`);

void it("flowInfo names the flow started under __main__, and only that flow gets Run lenses", { timeout: 60000 }, async () => {
  const dir = join(repoRoot, "test-output", "lsp", "flowInfo");
  mkdirSync(dir, { recursive: true });
  const client = await LspClient.start({ rootDir: dir });
  try {
    const uri = uriOf(join(dir, "two.py"));
    client.open(uri, withMain);
    await client.diagnostics(uri, 1);
    const info = await client.request<FlowInfoResult>("flowlens/flowInfo", { uri });
    assert.equal(info.mainFlow, "FirstFlow");
    assert.deepEqual(info.flows.find((f) => f.name === "FirstFlow"), { name: "FirstFlow", parameters: [{ name: "verbose", type: "bool", default: false, help: "say more" }], steps: ["start", "end"] });

    const lenses = await client.request<CodeLens[]>("textDocument/codeLens", { textDocument: { uri } });
    const second = positionOf(withMain, "class SecondFlow").line;
    const runFlow = lenses.filter((l) => l.command?.command === "flowlens.runFlow");
    assert.deepEqual(runFlow.map((l) => l.range.start.line), [positionOf(withMain, "class FirstFlow").line]);
    assert.ok(!lenses.some((l) => l.range.start.line > second && l.command?.command === "flowlens.runStep"), "no Run step in SecondFlow");
    assert.ok(lenses.some((l) => l.range.start.line === second && l.command?.title === "Not run by this file (it runs FirstFlow)"));

    // Without the __main__ call the choice is ambiguous: no main flow, no Run lens anywhere.
    client.change(uri, 2, [{ text: twoFlows("") }]);
    await client.diagnostics(uri, 2);
    const undecided = await client.request<FlowInfoResult>("flowlens/flowInfo", { uri });
    assert.equal(undecided.mainFlow, undefined);
    const after = await client.request<CodeLens[]>("textDocument/codeLens", { textDocument: { uri } });
    assert.equal(after.filter((l) => l.command?.command === "flowlens.runFlow").length, 0);
  } finally {
    await client.stop();
  }
});

void it("flowInfo of a file that is not open reads it from disk with its bases resolved", { timeout: 60000 }, async () => {
  const dir = join(repoRoot, "test-output", "lsp", "flowInfoDisk");
  mkdirSync(join(dir, "flows", "pkg"), { recursive: true });
  writeFileSync(join(dir, "flows", "pkg", "__init__.py"), "");
  writeFileSync(join(dir, "flows", "pkg", "base.py"), "from metaflow import FlowSpec, step\n\n\nclass Base(FlowSpec):\n    @step\n    def start(self):\n        self.next(self.end)\n\n    @step\n    def end(self):\n        pass\n");
  writeFileSync(join(dir, "flows", "train.py"), "from pkg.base import Base\n\n\nclass TrainFlow(Base):\n    pass\n");
  const client = await LspClient.start({ rootDir: dir });
  try {
    const info = await client.request<FlowInfoResult>("flowlens/flowInfo", { uri: uriOf(join(dir, "flows", "train.py")) });
    assert.deepEqual(info, { uri: uriOf(join(dir, "flows", "train.py")), mainFlow: "TrainFlow", flows: [{ name: "TrainFlow", parameters: [], steps: ["start", "end"] }], errorCount: 0 });
    await assert.rejects(client.request("flowlens/flowInfo", { uri: uriOf(dir) }), /folder|not a regular file|directory/);
  } finally {
    await client.stop();
  }
});
