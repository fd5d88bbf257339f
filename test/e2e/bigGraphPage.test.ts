// A 40-step flow in the graph panel's page (headless Chromium, no VS Code): names stay readable
// (measured as rendered font size), find-a-step jumps, a split collapses and expands, the minimap
// moves the view, and the graph fits again when the panel is resized. Screenshots in light and dark.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { TestContext } from "node:test";
import type { Page } from "playwright-core";
import { flowGraph } from "../../server/src/lsp/graph";
import type { GraphMessage } from "../../server/src/protocol/webview";
import { fortyStepFlow } from "../support/fortyStepFlow";
import { getAnalyzer } from "../unit/analysis/helpers";
import { missing, outputDir, skipIfMissing } from "./support/environment";
import type { DomNode } from "./support/webviewPage";
import { WebviewPage } from "./support/webviewPage";

const reason = missing({ chromium: true, dist: ["dist/webview.js", "dist/layoutWorker.js", "dist/media/graph.css"] });
const pages: WebviewPage[] = [];

async function message(): Promise<GraphMessage> {
  const result = (await getAnalyzer()).analyze(fortyStepFlow(), { file: "flow.py" });
  const map = { positionAt: (offset: number) => ({ line: 0, character: offset }), offsetAt: (p: { character: number }) => p.character };
  const flows = result.flows.map((f) => flowGraph(f, result, map, () => undefined));
  return { type: "graph", uri: "file:///w/flow.py", fileName: "flow.py", version: 1, flows, broken: false, errorCount: 0, options: { showDecorators: true, nodeSpacing: 24 } };
}

async function open(theme: "light" | "dark"): Promise<WebviewPage> {
  const page = await WebviewPage.open({ width: 900, height: 650 }, theme);
  pages.push(page);
  return page;
}

/** The rendered height of a step's name, in CSS pixels on screen (font size times the zoom). */
function nameHeight(page: Page, step: string): Promise<number> {
  return page.$eval(`#graph .node[data-step="${step}"] .name`, (e: DomNode) => (e as unknown as { getBoundingClientRect(): { height: number } }).getBoundingClientRect().height);
}

/** Whether a node's box lies inside the graph's area on screen. */
function onScreen(page: Page, step: string): Promise<boolean> {
  return page.evaluate((s: string) => {
    const doc = (globalThis as unknown as { document: { querySelector(q: string): { getBoundingClientRect(): { left: number; top: number; right: number; bottom: number } } | null } }).document;
    const node = doc.querySelector(`#graph .node[data-step="${s}"]`)?.getBoundingClientRect();
    const area = doc.querySelector("#graph")?.getBoundingClientRect();
    return !!node && !!area && node.left >= area.left && node.right <= area.right && node.top >= area.top && node.bottom <= area.bottom;
  }, step);
}

function skipped(t: TestContext): boolean {
  return skipIfMissing(t, reason);
}

before(() => mkdirSync(outputDir, { recursive: true }));
after(async () => {
  for (const p of pages) await p.close();
});

void test("a 40-step flow is drawn with readable names, in light and dark themes", async (t) => {
  if (skipped(t)) return;
  for (const theme of ["light", "dark"] as const) {
    const view = await open(theme);
    const rendered = await view.send(await message());
    assert.equal(rendered?.nodes, 40);
    // The names are 12px; at the scale that would fit 40 steps into 900x650 they would be ~4px.
    const height = await nameHeight(view.page, "start");
    assert.ok(height >= 9, `step names are ${height}px high`);
    assert.equal(await onScreen(view.page, "start"), true, "the view starts at the top");
    assert.equal(await onScreen(view.page, "close_run"), false, "the rest is reached by scrolling");
    assert.equal(await view.page.isVisible("#minimap"), true, "a big graph gets a minimap");
    await view.page.screenshot({ path: join(outputDir, `big-graph-40-steps-${theme}.png`) });
  }
});

