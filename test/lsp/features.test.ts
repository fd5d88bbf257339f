// The language server over stdio with a real JSON-RPC client: every feature on fixture flows.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type {
  CodeAction,
  CodeLens,
  CompletionItem,
  DocumentSymbol,
  Hover,
  Location,
  PublishDiagnosticsParams,
  WorkspaceEdit,
} from "vscode-languageserver-protocol";
import type { GraphResult } from "../../server/src/protocol/graph";
import { LspClient, repoRoot, uriOf } from "./client";
import { applyEdits, brokenFlow, goodFlow, positionOf, splitFlow } from "./fixtures";
import { join } from "node:path";

const goodUri = uriOf(join(repoRoot, "test-output", "lsp", "good_flow.py"));
const brokenUri = uriOf(join(repoRoot, "test-output", "lsp", "broken_flow.py"));
const doc = (uri: string) => ({ textDocument: { uri } });

/** A server with the good and the broken fixture flow open, their first diagnostics in. */
async function startWithFlows(): Promise<LspClient> {
  const client = await LspClient.start();
  client.open(goodUri, goodFlow);
  client.open(brokenUri, brokenFlow);
  await client.diagnostics(goodUri, 1);
  await client.diagnostics(brokenUri, 1);
  return client;
}

void describe("language server features: diagnostics and navigation", () => {
  let client: LspClient;
  before(async () => {
    client = await startWithFlows();
  });
  after(async () => {
    await client.stop();
  });

  void it("pushes diagnostics with code, range, source and version, and updates them on change", async () => {
    const good = await client.diagnostics(goodUri, 1);
    assert.deepEqual(good.diagnostics.filter((d) => d.severity === 1), [], JSON.stringify(good.diagnostics));
    const broken = await client.diagnostics(brokenUri, 1);
    const fl008 = broken.diagnostics.find((d) => d.code === "FL008");
    assert.ok(fl008, JSON.stringify(broken.diagnostics));
    assert.equal(fl008.source, "flowlens");
    assert.equal(fl008.range.start.line, positionOf(brokenFlow, "def middle").line);
    const at = positionOf(brokenFlow, "self.y = self.x + 1", "self.y = self.x + 1".length);
    client.change(brokenUri, 2, [{ range: { start: at, end: at }, text: "\n        self.next(self.end)" }]);
    const fixed = await client.diagnostics(brokenUri, 2);
    assert.equal(fixed.diagnostics.find((d) => d.code === "FL008"), undefined, JSON.stringify(fixed.diagnostics));
    // Back to the broken text, so later tests on this server see the fixture as it was.
    client.change(brokenUri, 3, [{ text: brokenFlow }]);
    await client.diagnostics(brokenUri, 3);
  });

  void it("lists the flow, its parameters and its steps as document symbols", async () => {
    const symbols = await client.request<DocumentSymbol[]>("textDocument/documentSymbol", doc(goodUri));
    assert.equal(symbols.length, 1);
    const flow = symbols[0];
    assert.equal(flow?.name, "TrainFlow");
    const names = flow?.children?.map((c) => c.name);
    assert.deepEqual(names, ["alpha", "start", "train", "join", "end"]);
    assert.equal(flow?.children?.find((c) => c.name === "start")?.detail, "split-foreach");
    assert.equal(flow?.children?.find((c) => c.name === "join")?.detail, "join");
  });

  void it("goes from a transition to the step, from a read to the upstream write, from a parameter use to Parameter()", async () => {
    const toStep = await client.request<Location[]>("textDocument/definition", { ...doc(goodUri), position: positionOf(goodFlow, "self.train,", 6) });
    assert.equal(toStep.length, 1);
    assert.equal(toStep[0]?.range.start.line, positionOf(goodFlow, "def train").line);
    const toWrite = await client.request<Location[]>("textDocument/definition", { ...doc(goodUri), position: positionOf(goodFlow, "self.data)", 6) });
    assert.equal(toWrite.length, 1);
    assert.equal(toWrite[0]?.range.start.line, positionOf(goodFlow, "self.data = [1").line);
    const toParam = await client.request<Location[]>("textDocument/definition", { ...doc(goodUri), position: positionOf(goodFlow, "self.alpha", 6) });
    assert.equal(toParam[0]?.range.start.line, positionOf(goodFlow, "alpha = Parameter").line);
  });

  void it("finds references of a step and of an artifact", async () => {
    const stepRefs = await client.request<Location[]>("textDocument/references", { ...doc(goodUri), position: positionOf(goodFlow, "def join", 5), context: { includeDeclaration: true } });
    assert.deepEqual(
      stepRefs.map((l) => l.range.start.line),
      [positionOf(goodFlow, "self.next(self.join)").line, positionOf(goodFlow, "def join").line],
    );
    const dataRefs = await client.request<Location[]>("textDocument/references", { ...doc(goodUri), position: positionOf(goodFlow, "self.data = [", 6), context: { includeDeclaration: true } });
    assert.equal(dataRefs.length, 3, JSON.stringify(dataRefs));
  });

});

