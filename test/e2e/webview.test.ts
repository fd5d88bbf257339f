// The graph panel's page in headless Chromium without VS Code: what it draws from a hand-written
// graph, live updates that keep the view, the greyed "broken" state, clicks and keyboard.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { TestContext } from "node:test";
import type { GraphMessage, RunNodeStatus, RunStatusMessage } from "../../server/src/protocol/webview";
import { everyKindFlow, flowGraph } from "../unit/webview/sampleGraphs";
import { missing, outputDir, skipIfMissing } from "./support/environment";
import type { DomNode, PageGlobals } from "./support/webviewPage";
import { WebviewPage } from "./support/webviewPage";

const reason = missing({ chromium: true, dist: ["dist/webview.js", "dist/layoutWorker.js", "dist/media/graph.css"] });
let view: WebviewPage | undefined;

function message(patch: Partial<GraphMessage> = {}): GraphMessage {
  return {
    type: "graph",
    uri: "file:///w/flow.py",
    fileName: "flow.py",
    version: 1,
    flows: [everyKindFlow()],
    broken: false,
    errorCount: 0,
    options: { showDecorators: true, nodeSpacing: 24 },
    ...patch,
  };
}

function skipped(t: TestContext): boolean {
  return skipIfMissing(t, reason);
}

before(async () => {
  if (!reason) view = await WebviewPage.open();
  mkdirSync(outputDir, { recursive: true });
});
after(async () => view?.close());

void test("draws every node with its type and every edge, with switch labels and badges", async (t) => {
  if (skipped(t)) return;
  const page = view!.page;
  const rendered = await view!.send(message());
  assert.equal(rendered?.nodes, 14);
  assert.equal(rendered?.edges, 15);
  const nodes = await page.$$eval("#graph .node", (els: DomNode[]) => els.map((e) => [e.getAttribute("data-step"), e.getAttribute("class")]));
  assert.equal(nodes.length, 14);
  const cls = new Map(nodes.map(([s, c]) => [s, c]));
  assert.match(cls.get("fan") ?? "", /type-split-foreach/);
  assert.match(cls.get("choose") ?? "", /type-split-switch/);
  assert.match(cls.get("collect") ?? "", /type-join/);
  assert.match(cls.get("big") ?? "", /has-warning/);
  const edges = await page.$$eval("#graph .edge", (els: DomNode[]) => els.map((e) => `${e.getAttribute("data-source")}->${e.getAttribute("data-target")}`));
  assert.equal(edges.length, 15);
  assert.ok(edges.includes("choose->small"));
  const labels = await page.$$eval("#graph .edge-label text", (els: DomNode[]) => els.map((e) => e.textContent));
  assert.deepEqual(labels.sort(), ["l", "s, m"]);
  const badges = await page.$$eval("#graph .badge text", (els: DomNode[]) => els.map((e) => e.textContent));
  assert.ok(badges.includes("@retry(times=3)"), badges.join());
  const tooltip = await page.$eval('#graph .node[data-step="big"] title', (e: DomNode) => e.textContent);
  assert.match(tooltip ?? "", /FL104: artifact `model` is read but never written/);
  await page.screenshot({ path: join(outputDir, "webview-every-kind.png") });
});

void test("a live update keeps zoom, pan and selection; a broken file greys the last good graph", async (t) => {
  if (skipped(t)) return;
  const page = view!.page;
  await view!.send(message());
  await page.click('#graph .node[data-step="a"]');
  const reveal = (await view!.posted()).filter((m) => m.type === "reveal").pop();
  assert.deepEqual(reveal, { type: "reveal", uri: "file:///w/flow.py", flow: "KitchenSinkFlow", step: "a" });
  await page.click('button[data-command="zoomIn"]');
  const zoomed = await page.$eval("#graph g.content", (e: DomNode) => e.getAttribute("transform"));

  const edited = everyKindFlow();
  edited.graph.steps.extra = { name: "extra", type: "linear", line: 90, doc: "", decorators: [], next: ["end"] };
  edited.graph.steps.collect!.next = ["extra"];
  edited.sources.extra = edited.sources.end!;
  const rendered = await view!.send(message({ flows: [edited], version: 2 }));
  assert.equal(rendered?.nodes, 15);
  assert.equal(await page.$eval("#graph g.content", (e: DomNode) => e.getAttribute("transform")), zoomed, "zoom/pan kept");
  assert.match((await page.$eval('#graph .node[data-step="a"]', (e: DomNode) => e.getAttribute("class"))) ?? "", /selected/);

  const greyed = await view!.send(message({ flows: [], version: 3, broken: true, errorCount: 1, problem: "flow.py:12: invalid syntax" }));
  assert.equal(greyed?.greyed, true);
  assert.equal(await page.$$eval("#graph .node", (els: DomNode[]) => els.length), 15, "last good graph still shown");
  assert.match((await page.getAttribute("#graph", "class")) ?? "", /greyed/);
  assert.match((await page.textContent("#banner")) ?? "", /last good graph — flow.py:12: invalid syntax/);
  await page.screenshot({ path: join(outputDir, "webview-broken.png") });
});

