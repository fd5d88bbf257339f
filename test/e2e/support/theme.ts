// The color theme of code-server: written into the user's settings before it starts, switched while
// it runs as a user does (the theme picker), and awaited where it shows: the workbench's class and
// the body class VS Code gives each graph webview.
import { readFileSync, writeFileSync } from "node:fs";
import type { Locator, Page } from "playwright-core";

export type ThemeKind = "light" | "dark";

export const themeNames: Record<ThemeKind, string> = { light: "Default Light Modern", dark: "Default Dark Modern" };

/** Writes the theme into the settings file, which the workbench reads when it starts. */
export function writeTheme(settingsFile: string, kind: ThemeKind): void {
  const settings = JSON.parse(readFileSync(settingsFile, "utf8")) as Record<string, unknown>;
  writeFileSync(settingsFile, JSON.stringify({ ...settings, "workbench.colorTheme": themeNames[kind] }, null, 2));
}

/**
 * Picks `kind`'s theme in the theme picker (Ctrl+K Ctrl+T), each key once the picker is ready for
 * it: the chord's first key taken before its second, the picker open on the current theme before
 * the new one's name is typed, that theme focused before Enter. A step that does not come says
 * what the quick input showed.
 */
export async function pickTheme(page: Page, kind: ThemeKind, ms = 20_000): Promise<void> {
  const label = (k: ThemeKind): string => themeNames[k].replace(/^Default /, "");
  const focusedRow = page.locator(".quick-input-widget .monaco-list-row.focused");
  const step = async (what: string, locator: Locator): Promise<void> => {
    const shown = await locator.waitFor({ timeout: ms }).then(() => true, () => false);
    if (shown) return;
    const quick = (await page.locator(".quick-input-widget").innerText().catch(() => "")) || "nothing";
    throw new Error(`theme picker: ${what} did not happen within ${ms / 1000} s; the quick input shows: ${quick.replace(/\s+/g, " ").slice(0, 400)}`);
  };
  await page.keyboard.press("Control+K");
  await step("the chord's first key", page.locator(".statusbar-item", { hasText: "Waiting for second key of chord" }));
  await page.keyboard.press("Control+T");
  const current = label(kind === "dark" ? "light" : "dark");
  await step(`the picker open on ${current}`, focusedRow.filter({ hasText: new RegExp(`^${current}`) }));
  await page.keyboard.type(label(kind));
  await step(`${label(kind)} focused`, focusedRow.filter({ hasText: new RegExp(`^${label(kind)}`) }));
  await page.keyboard.press("Enter");
  await waitForTheme(page, kind, ms);
}

/** Waits until the workbench, and every graph webview, draws in `kind`. */
export async function waitForTheme(page: Page, kind: ThemeKind, ms = 20_000): Promise<void> {
  await page.locator(kind === "light" ? ".monaco-workbench.vs" : ".monaco-workbench.vs-dark").waitFor({ state: "attached", timeout: ms });
  for (const frame of page.frames()) {
    if ((await frame.locator("svg#graph").count().catch(() => 0)) > 0) await frame.locator(`body.vscode-${kind}`).waitFor({ state: "attached", timeout: ms });
  }
}
