// The code a run ran: the run record's `code_package` is a tar.gz of the flow's folder `.py` files
// (runtime/src/datastore/codePackage.ts). The runtime has a tar writer only, so this is the small
// reader the explorer needs ("Open code of this run", "Compare with working copy"). Pure.
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import type { FlowDatastore, RunRecord } from "../../../runtime/src/datastore/layout";

/** The regular files of a (ustar) tar archive, by path. */
export function untar(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number): string => header.subarray(start, start + length).toString("utf8").replace(/\0.*$/s, "");
    const name = field(0, 100);
    const prefix = field(345, 155);
    const size = parseInt(field(124, 12).trim() || "0", 8);
    const type = String.fromCharCode(header[156] ?? 48);
    const full = prefix ? `${prefix}/${name}` : name;
    offset += 512;
    if (!Number.isFinite(size) || size < 0 || offset + size > tar.length) throw new Error(`the code package is truncated at ${full}`);
    if (type === "0" || type === "\0") files.set(full, Buffer.from(tar.subarray(offset, offset + size)));
    offset += Math.ceil(size / 512) * 512;
  }
  return files;
}

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
