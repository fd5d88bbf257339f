// Loading the changed values of a comparison: one Python process (the bundle's `compare` entry,
// runtime/python/flowlens/_compare_values.py) summarises every changed artifact's two blobs, and
// the summaries go onto the comparison (JSON values also get a value diff). Loading unpickles, so
// only an explicit request (`flowlens compare --values`) or a trusted workspace calls this.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname } from "node:path";
import { launchArgs } from "../executors/local/pythonDir";
import type { ArtifactDiff, RunComparison, ValueSummary } from "../../../server/src/protocol/runComparison";
import { valueDiffOf } from "./jsonDiff";

export interface ValueLoad {
  python: string;
  pythonDir: string;
  flow: string;
  /** The store's variables for Python (FLOWLENS_DATASTORE, FLOWLENS_DATASTORE_ROOT, ...). */
  env: Record<string, string>;
  /** The flow file, so classes defined in it can be unpickled. */
  flowFile?: string;
  /** At most this many changed artifacts are loaded (the rest say so). */
  limit?: number;
}

/** Every changed artifact of the comparison, parameters first. */
export function changedArtifacts(c: RunComparison): ArtifactDiff[] {
  return [...c.parameters, ...c.steps.flatMap((s) => s.artifacts)].filter((d) => d.status === "changed");
}

/** Loads and attaches the summaries; returns how many changed artifacts were left unloaded. */
export async function loadChangedValues(c: RunComparison, load: ValueLoad): Promise<number> {
  const changed = changedArtifacts(c);
  const chosen = changed.slice(0, load.limit ?? 200);
  const shas = [...new Set(chosen.flatMap((d) => [d.a?.sha, d.b?.sha]).filter((s): s is string => s !== undefined))];
  const summaries = shas.length > 0 ? await summarise(shas, load) : {};
  for (const d of chosen) {
    const a = d.a ? summaries[d.a.sha] : undefined;
    const b = d.b ? summaries[d.b.sha] : undefined;
    d.loaded = { ...(a ? { a } : {}), ...(b ? { b } : {}) };
    const valueDiff = a?.kind === "json" && b?.kind === "json" ? valueDiffOf(a.value, b.value) : undefined;
    if (valueDiff) d.valueDiff = valueDiff;
  }
  c.valuesLoaded = true;
  return changed.length - chosen.length;
}

function summarise(shas: string[], load: ValueLoad): Promise<Record<string, ValueSummary>> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...load.env, PYTHONPATH: [load.pythonDir, process.env.PYTHONPATH].filter(Boolean).join(process.platform === "win32" ? ";" : ":") };
    // The flow's folder, so its modules import while unpickling; unless the run's file has moved away since.
    const cwd = load.flowFile && existsSync(dirname(load.flowFile)) ? dirname(load.flowFile) : undefined;
    const child = spawn(load.python, launchArgs(load.pythonDir, "compare"), { env, stdio: ["pipe", "pipe", "pipe"], ...(cwd ? { cwd } : {}) });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (err = (err + chunk).slice(-4000)));
    child.on("error", (e) => reject(new Error(`cannot start the Python interpreter '${load.python}': ${e.message}`)));
    child.on("close", (code) => {
      try {
        const parsed: unknown = JSON.parse(out);
        if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return resolve(parsed as Record<string, ValueSummary>);
      } catch {
        // Reported below with the interpreter's last words.
      }
      reject(new Error(`loading the values failed (exit ${code ?? "?"}): ${err.trim().split("\n").slice(-3).join(" | ") || out.slice(0, 200)}`));
    });
    child.stdin.end(JSON.stringify({ flow: load.flow, shas, ...(load.flowFile ? { flowFile: load.flowFile } : {}) }));
  });
}