void test("a step with @card has a card badge; a click on it asks the host to open the card, not to reveal the step", async (t) => {
  if (skipped(t)) return;
  const page = view!.page;
  const flow = flowGraph("ReportFlow", {
    start: { next: ["train"] },
    train: { next: ["end"], decorators: [{ name: "card", attributes: { type: "blank" }, statically_defined: true }] },
    end: { next: [] },
  });
  await view!.send(message({ flows: [flow], version: 7 }));
  const badges = await page.$$eval("#graph .card-badge", (els: DomNode[]) => els.map((e) => e.getAttribute("data-card-step")));
  assert.deepEqual(badges, ["train"]);
  const before = (await view!.posted()).length;
  await page.click('#graph .card-badge[data-card-step="train"]');
  await page.waitForFunction((n) => (globalThis as unknown as PageGlobals).__posted.length > n, before);
  const after = (await view!.posted()).slice(before);
  assert.deepEqual(after, [{ type: "openCard", uri: "file:///w/flow.py", flow: "ReportFlow", step: "train" }]);
  await page.screenshot({ path: join(outputDir, "webview-card-badge.png") });
});

void test("cursor highlights a node; keyboard moves the selection and Enter reveals", async (t) => {
  if (skipped(t)) return;
  const page = view!.page;
  await view!.send(message());
  await view!.send({ type: "cursor", uri: "file:///w/flow.py", flow: "KitchenSinkFlow", step: "work" });
  await page.waitForSelector('#graph .node.cursor[data-step="work"]');
  await page.click('#graph .node[data-step="fan"]');
  await page.keyboard.press("ArrowDown");
  await page.waitForSelector('#graph .node.selected[data-step="work"]');
  await page.keyboard.press("Enter");
  const reveal = (await view!.posted()).filter((m) => m.type === "reveal").pop();
  assert.equal(reveal?.type === "reveal" ? reveal.step : undefined, "work");
});

void test("export SVG gives a standalone SVG with resolved colours; export PNG gives a PNG", async (t) => {
  if (skipped(t)) return;
  const page = view!.page;
  await view!.send(message({ flows: [flowGraph("SmallFlow", { start: { next: ["end"] }, end: { next: [] } })] }));
  await view!.send({ type: "viewCommand", command: "exportSvg" });
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__posted.some((m) => m.type === "export" && m.format === "svg"));
  await view!.send({ type: "viewCommand", command: "exportPng" });
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__posted.some((m) => m.type === "export" && m.format === "png"));
  const exports = (await view!.posted()).filter((m) => m.type === "export");
  const svg = exports.find((m) => m.type === "export" && m.format === "svg");
  const png = exports.find((m) => m.type === "export" && m.format === "png");
  assert.ok(svg?.type === "export" && svg.data.startsWith("<svg") && svg.data.includes('data-step="start"') && !svg.data.includes("var(--"));
  assert.ok(png?.type === "export" && Buffer.from(png.data, "base64").subarray(1, 4).toString() === "PNG");
});

void test("a malformed message is reported, not handled", async (t) => {
  if (skipped(t)) return;
  const page = view!.page;
  await page.evaluate(() => (globalThis as unknown as PageGlobals).postMessage({ type: "graph", flows: "nope" }, "*"));
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__posted.some((m) => m.type === "error" && /malformed/.test(m.message ?? "")));
});

void test("theme-aware: the same page under a dark palette draws with the theme's colours", async (t) => {
  if (skipped(t)) return;
  const dark = await WebviewPage.open({ width: 1000, height: 800 }, "dark");
  try {
    await dark.send(message());
    const fill = await dark.page.$eval('#graph .node[data-step="a"] .name', (e: DomNode) => (globalThis as unknown as { getComputedStyle(e: DomNode): { fill: string } }).getComputedStyle(e).fill);
    assert.equal(fill, "rgb(212, 212, 212)", "node text uses --vscode-editor-foreground");
    await dark.page.screenshot({ path: join(outputDir, "webview-dark.png") });
  } finally {
    await dark.close();
  }
});

