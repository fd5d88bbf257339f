// Metaflow's local metadata records of a task that ran in a container. The records are written
// by the Python side only (flowlens/_mfmeta.py), which in a container puts them into the S3
// datastore below the keys they have locally, because the container's disk goes with it. Once
// the job has ended they are copied, unchanged, into the local folder that Metaflow's local
// metadata provider reads (as Metaflow does with the records of its own remote tasks).
import { datastoreRoot } from "../../datastore/root";
import { LocalObjectStore } from "../../datastore/local";
import type { ObjectStore } from "../../datastore/types";
import type { TaskRef } from "../../../../server/src/protocol/runEvents";

/** The folders whose `_meta/` a task's records touch: its flow, run, step and the task itself. */
function metadataFolders(ref: TaskRef): string[] {
  const flow = ref.flow;
  return [`${flow}/`, `${flow}/${ref.runId}/`, `${flow}/${ref.runId}/${ref.step}/`, `${flow}/${ref.runId}/${ref.step}/${ref.taskId}/`];
}

/**
 * Copies the records of one finished attempt from `remote` into `local`; a record already there
 * is kept, and so is not fetched: the flow's, run's and step's records are the same for every
 * task of a foreach, so only the first task of a step pays for them. The four folders are listed
 * at once and the records fetched at once (a handful of small objects), so the copy costs two
 * round trips after the job, not one per record.
 */
export async function copyMetadataRecords(remote: ObjectStore, local: ObjectStore, ref: TaskRef): Promise<number> {
  const listed = await Promise.all(metadataFolders(ref).map((folder) => remote.listChildren(`${folder}_meta/`)));
  const keys = listed.flat().filter((key) => !key.endsWith("/"));
  const copied = await Promise.all(
    keys.map(async (key) => {
      if (await local.exists(key)) return 0;
      const body = await remote.get(key);
      if (body === undefined) return 0;
      await local.put(key, body, { overwrite: false });
      return 1;
    }),
  );
  return copied.reduce<number>((a, b) => a + b, 0);
}

/** The local folder of the records of a run whose artifacts are on S3: the local root rule. */
export function localMetadataStore(env: Readonly<Record<string, string | undefined>> = process.env, cwd: string = process.cwd()): ObjectStore {
  return new LocalObjectStore(datastoreRoot({ kind: "local", env, cwd }));
}
