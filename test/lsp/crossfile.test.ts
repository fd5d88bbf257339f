// A flow that inherits its steps from a base flow in another module is re-checked when the base
// changes: in an open (unsaved) buffer, when that buffer closes, and on disk.
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import type { Hover, PublishDiagnosticsParams } from "vscode-languageserver-protocol";
import type { GraphResult } from "../../server/src/protocol/graph";
import { LspClient, repoRoot, uriOf } from "./client";
import { positionOf } from "./fixtures";

const base = `from metaflow import FlowSpec, step


class BaseFlow(FlowSpec):
    @step
    def start(self):
        self.x = 1
        self.next(self.end)

    @step
    def end(self):
        print(self.x)
`;

const brokenBase = base.replace("self.next(self.end)", "self.next(self.missing)");

const child = `from metaflow import Parameter
from base_flow import BaseFlow


class ChildFlow(BaseFlow):
    size = Parameter("size", default=3)
`;

const errors = (p: PublishDiagnosticsParams) => p.diagnostics.filter((d) => d.severity === 1);

/** A fresh test-output/lsp/<name> folder holding `files` (name -> text), and the path of each. */
function workspace(name: string, files: Record<string, string>): { dir: string; path: (file: string) => string } {
  const dir = join(repoRoot, "test-output", "lsp", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return { dir, path: (file) => join(dir, file) };
}

void it("re-checks a subclass flow when its base flow changes (buffer, close, disk)", { timeout: 60000 }, async () => {
  const { dir, path } = workspace("crossfile", { "base_flow.py": base, "child_flow.py": child });
  const baseFile = path("base_flow.py");
  const childFile = path("child_flow.py");
  const client = await LspClient.start({ rootDir: dir, watch: true });
  try {
    const childUri = uriOf(childFile);
    const baseUri = uriOf(baseFile);
    client.open(childUri, child);
    const first = await client.diagnostics(childUri, 1);
    assert.deepEqual(errors(first), [], JSON.stringify(first.diagnostics));
    const symbols = await client.request<{ name: string; children?: { name: string }[] }[]>("flowlens/graph", { uri: childUri });
    assert.ok(JSON.stringify(symbols).includes('"end"'), "the child flow inherits the base flow's steps");

    // The base is edited in the editor (unsaved): the child's findings follow the buffer.
    let since = client.received.length;
    client.open(baseUri, base);
    client.change(baseUri, 2, [{ text: brokenBase }]);
    const broken = await client.waitFor<PublishDiagnosticsParams>("textDocument/publishDiagnostics", (p) => p.uri === childUri && errors(p).length > 0, 20000, since);
    // The base's own transition is wrong: the child reports the unknown target of its inherited
    // start (once: the steps it may have meant are not reported unreachable too).
    const unknown = errors(broken).find((d) => d.code === "FL010");
    assert.ok(unknown, JSON.stringify(broken.diagnostics));
    assert.equal(unknown.relatedInformation?.[0]?.location.uri, baseUri, "related information points into the base file");

    // Closing the unsaved buffer brings back the file on disk, which is fine.
    since = client.received.length;
    client.close(baseUri);
    await client.waitFor<PublishDiagnosticsParams>("textDocument/publishDiagnostics", (p) => p.uri === childUri && errors(p).length === 0, 20000, since);

    // The base changes on disk (another tool, git checkout): the watcher's event re-checks the child.
    since = client.received.length;
    writeFileSync(baseFile, brokenBase);
    client.notify("workspace/didChangeWatchedFiles", { changes: [{ uri: baseUri, type: 2 }] });
    await client.waitFor<PublishDiagnosticsParams>("textDocument/publishDiagnostics", (p) => p.uri === childUri && errors(p).some((d) => d.code === "FL010"), 20000, since);
  } finally {
    await client.stop();
  }
});

void it("re-checks a flow whose base module appears on disk after it was opened", { timeout: 60000 }, async () => {
  const { dir, path } = workspace("crossfile-new", { "child_flow.py": child });
  const childFile = path("child_flow.py");
  const client = await LspClient.start({ rootDir: dir, watch: true });
  try {
    const childUri = uriOf(childFile);
    client.open(childUri, child);
    await client.diagnostics(childUri, 1);
    const stepsOf = async () => Object.keys((await client.request<GraphResult>("flowlens/graph", { uri: childUri })).flows[0]?.graph.steps ?? {}).sort();
    assert.deepEqual(await stepsOf(), [], "no base yet, so no steps");
    const since = client.received.length;
    writeFileSync(path("base_flow.py"), base);
    client.notify("workspace/didChangeWatchedFiles", { changes: [{ uri: uriOf(path("base_flow.py")), type: 1 }] });
    const after = await client.waitFor<PublishDiagnosticsParams>("textDocument/publishDiagnostics", (p) => p.uri === childUri, 20000, since);
    assert.deepEqual(await stepsOf(), ["end", "start"], "the child now inherits the base's steps");
    assert.deepEqual(errors(after), [], JSON.stringify(after.diagnostics));
  } finally {
    await client.stop();
  }
});

void it("says where inherited steps are: graph lines and hovers point into the base file", { timeout: 60000 }, async () => {
  // The child overrides `end`, which reads the artifact the base's `start` sets.
  const overriding = `from metaflow import step
from base_flow import BaseFlow


class ChildFlow(BaseFlow):
    @step
    def end(self):
        print(self.x)
`;
  const { dir, path } = workspace("crossfile-where", { "base_flow.py": base, "child_flow.py": overriding });
  const childFile = path("child_flow.py");
  const client = await LspClient.start({ rootDir: dir, watch: true });
  try {
    const childUri = uriOf(childFile);
    client.open(childUri, overriding);
    await client.diagnostics(childUri, 1);
    const graph = await client.request<GraphResult>("flowlens/graph", { uri: childUri });
    const steps = graph.flows[0]?.graph.steps;
    const baseLines = base.split("\n");
    assert.equal(steps?.start?.line, baseLines.findIndex((l) => l.includes("def start")) + 1, "start's line is its def line in base_flow.py");
    assert.equal(steps?.end?.line, overriding.split("\n").findIndex((l) => l.includes("def end")) + 1);
    assert.equal(graph.flows[0]?.sources.start?.inheritedFrom, "BaseFlow", "the graph panel can say where start comes from");
    assert.equal(graph.flows[0]?.sources.end?.inheritedFrom, undefined, "end is the child's own");
    const hover = await client.request<Hover>("textDocument/hover", { textDocument: { uri: childUri }, position: positionOf(overriding, "self.x", 5) });
    const text = typeof hover.contents === "object" && "value" in hover.contents ? hover.contents.value : "";
    assert.match(text, new RegExp(`Set upstream in: \`start\` \\(base_flow\\.py:${baseLines.findIndex((l) => l.includes("self.x = 1")) + 1}\\)`));
  } finally {
    await client.stop();
  }
});
