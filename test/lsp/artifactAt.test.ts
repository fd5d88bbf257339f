// `flowlens/artifactAt` through a real client over stdio: the artifact under the cursor, the step
// it is in and the steps whose writes reach it — what the editor's value hover looks up.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ArtifactAtRequest, type ArtifactAtResult } from "../../server/src/protocol/artifactAt";
import { LspClient, repoRoot, uriOf } from "./client";

const text = `from metaflow import FlowSpec, step


class ValueFlow(FlowSpec):
    @step
    def start(self):
        self.rows = [1, 2, 3]
        self.next(self.a, self.b)

    @step
    def a(self):
        self.total = sum(self.rows)
        self.next(self.join)

    @step
    def b(self):
        self.total = 0
        self.next(self.join)

    @step
    def join(self, inputs):
        self.merge_artifacts(inputs, exclude=["total"])
        print(self.rows)
        self.next(self.end)

    @step
    def end(self):
        pass
`;

function at(needle: string, delta: number): { line: number; character: number } {
  const offset = text.indexOf(needle) + delta;
  const before = text.slice(0, offset).split("\n");
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

void describe("flowlens/artifactAt", () => {
  let client: LspClient;
  const uri = uriOf(join(repoRoot, "test-output", "lsp", "artifact-at.py"));
  before(async () => {
    client = await LspClient.start();
    client.open(uri, text);
    await client.diagnostics(uri, 1);
  });
  after(async () => {
    await client.stop();
  });

  void it("a read names the steps whose writes reach it", async () => {
    const r = await client.request<ArtifactAtResult | null>(ArtifactAtRequest, { textDocument: { uri }, position: at("print(self.rows)", "print(self.".length + 1) });
    assert.deepEqual({ ...r, range: undefined }, { flow: "ValueFlow", name: "rows", step: "join", setBy: ["start"], range: undefined });
    assert.deepEqual(r?.range, { start: at("print(self.rows)", "print(self.".length), end: at("print(self.rows)", "print(self.rows".length) });
  });

  void it("a write names its own step", async () => {
    const r = await client.request<ArtifactAtResult | null>(ArtifactAtRequest, { textDocument: { uri }, position: at("self.total = sum", 6) });
    assert.deepEqual(r && { step: r.step, setBy: r.setBy, name: r.name }, { step: "a", setBy: ["a"], name: "total" });
  });

  void it("anything else is null", async () => {
    assert.equal(await client.request(ArtifactAtRequest, { textDocument: { uri }, position: at("def end", 5) }), null);
    assert.equal(await client.request(ArtifactAtRequest, { textDocument: { uri }, position: at("self.next(self.end)", 16) }), null);
  });
});