void test("find a step: typing jumps to the best match and selects it; Enter goes to the next", async (t) => {
  if (skipped(t)) return;
  const view = await open("light");
  await view.send(await message());
  const page = view.page;
  await page.click("#graph");
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id), "find-step");
  await page.keyboard.type("notify");
  await page.waitForSelector('#find-count:text-is("1/1")');
  await page.waitForSelector('#graph .node.selected[data-step="notify_owners"]');
  assert.equal(await onScreen(page, "notify_owners"), true);
  await page.fill("#find-step", "billing");
  await page.waitForSelector('#graph .node.selected[data-step="billing_features"]');
  await page.keyboard.press("Enter");
  await page.waitForSelector('#graph .node.selected[data-step="billing_history"]');
  assert.equal(await page.textContent("#find-count"), "2/4");
  await page.fill("#find-step", "qqq");
  assert.equal(await page.textContent("#find-count"), "no step");
  // Find never moves the editor: no reveal was posted.
  assert.equal((await view.posted()).filter((m) => m.type === "reveal").length, 0);
});

void test("a foreach collapses to one node and expands again; find opens a collapsed split", async (t) => {
  if (skipped(t)) return;
  const view = await open("light");
  await view.send(await message());
  const page = view.page;
  const count = () => page.$$eval("#graph .node", (els: DomNode[]) => els.length);
  const rendered = (n: number) => page.waitForFunction((k: number) => (globalThis as unknown as { document: { querySelectorAll(q: string): { length: number } } }).document.querySelectorAll("#graph .node").length === k, n);
  // Find brings the foreach into view (it starts below the panel's fold).
  await page.fill("#find-step", "fan_out");
  await page.waitForSelector('#graph .node.selected[data-step="fan_out_models"]');
  await page.click('#graph .node[data-step="fan_out_models"] .collapse-toggle');
  await rendered(37);
  assert.equal(await page.textContent('#graph .node[data-step="collapsed:fan_out_models"] .name'), "⋯ 4 steps");
  await page.click('#graph .node[data-step="collapsed:fan_out_models"]');
  await rendered(40);
  await page.click('#graph .node[data-step="fan_out_models"] .collapse-toggle');
  await rendered(37);
  await page.fill("#find-step", "calibrate");
  await page.waitForSelector('#graph .node.selected[data-step="calibrate_model"]');
  assert.equal(await count(), 40);
  assert.equal((await view.posted()).filter((m) => m.type === "reveal").length, 0, "a toggle click is no step click");
});

void test("the minimap moves the view, and a resized panel fits again", async (t) => {
  if (skipped(t)) return;
  const view = await open("light");
  await view.send(await message());
  const page = view.page;
  const transform = () => page.$eval("#graph g.content", (e: DomNode) => e.getAttribute("transform") ?? "");
  const box = await page.$eval("#minimap", (e: DomNode) => {
    const r = (e as unknown as { getBoundingClientRect(): { left: number; top: number; width: number; height: number } }).getBoundingClientRect();
    return { left: r.left, top: r.top, width: r.width, height: r.height };
  });
  const first = await transform();
  await page.mouse.click(box.left + box.width / 2, box.top + box.height - 3);
  assert.notEqual(await transform(), first);
  assert.equal(await onScreen(page, "close_run"), true, "the bottom of the map shows the end of the flow");
  // A fit, then a narrower panel: the graph is fitted again, still readable.
  await page.click('button[data-command="fit"]');
  const fitted = await transform();
  await page.setViewportSize({ width: 600, height: 650 });
  await page.waitForFunction((before: string) => (globalThis as unknown as { document: { querySelector(q: string): { getAttribute(a: string): string | null } | null } }).document.querySelector("#graph g.content")?.getAttribute("transform") !== before, fitted);
  assert.ok((await nameHeight(page, "start")) >= 9);
  assert.equal(await onScreen(page, "start"), true);
});
