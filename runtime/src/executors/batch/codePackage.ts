// The code package a Batch job runs: the flow directory's files (by suffix) plus the bundled
// Python runtime under `_flowlens/python/`, as a deterministic tar.gz named by its sha1 and
// stored once under `<Flow>/data/` (a HeadObject finds it on later runs: no re-upload).
import { createHash } from "node:crypto";
import { existsSync, promises as fs } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { tarGz, type TarEntry } from "../../datastore/tar";
import type { ObjectStore } from "../../datastore/types";

export interface CodePackage {
  sha: string;
  /** Key below the datastore root. */
  key: string;
  size: number;
  /** Whether this call uploaded it (false when the same content was already stored). */
  uploaded: boolean;
}

/** Folder of the archive that holds the bundled Python side (`flowlens/`, `metaflow/`). */
export const runtimeFolder = "_flowlens/python";

const skippedDirs = new Set([".metaflow", "node_modules", "__pycache__", ".git", ".venv", "venv", ".flowlens-cache"]);
const maxFiles = 5000;

/** The bundled runtime/python folder: dist/python next to the bundle, else the source tree's. */
export function defaultPythonRuntimeDir(): string {
  const candidates = [join(__dirname, "python"), join(__dirname, "..", "python"), join(__dirname, "..", "..", "..", "python")];
  for (const c of candidates) if (existsSync(join(c, "flowlens"))) return c;
  throw new Error(`cannot find the bundled Python runtime (looked in ${candidates.join(", ")})`);
}

async function collect(dir: string, accept: (name: string) => boolean, prefix: string, out: TarEntry[], skip: ReadonlySet<string> = skippedDirs): Promise<void> {
  const walk = async (d: string): Promise<void> => {
    const entries = await fs.readdir(d, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (out.length >= maxFiles) throw new Error(`the code package would hold more than ${maxFiles} files from ${dir}; narrow the package suffixes`);
      const p = join(d, entry.name);
      if (entry.isDirectory()) {
        if (!skip.has(entry.name) && !entry.name.startsWith(".")) await walk(p);
      } else if (entry.isFile() && accept(entry.name)) {
        out.push({ path: prefix + relative(dir, p).split(sep).join("/"), body: await fs.readFile(p) });
      }
    }
  };
  await walk(dir);
}

/** Builds the archive in memory: small (source files), and deterministic, so equal content gives an equal sha. */
export async function buildCodePackage(flowFile: string, suffixes: string[], pythonRuntimeDir: string): Promise<{ archive: Buffer; sha: string }> {
  const entries: TarEntry[] = [];
  await collect(dirname(flowFile), (name) => suffixes.some((s) => name.endsWith(s)), "", entries);
  const flowEntries = entries.filter((e) => !e.path.startsWith("_flowlens/"));
  const runtime: TarEntry[] = [];
  // The runtime's own tests stay home: only what runs in the container travels.
  await collect(pythonRuntimeDir, (name) => name.endsWith(".py") || name.endsWith(".json") || name.endsWith(".txt"), `${runtimeFolder}/`, runtime, new Set([...skippedDirs, "tests"]));
  const archive = tarGz([...flowEntries, ...runtime]);
  return { archive, sha: createHash("sha1").update(archive).digest("hex") };
}

/** Stores the package under `<Flow>/data/<sha[:2]>/<sha>` unless it is already there. */
export async function uploadCodePackage(store: ObjectStore, flow: string, archive: Buffer, sha: string): Promise<CodePackage> {
  const key = `${flow}/data/${sha.slice(0, 2)}/${sha}`;
  const present = await store.exists(key);
  if (!present) {
    await store.put(key, archive, { overwrite: false, metadata: { cas_raw: "true", cas_version: "1" } });
    await store.put(`${key}_meta`, JSON.stringify({ cas_raw: true, cas_version: 1 }));
  }
  return { sha, key, size: archive.length, uploaded: !present };
}