void test("run status marks nodes, survives a live update, and clears", async (t) => {
  if (skipped(t)) return;
  const page = view!.page;
  await view!.send(message());
  await view!.send({
    type: "runStatus",
    flow: "KitchenSinkFlow",
    runId: "17",
    status: "running",
    steps: {
      start: { state: "succeeded", done: 1, total: 1 },
      a: { state: "failed", done: 0, total: 1, reason: "ValueError: bad input" },
      work: { state: "running", done: 37, total: 100 },
    },
  });
  await page.waitForSelector('#graph .node.run-running[data-step="work"]');
  assert.match((await page.$eval('#graph .node[data-step="a"]', (e: DomNode) => e.getAttribute("class"))) ?? "", /run-failed/);
  assert.equal(await page.$eval('#graph .node[data-step="work"] .run-progress', (e: DomNode) => e.textContent), "37/100");
  assert.match((await page.$eval('#graph .node[data-step="a"] title', (e: DomNode) => e.textContent)) ?? "", /failed: ValueError: bad input/);
  const shown = (await view!.posted()).filter((m) => m.type === "runStatusShown").pop();
  assert.deepEqual(shown, { type: "runStatusShown", flow: "KitchenSinkFlow", runId: "17", marks: { start: "succeeded", a: "failed", work: "running" } });
  await page.screenshot({ path: join(outputDir, "webview-run-status.png") });

  await view!.send(message({ version: 9 }));
  await page.waitForSelector('#graph .node.run-running[data-step="work"]');

  await view!.send({ type: "runStatus", flow: "KitchenSinkFlow", runId: null, status: "cancelled", steps: {} });
  await page.waitForSelector("#graph .node.run-running", { state: "detached" });
  assert.equal(await page.$$eval("#graph .run-progress", (els: DomNode[]) => els.length), 0);
});

void test("retried and caught steps get their own marks, a failed step its headline; a later run's tooltip replaces the earlier run's", async (t) => {
  if (skipped(t)) return;
  const page = view!.page;
  await view!.send(message());
  const status = (runId: string, a: RunNodeStatus): RunStatusMessage => ({
    type: "runStatus",
    flow: "KitchenSinkFlow",
    runId,
    status: "failed",
    steps: {
      start: { state: "succeeded", done: 1, total: 1, mark: "retried", markDetail: "succeeded on attempt 2", durations: { wallMs: 443, open: false } },
      b: { state: "succeeded", done: 1, total: 1, mark: "caught", markDetail: "@catch caught ValueError: bad row 7", durations: { wallMs: 183, open: false } },
      a,
    },
  });
  // Run 18's words for node a (a success with a reason) must not survive into run 19's failure.
  await view!.send(status("18", { state: "succeeded", done: 1, total: 1, reason: "cloned from run 12" }));
  await page.waitForSelector('#graph .node.run-succeeded[data-step="a"]');
  await view!.send(status("19", { state: "failed", done: 0, total: 1, reason: "Out of memory: killed by SIGKILL after reaching 83 MB", cause: "out-of-memory" }));
  await page.waitForSelector('#graph .node.run-failed[data-step="a"]');
  assert.match((await page.$eval('#graph .node[data-step="start"]', (e: DomNode) => e.getAttribute("class"))) ?? "", /run-succeeded run-mark-retried/);
  assert.match((await page.$eval('#graph .node[data-step="b"]', (e: DomNode) => e.getAttribute("class"))) ?? "", /run-mark-caught/);
  assert.equal(await page.$eval('#graph .node[data-step="start"] .run-pill text', (e: DomNode) => e.textContent), "↻ attempt 2");
  assert.equal(await page.$eval('#graph .node[data-step="b"] .run-pill text', (e: DomNode) => e.textContent), "⚠ caught ValueError");
  assert.match((await page.$eval('#graph .node[data-step="a"] .run-pill text', (e: DomNode) => e.textContent)) ?? "", /^✖ Out of memory · 83 MB$/);
  // A node's pill and its duration are both drawn under it: one below the other, never overlapping.
  for (const step of ["start", "b"]) {
    const pill = await page.locator(`#graph .node[data-step="${step}"] .run-pill`).boundingBox();
    const duration = await page.locator(`#graph .node[data-step="${step}"] .run-duration`).boundingBox();
    assert.ok(pill && duration && duration.y >= pill.y + pill.height - 0.5, `${step}: the duration (${JSON.stringify(duration)}) is below the pill (${JSON.stringify(pill)})`);
  }
  // The node's own tooltip: run 19's words only; run 18 said "succeeded" for this node.
  const tip = (await page.$eval('#graph .node[data-step="a"] > title', (e: DomNode) => e.textContent)) ?? "";
  assert.match(tip, /failed: Out of memory: killed by SIGKILL after reaching 83 MB$/);
  assert.doesNotMatch(tip, /succeeded/);
  assert.match((await page.$eval('#graph .node[data-step="b"] > title', (e: DomNode) => e.textContent)) ?? "", /caught an exception: @catch caught ValueError: bad row 7$/);
  await page.screenshot({ path: join(outputDir, "webview-run-marks-light.png") });
  await page.click('#graph .node[data-step="a"] .run-pill');
  const asked = (await view!.posted()).filter((m) => m.type === "stepLogs").pop();
  assert.deepEqual(asked, { type: "stepLogs", flow: "KitchenSinkFlow", step: "a" });
  const dark = await WebviewPage.open({ width: 1000, height: 800 }, "dark");
  try {
    await dark.send(message());
    await dark.send(status("19", { state: "failed", done: 0, total: 1, reason: "Out of memory: killed by SIGKILL after reaching 83 MB", cause: "out-of-memory" }));
    await dark.page.waitForSelector('#graph .node.run-mark-caught[data-step="b"]');
    await dark.page.screenshot({ path: join(outputDir, "webview-run-marks-dark.png") });
  } finally {
    await dark.close();
  }
});
