// A 40-step flow and a value hover in a real VS Code (code-server, the packaged VSIX, headless
// Chromium): the graph panel draws the flow with readable step names (the rendered font size is
// measured), find-a-step jumps to a step, screenshots in the light and the dark theme; hovering
// `self.total` after a run shows its value beside the analysis's hover.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";
import type { Browser, FrameLocator, Page } from "playwright-core";
import { fortyStepFlow } from "../support/fortyStepFlow";
import type { CodeServer } from "./support/codeServer";
import { extensionLog, installExtension, prepareDirs, startCodeServer } from "./support/codeServer";
import { chromiumArgs, chromiumPath, missing, outputDir, repoRoot, skipIfMissing } from "./support/environment";
import { pickTheme, writeTheme } from "./support/theme";
import type { DomNode } from "./support/webviewPage";

const reason = missing({ chromium: true, codeServer: true, dist: ["dist/client.js", "dist/server.js", "dist/webview.js", "dist/layoutWorker.js", "dist/cli.js"] });

let server: CodeServer | undefined;
let browser: Browser | undefined;
let page: Page;
let graph: FrameLocator;
let settingsFile = "";
let userData = "";

before(async () => {
  if (reason) return;
  mkdirSync(outputDir, { recursive: true });
  const dirs = prepareDirs("biggraph");
  writeFileSync(join(dirs.workspace, "churn_flow.py"), fortyStepFlow());
  // A finished run of hello_flow.py for the value hover, written where the editor reads runs.
  const run = spawnSync(process.execPath, [join(repoRoot, "dist", "cli.js"), "run", "hello_flow.py"], { cwd: dirs.workspace, encoding: "utf8", timeout: 120_000 });
  if (run.status !== 0) throw new Error(`flowlens run hello_flow.py failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  const vsix = join(dirs.dir, "flowlens.vsix");
  const vsce = spawnSync(process.execPath, [join(repoRoot, "scripts", "package-vsix.mjs"), vsix], { cwd: repoRoot, encoding: "utf8", timeout: 180_000 });
  if (vsce.status !== 0 || !existsSync(vsix)) throw new Error(`packaging failed (exit ${vsce.status}):\n${vsce.stdout}\n${vsce.stderr}`);
  installExtension(vsix, dirs);
  userData = dirs.userData;
  settingsFile = join(dirs.userData, "User", "settings.json");
  writeTheme(settingsFile, "light");
  server = await startCodeServer(dirs);
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${server.url}/?folder=${encodeURIComponent(server.workspace)}`);
  await page.locator(".monaco-workbench").waitFor({ timeout: 30_000 });
  graph = page.frameLocator("iframe.webview").frameLocator("iframe#active-frame");
});

after(async () => {
  if (page) await page.screenshot({ path: join(outputDir, "big-graph-ui-last.png") }).catch(() => undefined);
  await browser?.close();
  await server?.stop();
  if (server) rmSync(server.dir, { recursive: true, force: true });
});

/** The rendered height of a step's name inside the panel, in CSS pixels. */
function nameHeight(step: string): Promise<number> {
  return graph.locator(`#graph .node[data-step="${step}"] .name`).evaluate((e: DomNode) => (e as unknown as { getBoundingClientRect(): { height: number } }).getBoundingClientRect().height);
}

