// UI tests in a real VS Code (code-server) with the packaged VSIX installed, driven through
// headless Chromium: the graph panel opened from the CodeLens shows the flow's nodes and edges
// (read from the SVG inside the webview's frames), follows an edit, and a node click reveals the step.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, watch, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, afterEach, before, test } from "node:test";
import { chromium } from "playwright-core";
import type { Browser, FrameLocator, Page } from "playwright-core";
import type { CodeServer } from "./support/codeServer";
import { installExtension, prepareDirs, startCodeServer } from "./support/codeServer";
import type { DomNode } from "./support/webviewPage";
import { chromiumArgs, chromiumPath, missing, outputDir, repoRoot, skipIfMissing } from "./support/environment";

const reason = missing({ chromium: true, codeServer: true, dist: ["dist/client.js", "dist/server.js", "dist/webview.js", "dist/layoutWorker.js"] });

let server: CodeServer | undefined;
let browser: Browser | undefined;
let page: Page;
let graph: FrameLocator;

before(async () => {
  if (reason) return;
  mkdirSync(outputDir, { recursive: true });
  const dirs = prepareDirs("ui");
  // Packaged here from the current dist/, so the test never installs a stale VSIX.
  const vsix = join(dirs.dir, "flowlens.vsix");
  const vsce = spawnSync(process.execPath, [join(repoRoot, "scripts", "package-vsix.mjs"), vsix], { cwd: repoRoot, encoding: "utf8", timeout: 180_000 });
  if (vsce.status !== 0 || !existsSync(vsix)) throw new Error(`packaging failed (exit ${vsce.status}):\n${vsce.stdout}\n${vsce.stderr}`);
  installExtension(vsix, dirs);
  server = await startCodeServer(dirs);
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${server.url}/?folder=${encodeURIComponent(server.workspace)}`);
  await page.locator(".monaco-workbench").waitFor({ timeout: 30_000 });
  graph = page.frameLocator("iframe.webview").frameLocator("iframe#active-frame");
});

// The state after each test, also when it failed: the first thing to look at.
afterEach(async () => {
  if (!reason) await shot("ui-last-test");
});

after(async () => {
  await browser?.close();
  await server?.stop();
  // The extension's own figures: how long each graph took from the host's send to the drawing.
  if (server) {
    const logs = readdirSync(join(server.dir, "user-data", "logs"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith("Flowlens.log"));
    const kept: string[] = [];
    for (const f of logs) {
      const text = readFileSync(join(server.dir, "user-data", "logs", f), "utf8");
      kept.push(text);
      for (const l of text.split("\n").filter((x) => /activated in|drawn,/.test(x))) console.log(`ui: extension log: ${l.replace(/^\S+ \S+ /, "")}`);
    }
    // The extension's log is kept beside the screenshots; the temporary folder goes.
    writeFileSync(join(outputDir, "ui-Flowlens.log"), kept.join("\n"));
    rmSync(server.dir, { recursive: true, force: true });
  }
});

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(outputDir, `${name}.png`) });
}

async function edges(): Promise<string[]> {
  return (await graph.locator("#graph .edge").evaluateAll((els: DomNode[]) => els.map((e) => `${e.getAttribute("data-source")}->${e.getAttribute("data-target")}`))).sort();
}

void test("the CodeLens opens the graph panel with the flow's nodes and edges", { timeout: 90_000 }, async (t) => {
  if (skipIfMissing(t, reason)) return;
  await page.locator(".explorer-folders-view .monaco-list-row", { hasText: "hello_flow.py" }).click();
  await page.locator(".monaco-editor .view-lines", { hasText: "class HelloFlow" }).waitFor();
  const lens = page.locator(".monaco-editor .codelens-decoration a", { hasText: "Show graph" });
  await lens.first().waitFor({ timeout: 30_000 });
  await lens.first().click();
  await graph.locator('#graph .node[data-step="end"]').waitFor({ timeout: 30_000 });
  const nodes = (await graph.locator("#graph .node").evaluateAll((els: DomNode[]) => els.map((e) => e.getAttribute("data-step")))).sort();
  assert.deepEqual(nodes, ["a", "b", "end", "join", "start"]);
  assert.deepEqual(await edges(), ["a->join", "b->join", "join->end", "start->a", "start->b"]);
  const badges = await graph.locator("#graph .badge text").allTextContents();
  assert.equal(badges.length, 1);
  // The badge is the decorator as written; the tooltip adds the values Metaflow fills in.
  assert.equal(badges[0], "@retry(times=3)");
  assert.match((await graph.locator('#graph .node[data-step="a"] title').textContent()) ?? "", /@retry\(times=3, minutes_between_retries=2\)/);
  // The panel's context-menu commands (Show Step Logs / Artifacts) learn the step from this.
  assert.equal(await graph.locator('#graph .node[data-step="a"]').getAttribute("data-vscode-context"), '{"step":"a"}');
  await shot("ui-graph");
});

void test("the graph follows an edit of the flow", { timeout: 60_000 }, async (t) => {
  if (skipIfMissing(t, reason)) return;
  await page.locator(".monaco-editor .view-lines", { hasText: "class HelloFlow" }).click();
  await page.keyboard.press("Control+G");
  await page.keyboard.type("7");
  await page.keyboard.press("Enter");
  await page.keyboard.press("End");
  for (let i = 0; i < ", self.b)".length; i++) await page.keyboard.press("Backspace");
  const t0 = Date.now();
  await page.keyboard.type(")");
  await graph.locator('#graph .edge[data-source="start"][data-target="b"]').waitFor({ state: "detached", timeout: 15_000 });
  console.log(`ui: graph updated ${Date.now() - t0} ms after the keystroke`);
  assert.ok((await edges()).includes("start->a"));
  await shot("ui-after-edit");
  await page.keyboard.press("Backspace");
  await page.keyboard.type(", self.b)");
  // "attached", not "visible": a vertical edge has a zero-width box, which Playwright calls hidden.
  await graph.locator('#graph .edge[data-source="start"][data-target="b"]').waitFor({ state: "attached", timeout: 15_000 });
});

void test("clicking a node reveals its step; the cursor in a step highlights its node", { timeout: 60_000 }, async (t) => {
  if (skipIfMissing(t, reason)) return;
  await graph.locator('#graph .node[data-step="join"]').click();
  await page.locator("#status\\.editor\\.selection", { hasText: "Ln 21" }).waitFor({ timeout: 15_000 });
  await graph.locator('#graph .node.cursor[data-step="join"]').waitFor({ timeout: 15_000 });
  await graph.locator('#graph .node.selected[data-step="join"]').waitFor();
  await shot("ui-node-click");
});

void test("after a reload the panel is restored with its graph and selection (serializer + setState)", { timeout: 90_000 }, async (t) => {
  if (skipIfMissing(t, reason)) return;
  // Reload as a user does (Developer: Reload Window): the workbench saves webview state on the way out;
  // a bare page.reload() may lose it, as closing a browser tab can.
  const loaded = page.waitForEvent("load", { timeout: 30_000 });
  await page.keyboard.press("F1");
  await page.keyboard.type("Developer: Reload Window");
  await page.locator(".quick-input-list .monaco-list-row", { hasText: "Developer: Reload Window" }).first().waitFor();
  await page.keyboard.press("Enter");
  await loaded;
  await page.locator(".monaco-workbench").waitFor({ timeout: 30_000 });
  await graph.locator('#graph .node[data-step="end"]').waitFor({ timeout: 30_000 });
  assert.equal(await graph.locator("#graph .node").count(), 5);
  await graph.locator('#graph .node.selected[data-step="join"]').waitFor({ timeout: 15_000 });
  await shot("ui-after-reload");
});

void test("a hidden panel shows its graph again when brought back (the host resends on ready)", { timeout: 60_000 }, async (t) => {
  if (skipIfMissing(t, reason)) return;
  const panelTab = page.locator(".tabs-container .tab", { hasText: "Flow graph" });
  await panelTab.click();
  // The panel's group is the active one now: a file opened from the explorer replaces the panel in view.
  await page.locator(".explorer-folders-view .monaco-list-row", { hasText: "not_a_flow.py" }).click();
  // The file took the panel's place in the panel's own group, so the panel's page was discarded.
  await page.locator(".editor-group-container", { has: panelTab }).locator(".tab.active", { hasText: "not_a_flow.py" }).waitFor();
  await panelTab.click();
  await page.locator(".tabs-container .tab.active", { hasText: "Flow graph" }).waitFor();
  await graph.locator('#graph .node[data-step="end"]').waitFor({ state: "attached", timeout: 20_000 });
  assert.equal(await graph.locator("#graph .node").count(), 5);
  // Back to the flow in the first group for the next test.
  await page.locator(".tabs-container .tab", { hasText: "hello_flow.py" }).first().click();
});

void test("Export SVG saves a standalone SVG of the graph through the save dialog", { timeout: 60_000 }, async (t) => {
  if (skipIfMissing(t, reason)) return;
  const target = join(server!.workspace, "HelloFlow.svg");
  const saved = new Promise<void>((resolve) => {
    const watcher = watch(server!.workspace, () => {
      if (existsSync(target) && readFileSync(target, "utf8").includes("</svg>")) {
        watcher.close();
        resolve();
      }
    });
  });
  await graph.locator('button[data-command="exportSvg"]').click();
  // code-server's save dialog is a quick input prefilled with the suggested path in the flow's folder.
  // The dialog fills its input in steps (folder first): wait for the suggested file name.
  await page.waitForFunction(`document.querySelector(".quick-input-widget input")?.value.endsWith("/HelloFlow.svg")`, undefined, { timeout: 15_000 });
  await page.keyboard.press("Enter");
  await saved;
  const svgText = readFileSync(target, "utf8");
  assert.match(svgText, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  for (const step of ["start", "a", "b", "join", "end"]) assert.ok(svgText.includes(`data-step="${step}"`), step);
});

void test("a syntax error keeps the last good graph, greyed, with the problem stated", { timeout: 60_000 }, async (t) => {
  if (skipIfMissing(t, reason)) return;
  await page.locator(".tabs-container .tab", { hasText: "hello_flow.py" }).first().click();
  await page.locator(".monaco-editor.focused").waitFor();
  await page.keyboard.press("Control+G");
  await page.keyboard.type("2");
  await page.keyboard.press("Enter");
  await page.keyboard.type("x = = 1");
  await graph.locator("#graph.greyed").waitFor({ timeout: 15_000 });
  assert.equal(await graph.locator("#graph .node").count(), 5);
  assert.match((await graph.locator("#banner").textContent()) ?? "", /last good graph/);
  await shot("ui-broken");
});
