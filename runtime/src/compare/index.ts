// Run comparison: read two runs of a flow from the datastore and compare them (hashes decide
// same or changed; nothing is loaded). Shared by `flowlens compare` and the editor's comparison tab.

import type { FlowDatastore } from "../datastore/layout";
import type { RunComparison } from "../../../server/src/protocol/runComparison";
import { compareCode } from "./codeDiff";
import { compareRuns } from "./compareRuns";
import { readRunSnapshot } from "./readRun";

export { NotInStore, readRunSnapshot } from "./readRun";
export { loadChangedValues, changedArtifacts, type ValueLoad } from "./values";
export { readRunCode } from "./codeDiff";

export async function compareTwoRuns(ds: FlowDatastore, runA: string, runB: string): Promise<RunComparison> {
  const [a, b] = await Promise.all([readRunSnapshot(ds, runA), readRunSnapshot(ds, runB)]);
  return compareRuns(a, b, await compareCode(ds, a, b));
}

/** The run before `run` among the flow's runs (oldest first), or undefined when it is the first. */
export async function previousRun(ds: FlowDatastore, run: string): Promise<string | undefined> {
  const runs = await ds.listRuns();
  const at = runs.indexOf(run);
  return at > 0 ? runs[at - 1] : undefined;
}