void describe("language server features: hover", () => {
  let client: LspClient;
  before(async () => {
    client = await startWithFlows();
  });
  after(async () => {
    await client.stop();
  });

  void it("hovers a step with its type, decorators, resolved resources and edges", async () => {
    const h = await client.request<Hover>("textDocument/hover", { ...doc(goodUri), position: positionOf(goodFlow, "def train", 5) });
    const value = typeof h.contents === "object" && "value" in h.contents ? h.contents.value : "";
    assert.match(value, /train/);
    assert.match(value, /linear/);
    assert.match(value, /cpu 8/);
    assert.match(value, /memory 16000 MB/);
    assert.match(value, /Incoming: `start`/);
    const p = await client.request<Hover>("textDocument/hover", { ...doc(goodUri), position: positionOf(goodFlow, "self.alpha", 6) });
    const pv = typeof p.contents === "object" && "value" in p.contents ? p.contents.value : "";
    assert.match(pv, /float/);
    assert.match(pv, /0\.5/);
    assert.match(pv, /Learning rate/);
    const d = await client.request<Hover>("textDocument/hover", { ...doc(goodUri), position: positionOf(goodFlow, "@resources", 3) });
    const dv = typeof d.contents === "object" && "value" in d.contents ? d.contents.value : "";
    assert.match(dv, /`cpu`: number \(= 4\)/);
    assert.match(dv, /`disk`: number/);
    const w = await client.request<Hover>("textDocument/hover", { ...doc(goodUri), position: positionOf(goodFlow, "self.grid = ", 6) });
    const wv = typeof w.contents === "object" && "value" in w.contents ? w.contents.value : "";
    assert.match(wv, /Set here, in step `start`/);
    assert.match(wv, /Type: `list`/);
    const a = await client.request<Hover>("textDocument/hover", { ...doc(goodUri), position: positionOf(goodFlow, "self.data)", 6) });
    const av = typeof a.contents === "object" && "value" in a.contents ? a.contents.value : "";
    assert.match(av, /`start`/);
    assert.match(av, /list/);
    // The upstream write's 1-based line, where goodFlow sets self.data.
    const dataLine = goodFlow.slice(0, goodFlow.indexOf("self.data = ")).split("\n").length;
    assert.match(av, new RegExp(`Set upstream in: \`start\` \\(line ${dataLine}\\)`));
  });

});

