// Whether a finished task attempt is whole, before `resume` or `step` reuses it: its records
// parse, and every artifact blob its data.json names is there with the size and sha1 that
// data.json gives. A reused task with damaged data would otherwise be copied into a run that then
// reports success.

import { createHash } from "node:crypto";
import { DamagedData, shortReason } from "./damaged";
import type { FlowDatastore } from "./layout";

/**
 * Blobs whose pickle is at most this large are read back and their sha1 recomputed; larger ones
 * (stored raw) are checked by size only, which costs one stat instead of reading gigabytes.
 */
export const fullCheckBytes = 64 * 1024 * 1024;

/** Results per blob sha, shared across the tasks of one resume: inherited artifacts are checked once. */
export type BlobChecks = Map<string, DamagedData | undefined>;

/** The first damage found in attempt `attempt` of a task, or undefined when it is whole. */
export async function verifyAttempt(ds: FlowDatastore, run: string, step: string, task: string, attempt: number, checks: BlobChecks): Promise<DamagedData | undefined> {
  const prefix = ds.taskPrefix(run, step, task);
  try {
    for (const suffix of ["DONE.lock", "attempt.json"]) await ds.readJson(`${prefix}${attempt}.${suffix}`);
    const data = await ds.readDataJson(run, step, task, attempt);
    if (!data) return new DamagedData(ds.where(`${prefix}${attempt}.data.json`), "missing, though the attempt has a DONE.lock");
    await ds.readPreviews(run, step, task, attempt);
    for (const [name, sha] of Object.entries(data.objects)) {
      const size = data.info?.[name]?.size;
      if (!checks.has(sha)) checks.set(sha, await verifyBlob(ds, sha, typeof size === "number" ? size : undefined));
      const damage = checks.get(sha);
      if (damage) return new DamagedData(damage.file, `${damage.reason} (artifact ${name})`);
    }
    return undefined;
  } catch (error) {
    if (error instanceof DamagedData) return error;
    throw error;
  }
}

/**
 * Moves the damaged blobs found by `checks` aside (to `<sha>.damaged`), so that the tasks run again
 * store them whole: a blob is written only when its sha is not there yet. Missing ones need nothing.
 */
export async function setDamagedBlobsAside(ds: FlowDatastore, checks: BlobChecks): Promise<void> {
  for (const [sha, damage] of checks) {
    if (!damage) continue;
    const key = ds.blobKey(sha);
    const body = await ds.store.get(key);
    if (!body) continue;
    await ds.store.put(`${key}.damaged`, body);
    await ds.store.delete(key);
  }
}

async function verifyBlob(ds: FlowDatastore, sha: string, size: number | undefined): Promise<DamagedData | undefined> {
  const key = ds.blobKey(sha);
  const file = ds.where(key);
  const stored = await ds.store.size(key);
  if (stored === undefined) return new DamagedData(file, "the artifact blob is missing");
  if (size !== undefined && size > fullCheckBytes) {
    // Large pickles are stored raw: the stored size is the pickle's size.
    return stored === size ? undefined : new DamagedData(file, `the blob holds ${stored} bytes, data.json says ${size}`);
  }
  let bytes: Buffer | undefined;
  try {
    bytes = await ds.readBlob(sha);
  } catch (error) {
    if (error instanceof DamagedData) return error;
    return new DamagedData(file, shortReason(error));
  }
  if (!bytes) return new DamagedData(file, "the artifact blob is missing");
  if (size !== undefined && bytes.length !== size) return new DamagedData(file, `the pickle is ${bytes.length} bytes, data.json says ${size}`);
  const actual = createHash("sha1").update(bytes).digest("hex");
  return actual === sha ? undefined : new DamagedData(file, `its content does not match its sha1 (${actual.slice(0, 12)}...)`);
}