void test("a 40-step flow opens with readable step names, a minimap, and find-a-step", { timeout: 120_000 }, async (t) => {
  if (skipIfMissing(t, reason)) return;
  await page.locator(".explorer-folders-view .monaco-list-row", { hasText: "churn_flow.py" }).click();
  await page.locator(".monaco-editor .view-lines", { hasText: "class CustomerChurnFlow" }).waitFor();
  const lens = page.locator(".monaco-editor .codelens-decoration a", { hasText: "Show graph" });
  await lens.first().waitFor({ timeout: 30_000 });
  await lens.first().click();
  await graph.locator('#graph .node[data-step="close_run"]').waitFor({ state: "attached", timeout: 30_000 });
  assert.equal(await graph.locator("#graph .node").count(), 40);
  // Fitted whole into the panel, the 12px names would be ~3px: the fit keeps them readable.
  const height = await nameHeight("start");
  console.log(`big graph: step names are ${height.toFixed(1)}px high in the panel`);
  assert.ok(height >= 9, `step names are ${height}px high`);
  await graph.locator("#minimap").waitFor({ state: "visible" });
  await page.screenshot({ path: join(outputDir, "big-graph-ui-light.png") });

  await graph.locator("#find-step").fill("notify");
  await graph.locator('#graph .node.selected[data-step="notify_owners"]').waitFor({ timeout: 10_000 });
  const inView = await graph.locator('#graph .node[data-step="notify_owners"]').evaluate((e: DomNode) => {
    const el = e as unknown as { getBoundingClientRect(): { top: number; bottom: number }; ownerSVGElement: { getBoundingClientRect(): { top: number; bottom: number } } };
    const r = el.getBoundingClientRect();
    const area = el.ownerSVGElement.getBoundingClientRect();
    return r.top >= area.top && r.bottom <= area.bottom;
  });
  assert.equal(inView, true, "find brought the step into view");
  assert.equal(await graph.locator("#find-count").textContent(), "1/1");
  await page.screenshot({ path: join(outputDir, "big-graph-ui-find-light.png") });

  // The dark theme, picked as a user does; the names stay readable on the dark background. The keys
  // go to the flow's editor (its tab: a click in the explorer would open the file over the panel).
  await page.locator(".tabs-container .tab", { hasText: /^churn_flow\.py/ }).click();
  await pickTheme(page, "dark");
  assert.ok((await nameHeight("notify_owners")) >= 9);
  await page.screenshot({ path: join(outputDir, "big-graph-ui-dark.png") });
  await pickTheme(page, "light");
});

void test("hovering self.total shows its value from the latest run beside the analysis's hover", { timeout: 90_000 }, async (t) => {
  if (skipIfMissing(t, reason)) return;
  await page.locator(".explorer-folders-view .monaco-list-row", { hasText: "hello_flow.py" }).click();
  const line = page.locator(".monaco-editor .view-line", { hasText: "print(self.total)" });
  await line.waitFor();
  // The Show graph lens says the server has analysed the file.
  await page.locator(".monaco-editor .codelens-decoration a", { hasText: "Show graph" }).first().waitFor({ timeout: 30_000 });
  // The cursor into `total` on line 27 (`print(self.total)`: End, then 3 left is column 23), then
  // "Show Hover" (Ctrl+K Ctrl+I). Each key waits for the state the previous one made: the go-to-line
  // box open before "27" is typed (else the digits land in the file), the status bar at Ln 27,
  // Col 23, the chord's first key taken before its second.
  await line.click();
  await page.keyboard.press("Control+G");
  const quickInput = page.locator(".quick-input-widget");
  await quickInput.locator("input:focus").waitFor({ timeout: 10_000 });
  await page.keyboard.type("27");
  await page.keyboard.press("Enter");
  await quickInput.waitFor({ state: "hidden", timeout: 10_000 });
  await page.keyboard.press("End");
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowLeft");
  await page.locator("#status\\.editor\\.selection", { hasText: "Ln 27, Col 23" }).waitFor({ timeout: 10_000 });
  await page.keyboard.press("Control+K");
  await page.locator(".statusbar-item", { hasText: "Waiting for second key of chord" }).waitFor({ timeout: 10_000 });
  await page.keyboard.press("Control+I");
  const hover = page.locator(".monaco-hover-content", { hasText: "Value in the latest run" });
  const shown = await hover.waitFor({ timeout: 30_000 }).then(() => true, () => false);
  const text = (await page.locator(".monaco-hover-content").allTextContents()).join("\n");
  await page.screenshot({ path: join(outputDir, "big-graph-ui-hover.png") });
  const log = extensionLog(userData);
  assert.ok(shown, `no "Value in the latest run" in the hover within 30 s; it showed: ${text || "no hover"}\nthe extension's log:\n${log}`);
  console.log(`value hover: ${/preview HelloFlow\S* .*/.exec(log)?.[0] ?? "no preview line in the log"}`);
  assert.match(text, /artifact total/, "the static hover is there too");
  assert.match(text, /run 1, step join/);
  // The value block follows the "open preview" link: hello_flow's total is 1 + 2.
  assert.match(text, /open preview\s*3\s*$/);
});
