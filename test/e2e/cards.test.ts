// Card tabs in a real VS Code (code-server + headless Chromium). The extension-host cases
// (test/e2e/cards-tests/index.ts) write or run cards and pause at checkpoints; this side reads the
// card tab's DOM (progress, live/final state, table rows, image, theme class, sandbox of HTML
// cards), takes screenshots into test-output/ (cards-*.png, light and dark) and answers.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Frame, Page } from "playwright-core";
import { missing, outputDir, repoRoot, skipIfMissing } from "./support/environment";
import { assertAllPassed, runPayloadSuite } from "./support/payloadSuite";
import { requireFrame } from "./support/webviewFrames";

const reason = missing({ chromium: true, codeServer: true, dist: ["dist/client.js", "dist/server.js", "dist/cardPanel.js", "dist/media/cardPanel.css"] });
// The real-run case needs the Python side of cards (the @card decorator and its components).
const runtimeReason = reason ?? (existsSync(join(repoRoot, "dist/python/flowlens/cards/__init__.py")) ? undefined : "the Python cards runtime is not in dist/python (flowlens/cards/__init__.py): @card cannot run yet");

/** The part of the page's DOM the checks read (this file is compiled without the DOM library). */
interface PageDom {
  document: { title: string; querySelector(s: string): { textContent: string | null } | null };
}

interface CheckData {
  progress?: string;
  progressAtLeast?: number;
  state?: string;
  tableRows?: number;
  image?: boolean;
  theme?: string;
  title?: string;
  listHas?: string;
  /** Runs view rows to click in turn (each label starts its row); the last one opens a card. */
  treeRows?: string[];
}

/** The frame of the card tab shown last: the webview document with main#card. */
function cardFrame(page: Page, ms = 20_000): Promise<Frame> {
  return requireFrame(page, { selector: "main#card", visible: true, last: true }, "a card tab", ms);
}

async function clickRows(page: Page, labels: string[]): Promise<string | undefined> {
  for (const label of labels) {
    const row = page.locator(".monaco-list-row", { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`) }).first();
    const shown = await row
      .waitFor({ state: "visible", timeout: 15_000 })
      .then(() => true)
      .catch(() => false);
    if (!shown) return `the Runs view shows no row "${label}"`;
    await row.click();
  }
  return undefined;
}

async function check(page: Page, name: string, data: CheckData): Promise<{ ok: boolean; detail: string }> {
  const clicked = data.treeRows ? await clickRows(page, data.treeRows) : undefined;
  if (clicked) return { ok: false, detail: clicked };
  const frame = await cardFrame(page);
  const problems: string[] = [];
  const seen: string[] = [];
  const wait = (selector: string, hasText?: string): Promise<boolean> =>
    frame
      .locator(selector, hasText !== undefined ? { hasText } : {})
      .first()
      .waitFor({ state: "attached", timeout: 10_000 })
      .then(() => true)
      .catch(() => false);
  if (data.progress !== undefined) {
    if (!(await wait(".progress .count", data.progress))) problems.push(`progress is not "${data.progress}"`);
    seen.push(`progress ${(await frame.locator(".progress .count").first().textContent().catch(() => "")) ?? ""}`);
  }
  if (data.progressAtLeast !== undefined) {
    const at = data.progressAtLeast;
    const ok = await frame
      .waitForFunction((n) => Number(/^(\d+)/.exec((globalThis as unknown as PageDom).document.querySelector(".progress .count")?.textContent ?? "")?.[1] ?? -1) >= n, at, { timeout: 15_000 })
      .then(() => true)
      .catch(() => false);
    if (!ok) problems.push(`progress never reached ${at}`);
    seen.push(`progress ${(await frame.locator(".progress .count").first().textContent().catch(() => "")) ?? ""}`);
  }
  if (data.state !== undefined && !(await wait(`.card-state.${data.state}`))) problems.push(`the card is not shown as ${data.state}`);
  if (data.tableRows !== undefined) {
    const rows = (await wait(".c-table tbody tr")) ? await frame.locator(".c-table tbody tr").count() : 0;
    seen.push(`${rows} table rows`);
    if (rows !== data.tableRows) problems.push(`the table has ${rows} rows, not ${data.tableRows}`);
  }
  if (data.image) {
    const loaded = await frame.locator(".c-image img").first().evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth).catch(() => 0);
    seen.push(`image ${loaded}px wide`);
    if (loaded <= 0) problems.push("the image is not shown");
  }
  if (data.theme !== undefined && !(await wait(`body.${data.theme}`))) problems.push(`the tab's body is not ${data.theme}`);
  if (data.title !== undefined && !(await wait(".card-title, .card-name", data.title))) problems.push(`no title "${data.title}"`);
  if (data.treeRows) seen.push(`clicked ${data.treeRows.join(" → ")}`);
  if (data.listHas !== undefined) {
    const options = await frame.locator("#cards option").allTextContents();
    if (!options.some((o) => o.includes(data.listHas ?? ""))) problems.push(`the card list (${options.join(" | ")}) has no "${data.listHas}"`);
  }
  if (name === "html") {
    const sandbox = await frame.locator("iframe.html-card").getAttribute("sandbox").catch(() => null);
    seen.push(`iframe sandbox="${sandbox ?? "none"}"`);
    if (sandbox !== "") problems.push("the HTML card's frame is not sandboxed without permissions");
    const inner = frame.childFrames()[0];
    const text = inner ? await inner.locator("#raw").textContent().catch(() => null) : null;
    seen.push(`raw text "${text ?? "?"}"`);
    if (text !== "Raw HTML card") problems.push(`the HTML card's script ran or the card is missing: "${text ?? "?"}"`);
  }
  if (name === "metaflow" && (await frame.evaluate(() => (globalThis as unknown as PageDom).document.title)) === "this script must never run") problems.push("the Metaflow page's script ran");
  await page.screenshot({ path: join(outputDir, `cards-${name}.png`) });
  return { ok: problems.length === 0, detail: `${seen.join(", ")}${problems.length > 0 ? ` — ${problems.join("; ")}` : ""}` };
}

async function runCases(t: { diagnostic(m: string): void }, mode: "simulated" | "runtime", expected: number): Promise<void> {
  const run = await runPayloadSuite({
    cases: "cards-tests",
    bundle: "e2e-cards-tests",
    label: `cards-${mode}`,
    what: "the card cases",
    timeoutMs: 240_000,
    viewport: { width: 1400, height: 950 },
    env: { FLOWLENS_E2E_CARDS: mode },
    answer: async (page, name, data, report) => {
      const ack = await check(page, name, data as CheckData);
      report(`${name}: ${ack.detail}`);
      return ack;
    },
  });
  for (const c of run.checks) t.diagnostic(`check: ${c}`);
  assertAllPassed(run, expected);
}

void test("card tabs: a simulated live task refreshes the tab, then the final card; Metaflow and HTML cards; light and dark", { timeout: 300_000 }, async (t) => {
  if (skipIfMissing(t, reason)) return;
  await runCases(t, "simulated", 2);
});

void test("card tabs: a real flow's card refreshes live while the task runs (needs the Python cards runtime)", { timeout: 300_000 }, async (t) => {
  if (skipIfMissing(t, runtimeReason)) return;
  await runCases(t, "runtime", 1);
});
