// The code a run ran: the run record's `code_package` is a tar.gz of the flow's folder `.py` files
// (runtime/src/datastore/codePackage.ts), read with the datastore's tar reader, for "Open code of
// this run" and "Compare with working copy". Pure.
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import type { FlowDatastore, RunRecord } from "../../../runtime/src/datastore/layout";
import { untar } from "../../../runtime/src/datastore/tar";

export { untar };

/** The flow file's text as the run saw it; undefined when the run has no code package. */
export async function runCodeFile(ds: FlowDatastore, record: RunRecord): Promise<{ relPath: string; text: string } | undefined> {
  const key = record.code_package?.key;
  if (!key) return undefined;
  const body = await ds.store.get(key);
  if (!body) throw new Error(`the code package ${key} of run ${record.run_id} is missing from the datastore`);
  const tar = body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body) : body;
  const files = untar(tar);
  const relPath = path.basename(record.file);
  const exact = files.get(relPath) ?? [...files.entries()].find(([p]) => p.endsWith(`/${relPath}`))?.[1];
  if (!exact) throw new Error(`the code package of run ${record.run_id} has no ${relPath} (it has ${[...files.keys()].slice(0, 5).join(", ")})`);
  return { relPath, text: exact.toString("utf8") };
}
