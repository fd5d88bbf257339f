// What one chaos trial found, and the checks every trial shares: a crash (exit 70, a signal, or
// a run without its run-finished event), a stack trace in what a person reads, and a run that
// reports success while its data is not whole.
import { join } from "node:path";
import type { CliRun } from "../../runtime/cli";
import { finished } from "../../runtime/cli";
import { FlowDatastore } from "../../../runtime/src/datastore/layout";
import { LocalObjectStore } from "../../../runtime/src/datastore/local";
import type { ObjectStore } from "../../../runtime/src/datastore/types";
import { verifyAttempt, type BlobChecks } from "../../../runtime/src/datastore/verify";

export type TrialKind = "kill" | "corrupt" | "s3";

export interface Outcome {
  kind: TrialKind;
  /** What was done, for the report of a trial that went wrong. */
  what: string;
  crashes: number;
  stackTraces: number;
  damagedAsSucceeded: number;
  /** Killed runs that a reader still shows as running. */
  leftRunning: number;
  notes: string[];
}

export function outcome(kind: TrialKind, what: string): Outcome {
  return { kind, what, crashes: 0, stackTraces: 0, damagedAsSucceeded: 0, leftRunning: 0, notes: [] };
}

// A JavaScript or Python stack frame, or the CLI's internal-error line.
const stackLike = /internal error|\n\s+at [^\n]+:\d+|Traceback \(most recent call last\)/;

/** Counts what a CLI command did wrong; `run` says whether it should have ended with run-finished. */
export function judgeCommand(o: Outcome, label: string, r: CliRun, run: boolean): void {
  if (r.code === 70 || r.code === null || (run && r.events.some((e) => e.type === "run-started") && !finished(r.events))) {
    o.crashes++;
    o.notes.push(`${label}: exit ${String(r.code)}${run && !finished(r.events) ? ", no run-finished" : ""}`);
  }
  // Tracebacks of the step's own code are the flow's output, printed as log lines: only what the CLI itself says counts.
  const own = r.stderr.split("\n").filter((l) => !/^\[\d+\/\w+\/\d+\]/.test(l)).join("\n");
  if (stackLike.test(own)) {
    o.stackTraces++;
    o.notes.push(`${label}: ${own.slice(0, 300)}`);
  }
}

/** Every task of a run that says it succeeded must be whole: records parse and blobs match their sha1. */
export async function damagedTasks(store: ObjectStore, flow: string, run: string): Promise<string[]> {
  const ds = new FlowDatastore(store, flow);
  const out: string[] = [];
  const checks: BlobChecks = new Map();
  for (const step of await ds.listSteps(run)) {
    for (const task of await ds.listTasks(run, step)) {
      const attempt = await ds.finishedAttempt(run, step, task);
      if (attempt === undefined) continue;
      const damage = await verifyAttempt(ds, run, step, task, attempt, checks);
      if (damage) out.push(`${step}/${task}: ${damage.message}`);
    }
  }
  return out;
}

export function localStore(dir: string): LocalObjectStore {
  return new LocalObjectStore(join(dir, ".metaflow"));
}
