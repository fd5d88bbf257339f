// The code package: the flow's folder (files by suffix, `.py` by default) plus the bundled
// Python runtime under `_flowlens/python/`, as a deterministic tar.gz stored once under the
// flow's `data/` prefix by the sha1 of its bytes. Every run records it (so any artifact can be
// traced to the code that made it), and a Batch job downloads exactly this package to run.

import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { tarGz, type TarEntry } from "./tar";
import type { ObjectStore } from "./types";

export interface CodePackage {
  sha: string;
  /** Key below the datastore root: `<Flow>/data/<sha[:2]>/<sha>`. */
  key: string;
  size: number;
  /** Whether this call stored it (false when the same content was already there). */
  uploaded: boolean;
}

/** Folder of the archive that holds the bundled Python side (`flowlens/`, `metaflow/`). */
export const runtimeFolder = "_flowlens/python";

const skippedDirs = new Set([".metaflow", "node_modules", "__pycache__", ".git", ".venv", "venv", ".flowlens-cache"]);
const maxFiles = 5000;

/** The suffixes of the flow folder's files that travel: `FLOWLENS_PACKAGE_SUFFIXES` (or Metaflow's variable), else `.py`. */
export function packageSuffixes(env: NodeJS.ProcessEnv): string[] {
  const raw = env.FLOWLENS_PACKAGE_SUFFIXES ?? env.METAFLOW_DEFAULT_PACKAGE_SUFFIXES;
  const list = (raw ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return list.length > 0 ? list : [".py"];
}

/** Files of `dir` whose names `accept` takes, below `prefix`; hidden and tool folders are skipped. */
export async function collectFiles(dir: string, accept: (name: string) => boolean, prefix = "", skip: ReadonlySet<string> = skippedDirs): Promise<TarEntry[]> {
  const out: TarEntry[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = await fs.readdir(d, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (out.length >= maxFiles) throw new Error(`the code package would hold more than ${maxFiles} files from ${dir}; narrow FLOWLENS_PACKAGE_SUFFIXES`);
      const p = join(d, entry.name);
      if (entry.isDirectory()) {
        if (!skip.has(entry.name) && !entry.name.startsWith(".")) await walk(p);
      } else if (entry.isFile() && accept(entry.name)) {
        out.push({ path: prefix + relative(dir, p).split(sep).join("/"), body: await fs.readFile(p) });
      }
    }
  };
  await walk(dir);
  return out;
}

/** Builds the archive in memory: small (source files), and deterministic, so equal content gives an equal sha. */
export async function buildCodePackage(flowFile: string, suffixes: string[], pythonRuntimeDir: string): Promise<{ archive: Buffer; sha: string }> {
  const flowEntries = (await collectFiles(dirname(flowFile), (name) => suffixes.some((s) => name.endsWith(s)))).filter((e) => !e.path.startsWith("_flowlens/"));
  // The runtime's own tests stay home: only what runs travels.
  const runtime = await collectFiles(
    pythonRuntimeDir,
    (name) => name.endsWith(".py") || name.endsWith(".json") || name.endsWith(".txt"),
    `${runtimeFolder}/`,
    new Set([...skippedDirs, "tests"]),
  );
  const archive = tarGz([...flowEntries, ...runtime]);
  return { archive, sha: createHash("sha1").update(archive).digest("hex") };
}

/** Stores the package under `<Flow>/data/<sha[:2]>/<sha>` unless it is already there. */
export async function storeCodePackage(store: ObjectStore, flow: string, archive: Buffer, sha: string): Promise<CodePackage> {
  const key = `${flow}/data/${sha.slice(0, 2)}/${sha}`;
  const present = await store.exists(key);
  if (!present) {
    await store.put(key, archive, { overwrite: false, metadata: { cas_raw: "true", cas_version: "1" } });
    await store.put(`${key}_meta`, JSON.stringify({ cas_raw: true, cas_version: 1 }));
  }
  return { sha, key, size: archive.length, uploaded: !present };
}

/** Builds and stores the package of a flow file in one call (what a run records). */
export async function writeCodePackage(store: ObjectStore, flow: string, flowFile: string, suffixes: string[], pythonRuntimeDir: string): Promise<CodePackage> {
  const { archive, sha } = await buildCodePackage(flowFile, suffixes, pythonRuntimeDir);
  return storeCodePackage(store, flow, archive, sha);
}