void describe("language server features: completion", () => {
  let client: LspClient;
  before(async () => {
    client = await startWithFlows();
  });
  after(async () => {
    await client.stop();
  });

  void it("completes artifacts after self., parent steps after inputs., steps in self.next(, decorators", async () => {
    const line = positionOf(goodFlow, "        print(self.best");
    const insertAt = { line: line.line, character: 0 };
    client.change(goodUri, 2, [{ range: { start: insertAt, end: insertAt }, text: "        self.\n" }]);
    await client.diagnostics(goodUri, 2);
    const items = await client.request<CompletionItem[]>("textDocument/completion", { ...doc(goodUri), position: { line: line.line, character: 13 } });
    const labels = items.map((i) => i.label);
    for (const want of ["best", "data", "alpha"]) assert.ok(labels.includes(want), `${want} in ${labels.join(",")}`);
    // The join's merge_artifacts excludes score: reading it in end would be FL201, so it is not offered.
    assert.ok(!labels.includes("score"), labels.join(","));
    client.change(goodUri, 3, [{ range: { start: insertAt, end: { line: line.line + 1, character: 0 } }, text: "" }]);
    await client.diagnostics(goodUri, 3);

    const nextPos = positionOf(goodFlow, "self.next(self.end)", "self.next(".length);
    const targets = await client.request<CompletionItem[]>("textDocument/completion", { ...doc(goodUri), position: nextPos });
    const targetLabels = targets.map((i) => i.label);
    assert.ok(targetLabels.includes("train") && !targetLabels.includes("join"), targetLabels.join(","));

    const decoLine = positionOf(goodFlow, "    @batch(cpu=8)");
    const decos = await client.request<CompletionItem[]>("textDocument/completion", { ...doc(goodUri), position: { line: decoLine.line, character: 6 } });
    assert.ok(decos.some((d) => d.label === "batch") && decos.some((d) => d.label === "retry"));
    const kw = await client.request<CompletionItem[]>("textDocument/completion", { ...doc(goodUri), position: positionOf(goodFlow, "cpu=4, ", 7) });
    assert.ok(kw.some((d) => d.label === "disk") && !kw.some((d) => d.label === "cpu"), kw.map((k) => k.label).join(","));
    const foreach = await client.request<CompletionItem[]>("textDocument/completion", { ...doc(goodUri), position: positionOf(goodFlow, 'foreach="grid"', 9) });
    assert.ok(foreach.some((d) => d.label === "grid") && foreach.some((d) => d.label === "data"));
  });

});

