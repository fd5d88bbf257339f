// The code package: the flow's directory `.py` files as a deterministic tar.gz, stored once
// under the flow's `data/` prefix by the sha1 of its bytes. The Batch executor uploads the
// same package; the run record names it so a run's code can always be recovered.

import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import { join, relative, sep } from "node:path";
import type { FlowDatastore } from "./layout";
import { tarGz, type TarEntry } from "./tar";

/** Folders that are never part of a flow's code. */
const skipped = new Set([".metaflow", "node_modules", "__pycache__", ".git", ".venv", "venv"]);
const maxFiles = 2000;

export async function collectPythonFiles(dir: string): Promise<TarEntry[]> {
  const out: TarEntry[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = await fs.readdir(d, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (out.length >= maxFiles) return;
      const p = join(d, entry.name);
      if (entry.isDirectory()) {
        if (!skipped.has(entry.name) && !entry.name.startsWith(".")) await walk(p);
      } else if (entry.isFile() && entry.name.endsWith(".py")) {
        out.push({ path: relative(dir, p).split(sep).join("/"), body: await fs.readFile(p) });
      }
    }
  };
  await walk(dir);
  return out;
}

export async function writeCodePackage(ds: FlowDatastore, flowDir: string): Promise<{ sha: string; key: string }> {
  const archive = tarGz(await collectPythonFiles(flowDir));
  const sha = createHash("sha1").update(archive).digest("hex");
  const key = ds.blobKey(sha);
  if (!(await ds.store.exists(key))) {
    await ds.store.put(key, archive, { overwrite: false, metadata: { cas_raw: "true", cas_version: "1" } });
    await ds.store.put(`${key}_meta`, JSON.stringify({ cas_raw: true, cas_version: 1 }));
  }
  return { sha, key };
}
