// The outer side of the checkpoint suites (cards, compare, marks, runs, timeline): bundles the
// suite's cases (their side is support/payloadCases.ts), starts code-server and Chromium, answers
// each checkpoint the cases write with what `answer` found in the page, then reads and prints the
// cases' results and the checks, and stops everything.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, renameSync, watch, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import type { Page } from "playwright-core";
import { bundleTestCases } from "./bundleTests";
import { prepareDirs, startCodeServer } from "./codeServer";
import { chromiumArgs, chromiumPath, outputDir } from "./environment";
import type { Ack, CaseResult } from "./payloadTests";
import { readCaseResults, runPayloadTests } from "./payloadTests";

type Dirs = ReturnType<typeof prepareDirs>;

export interface PayloadSuite {
  /** The cases' folder under test/e2e, e.g. "marks-tests"; bundled to out/e2e-<folder>. */
  cases: string;
  /** The bundle's folder under out/. */
  bundle: string;
  /** The temporary folder's label. */
  label: string;
  /** "the marks cases", for the timeout's message. */
  what: string;
  timeoutMs: number;
  viewport: { width: number; height: number };
  /** Extra environment for code-server (the results file's path is always set). */
  env?: Record<string, string>;
  /** Writes the workspace's files before code-server starts. */
  prepare?: (dirs: Dirs) => void;
  /**
   * Checks checkpoint `name` in the page and says what it found; `report` adds a line to the
   * checks printed at the end. A throw answers `{ ok: false }` with the error.
   */
  answer: (page: Page, name: string, data: unknown, report: (line: string) => void) => Promise<Ack>;
}

/** Runs the suite; resolves with its cases' results, the checks' lines and the bundle's exit code. */
export async function runPayloadSuite(suite: PayloadSuite): Promise<{ results: CaseResult[]; checks: string[]; code: number }> {
  const testsBundle = await bundleTestCases(suite.cases, suite.bundle);
  const dirs = prepareDirs(suite.label);
  suite.prepare?.(dirs);
  const resultsFile = join(dirs.dir, "results.json");
  const server = await startCodeServer(dirs, { ...suite.env, FLOWLENS_E2E_RESULTS: resultsFile });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  mkdirSync(outputDir, { recursive: true });
  const checks: string[] = [];
  try {
    const page = await browser.newPage({ viewport: suite.viewport });
    const watcher = answerCheckpoints(dirs.dir, (name, data) => suite.answer(page, name, data, (line) => checks.push(line)));
    const code = await runPayloadTests(page, server, testsBundle, suite.what, suite.timeoutMs).finally(() => watcher.close());
    const results = readCaseResults(resultsFile, code, server);
    for (const c of checks) console.log(`  check: ${c}`);
    return { results, checks, code };
  } finally {
    await browser.close();
    await server.stop();
  }
}

/** Every case ran and passed, and the bundle exited with 0. */
export function assertAllPassed(run: { results: CaseResult[]; code: number }, expected: number): void {
  assert.equal(run.results.length, expected, "every case ran");
  assert.deepEqual(run.results.filter((r) => !r.ok).map((r) => r.name), []);
  assert.equal(run.code, 0);
}

/**
 * Answers each `checkpoint-<name>` written into `dir` once, with `ack-<name>` (written under a
 * temporary name, then renamed, so the cases never read half a file).
 */
function answerCheckpoints(dir: string, answer: (name: string, data: unknown) => Promise<Ack>): { close(): void } {
  const handled = new Set<string>();
  const write = (name: string, ack: Ack): void => {
    writeFileSync(join(dir, `.tmp-ack-${name}`), JSON.stringify(ack));
    renameSync(join(dir, `.tmp-ack-${name}`), join(dir, `ack-${name}`));
  };
  return watch(dir, (_e, file) => {
    const name = /^checkpoint-(.+)$/.exec(String(file))?.[1];
    if (!name || handled.has(name) || !existsSync(join(dir, String(file)))) return;
    handled.add(name);
    Promise.resolve()
      .then(() => answer(name, JSON.parse(readFileSync(join(dir, `checkpoint-${name}`), "utf8")) as unknown))
      .then(
        (ack) => write(name, ack),
        (err: unknown) => write(name, { ok: false, detail: String(err) }),
      );
  });
}
