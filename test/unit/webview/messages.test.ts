// The webview message checks: every message shape is accepted, and malformed ones are refused.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { GraphMessage } from "../../../server/src/protocol/webview";
import { isHostToWebview, isWebviewPersistedState, isWebviewToHost } from "../../../server/src/protocol/webview";
import { everyKindFlow } from "./sampleGraphs";

function graphMessage(): GraphMessage {
  return {
    type: "graph",
    uri: "file:///w/flow.py",
    fileName: "flow.py",
    version: 3,
    flows: [everyKindFlow()],
    broken: false,
    errorCount: 0,
    options: { showDecorators: true, nodeSpacing: 24 },
  };
}

void test("host → webview: every message kind passes its check", () => {
  assert.equal(isHostToWebview(graphMessage()), true);
  assert.equal(isHostToWebview({ ...graphMessage(), broken: true, problem: "flow.py:3: invalid syntax", preferredFlow: "KitchenSinkFlow" }), true);
  assert.equal(isHostToWebview({ type: "cursor", uri: "file:///w/flow.py", flow: "F", step: null }), true);
  assert.equal(isHostToWebview({ type: "noFlow", reason: "no flow" }), true);
  assert.equal(isHostToWebview({ type: "viewCommand", command: "fit" }), true);
  assert.equal(isHostToWebview({ type: "runStatus", flow: "F", runId: "3", status: "running", steps: { a: { state: "running", done: 1, total: 4 } } }), true);
  assert.equal(isHostToWebview({ type: "runStatus", flow: "F", runId: null, status: "cancelled", steps: {} }), true);
  assert.equal(isHostToWebview({ type: "runStatus", flow: "F", runId: "3", status: "cancelled", steps: { a: { state: "cancelled", done: 1, total: 1 } } }), true);
  const durations = { wallMs: 1200, open: false, tasks: { count: 3, minMs: 100, medianMs: 300, maxMs: 900 } };
  assert.equal(isHostToWebview({ type: "runStatus", flow: "F", runId: "3", status: "succeeded", steps: { a: { state: "succeeded", done: 3, total: 3, durations } }, slowest: "a" }), true);
  assert.equal(isHostToWebview({ type: "runStatus", flow: "F", runId: "3", status: "succeeded", steps: { a: { state: "succeeded", done: 3, total: 3, durations: { wallMs: "1 s", open: false } } } }), false);
  assert.equal(isHostToWebview({ type: "runStatus", flow: "F", runId: "3", status: "succeeded", steps: {}, slowest: 3 }), false);
  const marked = { a: { state: "succeeded", done: 1, total: 1, mark: "caught", markDetail: "@catch caught ValueError" }, b: { state: "failed", done: 0, total: 1, reason: "Out of memory", cause: "out-of-memory" } };
  assert.equal(isHostToWebview({ type: "runStatus", flow: "F", runId: "3", status: "failed", steps: marked }), true);
});

void test("host → webview: malformed messages are refused", () => {
  const bad: unknown[] = [
    null,
    "graph",
    [],
    { type: "graph" },
    { type: "nope" },
    { ...graphMessage(), version: "3" },
    { ...graphMessage(), flows: [{ flow: "F" }] },
    { ...graphMessage(), options: { showDecorators: "yes", nodeSpacing: 24 } },
    { ...graphMessage(), options: { showDecorators: true, nodeSpacing: Number.NaN } },
    { type: "cursor", uri: "file:///w/flow.py", flow: 1, step: null },
    { type: "viewCommand", command: "rm -rf" },
    { type: "runStatus", flow: "F", runId: "3", status: "running", steps: { a: { state: "exploded", done: 1, total: 4 } } },
    { type: "runStatus", flow: "F", runId: "3", status: "stopped", steps: {} },
    { type: "runStatus", flow: "F", runId: "3", status: "failed", steps: { a: { state: "succeeded", done: 1, total: 1, mark: "lucky" } } },
    { type: "runStatus", flow: "F", runId: "3", status: "failed", steps: { a: { state: "failed", done: 0, total: 1, cause: "bad-luck" } } },
  ];
  for (const m of bad) assert.equal(isHostToWebview(m), false, JSON.stringify(m));
});