void describe("language server features: rename and quick fixes", () => {
  let client: LspClient;
  before(async () => {
    client = await startWithFlows();
  });
  after(async () => {
    await client.stop();
  });

  void it("renames a step everywhere and refuses a taken or invalid name", async () => {
    const pos = positionOf(goodFlow, "def train", 5);
    const prep = await client.request<{ range: unknown; placeholder: string }>("textDocument/prepareRename", { ...doc(goodUri), position: pos });
    assert.equal(prep.placeholder, "train");
    const edit = await client.request<WorkspaceEdit>("textDocument/rename", { ...doc(goodUri), position: pos, newName: "fit" });
    const edits = edit.changes?.[goodUri] ?? [];
    assert.equal(edits.length, 2);
    const renamed = applyEdits(goodFlow, edits);
    assert.match(renamed, /def fit\(self\)/);
    assert.match(renamed, /self\.next\(self\.fit, foreach="grid"\)/);
    await assert.rejects(client.request("textDocument/rename", { ...doc(goodUri), position: pos, newName: "end" }), /already has a step named "end"/);
    await assert.rejects(client.request("textDocument/rename", { ...doc(goodUri), position: pos, newName: "Bad-Name" }), /not a valid step name/);
    const art = await client.request<WorkspaceEdit>("textDocument/rename", { ...doc(goodUri), position: positionOf(goodFlow, "self.data = [", 6), newName: "dataset" });
    assert.equal(art.changes?.[goodUri]?.length, 3);
    const param = await client.request<WorkspaceEdit>("textDocument/rename", { ...doc(goodUri), position: positionOf(goodFlow, "alpha = Parameter", 2), newName: "lr" });
    const withLr = applyEdits(goodFlow, param.changes?.[goodUri] ?? []);
    assert.match(withLr, /^ {4}lr = Parameter\("alpha", /m);
    assert.match(withLr, /self\.input \* self\.lr \+/);
    await assert.rejects(client.request("textDocument/prepareRename", { ...doc(goodUri), position: positionOf(goodFlow, 'Parameter("alpha"', 12) }), /command-line name/);
  });

  void it("offers a quick fix that adds the missing self.next, and the fix removes the finding", async () => {
    const pushed = await client.diagnostics(brokenUri, 1);
    const fl008 = pushed.diagnostics.filter((d) => d.code === "FL008");
    const actions = await client.request<CodeAction[]>("textDocument/codeAction", { ...doc(brokenUri), range: fl008[0]?.range, context: { diagnostics: fl008 } });
    const add = actions.find((a) => a.title.startsWith("Add self.next"));
    assert.ok(add, JSON.stringify(actions));
    const fixed = applyEdits(brokenFlow, add.edit?.changes?.[brokenUri] ?? []);
    client.change(brokenUri, 4, [{ text: fixed }]);
    const after = await client.diagnostics(brokenUri, 4);
    assert.equal(after.diagnostics.find((d) => d.code === "FL008"), undefined, fixed);
  });

});

void describe("language server features: CodeLens and graphs", () => {
  let client: LspClient;
  before(async () => {
    client = await startWithFlows();
  });
  after(async () => {
    await client.stop();
  });

  void it("places CodeLens above the flow and each step with the client's command ids", async () => {
    const lenses = await client.request<CodeLens[]>("textDocument/codeLens", doc(goodUri));
    const commands = lenses.map((l) => l.command?.command);
    assert.equal(commands.filter((c) => c === "flowlens.runFlow").length, 1);
    assert.equal(commands.filter((c) => c === "flowlens.showGraph").length, 1);
    for (const c of ["flowlens.runStep", "flowlens.runFromHere", "flowlens.debugStep"]) assert.equal(commands.filter((x) => x === c).length, 4);
    const train = lenses.find((l) => l.command?.command === "flowlens.runStep" && (l.command.arguments?.[0] as { step?: string }).step === "train");
    assert.deepEqual(train?.command?.arguments?.[0], { uri: goodUri, file: join(repoRoot, "test-output", "lsp", "good_flow.py"), flow: "TrainFlow", step: "train" });
    assert.equal(train?.range.start.line, positionOf(goodFlow, "@resources").line);
  });

  void it("answers flowlens/graph and notifies flowlens/graphChanged", async () => {
    const graph = await client.request<GraphResult>("flowlens/graph", { uri: goodUri });
    assert.equal(graph.flows.length, 1);
    const flow = graph.flows[0];
    assert.deepEqual(Object.keys(flow?.graph.steps ?? {}).sort(), ["end", "join", "start", "train"]);
    assert.equal(flow?.types.start, "split-foreach");
    assert.equal(flow?.sources.train?.nameRange.start.line, positionOf(goodFlow, "def train").line);
    // Badges get the decorators as written; `_graph_info` carries Metaflow's defaults as well.
    assert.deepEqual(flow?.decoratorsWritten.train, [
      { name: "resources", args: ["cpu=4", "memory=16000"] },
      { name: "batch", args: ["cpu=8"] },
    ]);
    assert.deepEqual(flow?.decoratorsWritten.start, []);
    assert.ok(Object.keys(flow?.graph.steps.train?.decorators[1]?.attributes ?? {}).length > 1, "the batch decorator's defaults are in _graph_info");
    assert.equal(graph.broken, false);
    const notified = await client.waitFor<GraphResult>("flowlens/graphChanged", (g) => g.uri === goodUri);
    assert.equal(notified.flows[0]?.flow, "TrainFlow");
  });
});

void describe("joins: inputs.<step> and inputs.<step>.<artifact>", () => {
  void it("goes to the branch step and its write, completes branches and their artifacts, renames through inputs", async () => {
    const client = await LspClient.start();
    try {
      const uri = uriOf(join(repoRoot, "test-output", "lsp", "split_flow.py"));
      client.open(uri, splitFlow);
      const pushed = await client.diagnostics(uri, 1);
      assert.deepEqual(pushed.diagnostics.filter((d) => d.severity === 1), []);
      const textDocument = { uri };
      const toStep = await client.request<Location[]>("textDocument/definition", { textDocument, position: positionOf(splitFlow, "inputs.b.x", 7) });
      assert.equal(toStep[0]?.range.start.line, positionOf(splitFlow, "def b").line);
      const toWrite = await client.request<Location[]>("textDocument/definition", { textDocument, position: positionOf(splitFlow, "inputs.b.x", 9) });
      assert.deepEqual(toWrite.map((l) => l.range.start.line), [positionOf(splitFlow, "self.x = 2").line]);
      const refs = await client.request<Location[]>("textDocument/references", { textDocument, position: positionOf(splitFlow, "def a", 4), context: { includeDeclaration: false } });
      assert.deepEqual(refs.map((l) => l.range.start.line).sort(), [positionOf(splitFlow, "self.next(self.a").line, positionOf(splitFlow, "inputs.a.x").line].sort());

      const at = positionOf(splitFlow, "        self.next(self.end)");
      client.change(uri, 2, [{ range: { start: at, end: at }, text: "        y = inputs.\n" }]);
      await client.diagnostics(uri, 2);
      const branches = await client.request<CompletionItem[]>("textDocument/completion", { textDocument, position: { line: at.line, character: 19 } });
      assert.deepEqual(branches.map((b) => b.label).sort(), ["a", "b"]);
      client.change(uri, 3, [{ range: { start: { line: at.line, character: 19 }, end: { line: at.line, character: 19 } }, text: "a." }]);
      await client.diagnostics(uri, 3);
      const carried = await client.request<CompletionItem[]>("textDocument/completion", { textDocument, position: { line: at.line, character: 21 } });
      assert.ok(carried.some((c) => c.label === "x"), carried.map((c) => c.label).join(","));
      client.change(uri, 4, [{ text: splitFlow }]);
      await client.diagnostics(uri, 4);

      const edit = await client.request<WorkspaceEdit>("textDocument/rename", { textDocument, position: positionOf(splitFlow, "def a", 4), newName: "left" });
      const renamed = applyEdits(splitFlow, edit.changes?.[uri] ?? []);
      assert.match(renamed, /self\.next\(self\.left, self\.b\)/);
      assert.match(renamed, /def left\(self\)/);
      assert.match(renamed, /inputs\.left\.x \+ inputs\.b\.x/);
      client.change(uri, 5, [{ text: renamed }]);
      const after = await client.diagnostics(uri, 5);
      assert.deepEqual(after.diagnostics.filter((d) => d.severity === 1), []);
    } finally {
      await client.stop();
    }
  });
});

void describe("language server diagnostics for a broken graph", () => {
  void it("reports every problem with related information inside the file", async () => {
    const client = await LspClient.start();
    try {
      const uri = uriOf(join(repoRoot, "test-output", "lsp", "cycle.py"));
      const text = brokenFlow.replace("self.y = self.x + 1", "self.y = self.x + 1\n        self.next(self.start)");
      client.open(uri, text);
      const pushed: PublishDiagnosticsParams = await client.diagnostics(uri, 1);
      assert.deepEqual(pushed.diagnostics.map((d) => d.code), ["FL004", "FL011", "FL012"]);
      for (const d of pushed.diagnostics) assert.equal(d.source, "flowlens");
      const cycle = pushed.diagnostics.find((d) => d.code === "FL011");
      const message = cycle?.message ?? "";
      assert.match(typeof message === "string" ? message : message.value, /start -> middle -> start/);
      assert.deepEqual(
        cycle?.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line]),
        [[uri, positionOf(text, "def start").line], [uri, positionOf(text, "def middle").line]],
      );
    } finally {
      await client.stop();
    }
  });
});
