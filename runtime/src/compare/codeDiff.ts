// The code of two runs, compared file by file: each run's code package (a tar.gz stored by its
// hash under the flow's `data/`), named by the Flowlens run record or, for a run Metaflow made,
// by the `code_package_sha` its tasks recorded at start (Metaflow stores a package only for
// runs it sends elsewhere; a local Metaflow run has none, and the comparison says so).

import { gunzipSync } from "node:zlib";
import { runtimeFolder } from "../datastore/codePackage";
import type { FlowDatastore } from "../datastore/layout";
import { untar } from "../datastore/tar";
import type { CodeComparison, FileDiff } from "../../../server/src/protocol/runComparison";
import { unifiedDiff } from "./lineDiff";
import type { RunSnapshot } from "./readRun";

/** The files of a run's code package by path, or why there are none. */
export async function readRunCode(ds: FlowDatastore, run: RunSnapshot): Promise<{ files: Map<string, Buffer> } | { reason: string }> {
  const key = run.codeKey ?? (await metaflowPackageKey(ds, run));
  const name = `run ${run.side.runId}`;
  if (!key) return { reason: run.side.madeBy === "metaflow" ? `${name} was made by Metaflow without a code package (Metaflow stores one only for runs it sends to remote compute)` : `${name} stored no code package` };
  const body = await ds.store.get(key);
  if (!body) return { reason: `the code package of ${name} is missing from the datastore (${ds.where(key)})` };
  try {
    const tar = body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body) : body;
    return { files: untar(tar) };
  } catch (error) {
    return { reason: `the code package of ${name} cannot be read (${ds.where(key)}): ${error instanceof Error ? error.message : String(error)}` };
  }
}

export async function compareCode(ds: FlowDatastore, a: RunSnapshot, b: RunSnapshot): Promise<CodeComparison> {
  const [ca, cb] = await Promise.all([readRunCode(ds, a), readRunCode(ds, b)]);
  if ("reason" in ca) return { available: false, reason: ca.reason };
  if ("reason" in cb) return { available: false, reason: cb.reason };
  return diffFiles(ca.files, cb.files);
}

/** File by file; the bundled Flowlens runtime inside a package counts as one entry. */
export function diffFiles(a: Map<string, Buffer>, b: Map<string, Buffer>): CodeComparison {
  const runtimePrefix = `${runtimeFolder}/`;
  const paths = [...new Set([...a.keys(), ...b.keys()])].filter((p) => !p.startsWith(runtimePrefix)).sort();
  const files: FileDiff[] = paths.map((path) => {
    const x = a.get(path);
    const y = b.get(path);
    if (!x) return { path, status: "only-b" };
    if (!y) return { path, status: "only-a" };
    if (x.equals(y)) return { path, status: "same" };
    const binary = x.includes(0) || y.includes(0);
    return binary ? { path, status: "changed" } : { path, status: "changed", diff: unifiedDiff(x.toString("utf8"), y.toString("utf8")) };
  });
  const runtimeA = [...a.entries()].filter(([p]) => p.startsWith(runtimePrefix));
  const runtimeB = new Map([...b.entries()].filter(([p]) => p.startsWith(runtimePrefix)));
  if (runtimeA.length > 0 || runtimeB.size > 0) {
    const same = runtimeA.length === runtimeB.size && runtimeA.every(([p, body]) => runtimeB.get(p)?.equals(body) === true);
    files.push({ path: `${runtimePrefix} (the bundled Flowlens runtime)`, status: same ? "same" : "changed" });
  }
  return { available: true, same: files.every((f) => f.status === "same"), files };
}

/** A Metaflow run's package: `code_package_sha` in a task's `<attempt>.task_begin` record. */
async function metaflowPackageKey(ds: FlowDatastore, run: RunSnapshot): Promise<string | undefined> {
  if (run.side.madeBy !== "metaflow") return undefined;
  const task = run.steps[0]?.tasks[0];
  const step = run.steps[0]?.name;
  if (!task || !step) return undefined;
  const begin = await ds.readJson<{ code_package_sha?: unknown }>(`${ds.taskPrefix(run.side.runId, step, task.id)}${task.attempt}.task_begin`).catch(() => undefined);
  const sha = typeof begin === "object" && begin !== null ? begin.code_package_sha : undefined;
  return typeof sha === "string" && /^[0-9a-f]{40}$/.test(sha) ? ds.blobKey(sha) : undefined;
}