void test("host → webview: a step whose key and name differ, or with a bad next, is refused", () => {
  const m = graphMessage();
  const flow = m.flows[0]!;
  const renamed = { ...flow, graph: { ...flow.graph, steps: { ...flow.graph.steps, start: { ...flow.graph.steps.start!, name: "other" } } } };
  assert.equal(isHostToWebview({ ...m, flows: [renamed] }), false);
  const badNext = { ...flow, graph: { ...flow.graph, steps: { ...flow.graph.steps, start: { ...flow.graph.steps.start!, next: [1] } } } };
  assert.equal(isHostToWebview({ ...m, flows: [badNext] }), false);
  const badRange = { ...flow, sources: { start: { nameRange: { start: { line: 0 } }, range: flow.sources.start!.range } } };
  assert.equal(isHostToWebview({ ...m, flows: [badRange] }), false);
  const { decoratorsWritten: _dropped, ...noWritten } = flow;
  assert.equal(isHostToWebview({ ...m, flows: [noWritten] }), false);
  const badInherited = { ...flow, sources: { start: { ...flow.sources.start!, inheritedFrom: 7 } } };
  assert.equal(isHostToWebview({ ...m, flows: [badInherited] }), false);
  const badWritten = { ...flow, decoratorsWritten: { a: [{ name: "retry", args: [3] }] } };
  assert.equal(isHostToWebview({ ...m, flows: [badWritten] }), false);
});

void test("webview → host: every message kind passes, malformed ones are refused", () => {
  assert.equal(isWebviewToHost({ type: "ready" }), true);
  assert.equal(isWebviewToHost({ type: "reveal", uri: "u", flow: "F", step: "start" }), true);
  assert.equal(isWebviewToHost({ type: "export", format: "png", data: "iVBOR", suggestedName: "F.png" }), true);
  assert.equal(isWebviewToHost({ type: "rendered", uri: "u", flow: "F", nodes: 3, edges: 2, ms: 12, greyed: false }), true);
  assert.equal(isWebviewToHost({ type: "error", message: "x" }), true);
  assert.equal(isWebviewToHost({ type: "reveal", uri: "u", flow: "F" }), false);
  assert.equal(isWebviewToHost({ type: "openCard", uri: "u", flow: "F", step: "train" }), true);
  assert.equal(isWebviewToHost({ type: "openCard", uri: "u", flow: "F", step: 3 }), false);
  assert.equal(isWebviewToHost({ type: "export", format: "gif", data: "", suggestedName: "x" }), false);
  assert.equal(isWebviewToHost({ type: "rendered", uri: "u", flow: "F", nodes: "3", edges: 2, ms: 1, greyed: false }), false);
  assert.equal(isWebviewToHost({ type: "runStatusShown", flow: "F", runId: "3", marks: { a: "running" } }), true);
  assert.equal(isWebviewToHost({ type: "showTimeline", flow: "F" }), true);
  assert.equal(isWebviewToHost({ type: "showTimeline" }), false);
  assert.equal(isWebviewToHost({ type: "stepLogs", flow: "F", step: "train" }), true);
  assert.equal(isWebviewToHost({ type: "stepLogs", flow: "F" }), false);
  assert.equal(isWebviewToHost(undefined), false);
});

void test("persisted state: accepted when well formed, refused otherwise", () => {
  assert.equal(isWebviewPersistedState({ uri: null, flow: null, selected: null, viewport: null }), true);
  assert.equal(isWebviewPersistedState({ uri: "u", flow: "F", selected: "a", viewport: { x: 1, y: 2, scale: 0.5 } }), true);
  assert.equal(isWebviewPersistedState({ uri: "u", flow: "F", selected: "a", viewport: { x: 1, y: 2 } }), false);
  assert.equal(isWebviewPersistedState({}), false);
});
