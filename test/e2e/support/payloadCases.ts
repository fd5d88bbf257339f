// The payload side of the checkpoint suites (cards, compare, marks, runs, timeline): their cases
// run inside code-server's extension host, bundled with this module (support/bundleTests.ts). A
// case hands control to the outer test with `checkpoint()` (it reads the webview's DOM, clicks,
// takes screenshots) and waits for its answer; `runCases()` runs the cases in order and writes the
// results file the outer test reads (support/payloadSuite.ts).
//
// The protocol is two files in the results file's folder: the case writes `checkpoint-<name>`
// (under a temporary name, then renamed, so the other side never reads half a file) and waits,
// through fs.watch and without sleeping, for the outer test's `ack-<name>`.
import * as assert from "node:assert/strict";
import { existsSync, readFileSync, renameSync, watch, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import * as vscode from "vscode";
import type { FlowlensApi } from "../../../client/src/api";
import type { Ack } from "./payloadTests";

/** Where the cases write their results; its folder holds the checkpoint and ack files. */
export const resultsFile = process.env.FLOWLENS_E2E_RESULTS ?? "";
export const resultsDir = dirname(resultsFile);

export type Case = [name: string, body: () => Promise<void>];

/** Figures a case measured, printed beside the first case's result ("name: figure; …"). */
export const notes = new Map<string, string>();

/** Hands control to the outer test with `data` and resolves with its answer (rejects after `ms`). */
export function checkpoint(name: string, data: unknown, ms = 60_000): Promise<Ack> {
  const ack = join(resultsDir, `ack-${name}`);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`the outer test did not acknowledge checkpoint ${name} within ${ms / 1000} s`));
    }, ms);
    const done = (): void => {
      clearTimeout(timer);
      watcher.close();
      try {
        resolve(JSON.parse(readFileSync(ack, "utf8")) as Ack);
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    };
    const watcher = watch(resultsDir, (_event, file) => {
      if (file === `ack-${name}` && existsSync(ack)) done();
    });
    writeFileSync(join(resultsDir, `.tmp-checkpoint-${name}`), JSON.stringify(data));
    renameSync(join(resultsDir, `.tmp-checkpoint-${name}`), join(resultsDir, `checkpoint-${name}`));
    if (existsSync(ack)) done();
  });
}

/** The extension's test hooks (its exported API); the extension must be active. */
export function hooks(): FlowlensApi["test"] {
  const ext = vscode.extensions.getExtension<FlowlensApi>("flowlens.flowlens");
  assert.ok(ext?.isActive, "the extension is active");
  return ext.exports.test;
}

/** Sets the user's color theme, as the theme picker does (`undefined`: back to the default). */
export async function setColorTheme(name: string | undefined): Promise<void> {
  await vscode.workspace.getConfiguration("workbench").update("colorTheme", name, vscode.ConfigurationTarget.Global);
}

/**
 * Runs `cases` in order (a failure does not stop the next), writes their results and throws when
 * one failed. `activate`: activate the extension first, for cases that use its commands or hooks
 * before they open a Python file; without it the cases activate it as a user would.
 */
export async function runCases(cases: readonly Case[], what: string, options: { activate: boolean } = { activate: true }): Promise<void> {
  if (options.activate) await vscode.extensions.getExtension<FlowlensApi>("flowlens.flowlens")?.activate();
  const results: { name: string; ok: boolean; error?: string; ms: number; note?: string }[] = [];
  for (const [name, body] of cases) {
    const t0 = Date.now();
    try {
      await body();
      results.push({ name, ok: true, ms: Date.now() - t0 });
    } catch (err) {
      results.push({ name, ok: false, ms: Date.now() - t0, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  }
  if (results[0] && notes.size > 0) results[0].note = [...notes.entries()].map(([k, v]) => `${k}: ${v}`).join("; ");
  writeFileSync(resultsFile, JSON.stringify(results, null, 2));
  const failed = results.filter((r) => !r.ok).length;
  if (failed > 0) throw new Error(`${failed} ${what} case(s) failed`);
}

/** `p`, or a rejection saying `what` did not come within `ms`. */
export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}
