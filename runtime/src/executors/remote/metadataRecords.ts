// Metaflow's local metadata records of a task that ran in a container. The records are written
// by the Python side only (flowlens/_mfmeta.py). The container's disk goes with it, and a file per
// record would be an S3 request per record, so the container writes an attempt's records as one
// object of the attempt, `<attempt>.metaflow_records.json` ({"records": {key: file text}}), when
// the attempt starts and again, whole, when it is done. Once the job has ended that object is
// unpacked, each record unchanged, into the local folder Metaflow's local metadata provider reads
// (as Metaflow unpacks the archive of local records its own remote tasks leave).
import { datastoreRoot } from "../../datastore/root";
import { LocalObjectStore } from "../../datastore/local";
import type { ObjectStore } from "../../datastore/types";
import type { TaskRef } from "../../../../server/src/protocol/runEvents";

/** The object of one attempt's records (flowlens/_layout.py ATTEMPT_MF_RECORDS). */
export function metadataRecordsKey(ref: TaskRef): string {
  return `${ref.flow}/${ref.runId}/${ref.step}/${ref.taskId}/${ref.attempt}.metaflow_records.json`;
}

/** Metaflow's record of the task's run; once the local folder has it, no container need send it. */
export function runRecordKey(ref: TaskRef): string {
  return `${ref.flow}/${ref.runId}/_meta/_self.json`;
}

/**
 * What a container is told about the run's records: that the local folder has the run's (and
 * so the flow's) record, which then neither travels again nor costs the container a read of
 * the run's project tags (flowlens/_mfmeta.py, FLOWLENS_MF_RUN_RECORDED).
 */
export async function recordsEnvironment(local: ObjectStore | undefined, ref: TaskRef): Promise<Record<string, string>> {
  return local !== undefined && (await local.exists(runRecordKey(ref)).catch(() => false)) ? { FLOWLENS_MF_RUN_RECORDED: "1" } : {};
}

/** The folders whose `_meta/` a task's records touch: its flow, run, step and the task itself. */
function metadataFolders(ref: TaskRef): string[] {
  const flow = ref.flow;
  return [`${flow}/`, `${flow}/${ref.runId}/`, `${flow}/${ref.runId}/${ref.step}/`, `${flow}/${ref.runId}/${ref.step}/${ref.taskId}/`].map((f) => `${f}_meta/`);
}

/** A record's file name: no folder, no "..", nothing a local path would read as more than a name. */
const recordName = /^[A-Za-z0-9_][A-Za-z0-9_.-]*\.json$/;

/**
 * The records in an attempt's object, checked: each key must be a file of the `_meta/` folder
 * of the task, its step, its run or its flow, since the keys become paths in a local folder.
 */
export function parseMetadataRecords(body: Buffer, ref: TaskRef): [string, string][] {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString("utf8"));
  } catch {
    throw new Error(`${metadataRecordsKey(ref)} is not JSON`);
  }
  const records = typeof doc === "object" && doc !== null ? (doc as { records?: unknown }).records : undefined;
  if (typeof records !== "object" || records === null || Array.isArray(records)) throw new Error(`${metadataRecordsKey(ref)} has no "records" object`);
  const folders = metadataFolders(ref);
  return Object.entries(records as Record<string, unknown>).map(([key, text]) => {
    const folder = folders.find((f) => key.startsWith(f));
    if (folder === undefined || !recordName.test(key.slice(folder.length))) throw new Error(`${metadataRecordsKey(ref)} holds a record outside the task's metadata folders: ${JSON.stringify(key)}`);
    if (typeof text !== "string") throw new Error(`${metadataRecordsKey(ref)}: the record ${key} is not a string`);
    return [key, text];
  });
}

/**
 * Unpacks the records of one finished attempt from `remote` into `local`: one request to the
 * datastore. A record already there is kept: the flow's, run's and step's records are the same
 * for every task of a foreach (each task carries them), and the first one copied stays. An
 * attempt without the object (its container never started the task) has nothing to copy.
 */
export async function copyMetadataRecords(remote: ObjectStore, local: ObjectStore, ref: TaskRef): Promise<number> {
  const body = await remote.get(metadataRecordsKey(ref));
  if (body === undefined) return 0;
  const copied = await Promise.all(
    parseMetadataRecords(body, ref).map(async ([key, text]) => {
      if (await local.exists(key)) return 0;
      await local.put(key, text, { overwrite: false });
      return 1;
    }),
  );
  return copied.reduce<number>((a, b) => a + b, 0);
}

/** The local folder of the records of a run whose artifacts are on S3: the local root rule. */
export function localMetadataStore(env: Readonly<Record<string, string | undefined>> = process.env, cwd: string = process.cwd()): ObjectStore {
  return new LocalObjectStore(datastoreRoot({ kind: "local", env, cwd }));
}
