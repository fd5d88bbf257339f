// Runs a bundle of extension-host tests inside code-server through the workbench's `payload`
// route (the extension under development is this repository), and reads the results file the
// bundle writes. Shared by the extension-host and editor-run suites.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import type { CodeServer } from "./codeServer";
import { repoRoot } from "./environment";

/** The outer test's answer to a checkpoint (support/payloadSuite.ts writes it, support/payloadCases.ts reads it). */
export interface Ack {
  ok: boolean;
  detail?: string;
  clicked?: boolean;
}

export interface CaseResult {
  name: string;
  ok: boolean;
  error?: string;
  ms: number;
  note?: string;
}

/**
 * Opens the workbench with the tests bundle and resolves with the exit code the tests report
 * through `codeAutomationExit`; rejects after `timeoutMs` with the end of the server's output.
 */
export async function runPayloadTests(page: Page, server: CodeServer, testsBundle: string, what: string, timeoutMs: number): Promise<number> {
  let resolveExit: (code: number) => void = () => undefined;
  const exitCode = new Promise<number>((resolve) => (resolveExit = resolve));
  await page.exposeFunction("codeAutomationExit", (code: number) => resolveExit(code));
  const remote = (p: string): string => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = JSON.stringify([
    ["extensionDevelopmentPath", remote(repoRoot)],
    ["extensionTestsPath", remote(testsBundle)],
  ]);
  await page.goto(`${server.url}/?folder=${encodeURIComponent(server.workspace)}&payload=${encodeURIComponent(payload)}`);
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    exitCode,
    new Promise<number>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${timeoutMs / 1000} s\n${server.output().slice(-3000)}`)), timeoutMs))),
  ]).finally(() => clearTimeout(timer));
}

/** Reads the bundle's results, prints one line per case (with the first lines of its error), and returns them. */
export function readCaseResults(resultsFile: string, code: number, server: CodeServer, errorLines = 6): CaseResult[] {
  assert.ok(existsSync(resultsFile), `the cases wrote no results (exit code ${code})\n${server.output().slice(-3000)}`);
  const results = JSON.parse(readFileSync(resultsFile, "utf8")) as CaseResult[];
  for (const r of results) {
    const error = r.error ? `\n      ${r.error.split("\n").slice(0, errorLines).join("\n      ")}` : "";
    console.log(`  ${r.ok ? "ok" : "FAIL"}  ${r.name} (${r.ms} ms)${r.note ? ` — ${r.note}` : ""}${error}`);
  }
  return results;
}
