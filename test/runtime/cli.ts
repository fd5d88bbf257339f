// Runs the real `flowlens` CLI (from source, through tsx) in a temporary folder and collects
// its `--json` events; reads the datastore it wrote the way any reader would.

import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseRunEvent, type RunEvent } from "../../server/src/protocol/runEvents";
import { FlowDatastore } from "../../runtime/src/datastore/layout";
import { LocalObjectStore } from "../../runtime/src/datastore/local";

export const repo = resolve(__dirname, "../..");
const main = join(repo, "runtime/src/cli/main.ts");
// An absolute loader path: the CLI runs in temporary folders where `tsx` does not resolve.
const tsx = pathToFileURL(join(repo, "node_modules/tsx/dist/loader.mjs")).href;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  events: RunEvent[];
}

const made: string[] = [];
// Temporary workspaces go when the test process ends (kept with FLOWLENS_KEEP_TMP=1, to look at).
process.on("exit", () => {
  if (process.env.FLOWLENS_KEEP_TMP !== "1") for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder with a `.metaflow` datastore and a copy of the given flow files. */
export function workspace(...flowFiles: string[]): { dir: string; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "flowlens-rt-"));
  made.push(dir);
  mkdirSync(join(dir, ".metaflow"));
  const files = flowFiles.map((f, i) => {
    const sub = join(dir, `f${i}`);
    mkdirSync(sub);
    cpSync(resolve(repo, f), join(sub, basename(f)));
    return join(sub, basename(f));
  });
  return { dir, files };
}

export function start(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<CliRun>; onEvent: (f: (e: RunEvent) => void) => void } {
  const child = spawn(process.execPath, ["--import", tsx, main, ...args], { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let pending = "";
  const events: RunEvent[] = [];
  const listeners: ((e: RunEvent) => void)[] = [];
  child.stdout?.on("data", (d: Buffer) => {
    stdout += d.toString("utf8");
    pending += d.toString("utf8");
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      const e = parseRunEvent(line);
      if (e) {
        events.push(e);
        for (const l of listeners) l(e);
      }
    }
  });
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
  const done = new Promise<CliRun>((r) => child.on("close", (code) => r({ code, stdout, stderr, events })));
  return { child, done, onEvent: (f) => listeners.push(f) };
}

export function flowlens(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return start(args, cwd, env).done;
}

export function datastore(dir: string, flow: string): FlowDatastore {
  return new FlowDatastore(new LocalObjectStore(join(dir, ".metaflow")), flow);
}

/** The JSON value of an artifact of a task (from its previews), from its finished attempt. */
export async function artifact(ds: FlowDatastore, run: string, step: string, name: string, task?: string): Promise<unknown> {
  const id = task ?? (await ds.listTasks(run, step))[0];
  if (id === undefined) throw new Error(`no task of ${step} in run ${run}`);
  const attempt = await ds.finishedAttempt(run, step, id);
  if (attempt === undefined) throw new Error(`${run}/${step}/${id} has no finished attempt`);
  const data = await ds.readDataJson(run, step, id, attempt);
  const sha = data?.objects[name];
  if (sha === undefined) throw new Error(`${run}/${step}/${id} has no artifact ${name} (has ${Object.keys(data?.objects ?? {}).join(", ")})`);
  const p = (await ds.readPreviews(run, step, id, attempt))[name] ?? (await ds.previewBySha(run, sha));
  if (!p) throw new Error(`${run}/${step}/${id}: artifact ${name} has no preview`);
  return p.json;
}

export function finished(events: RunEvent[]): Extract<RunEvent, { type: "run-finished" }> | undefined {
  return events.find((e): e is Extract<RunEvent, { type: "run-finished" }> => e.type === "run-finished");
}

export function runIdOf(events: RunEvent[]): string {
  const e = events.find((x) => x.type === "run-started");
  if (e?.type !== "run-started") throw new Error("no run-started event");
  return e.runId;
}

export { dirname };
