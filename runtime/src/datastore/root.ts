// Where a datastore lives: the one rule of the CLI (`run`, `resume`, `step`, `logs`, `dump`) and
// the editor (runs, the Runs view, previews); the Python side has the same rule in
// flowlens/_storage.py:datastore_root, and test/cases/datastore-root.json holds the
// cases both run. First match wins (docs/runtime.md, "Where the datastore is"):
// 1. the root given explicitly: `--datastore-root`, the editor's `flowlens.datastore.root` or
//    `s3Root` setting (a relative folder is taken from the starting folder);
// 2. FLOWLENS_DATASTORE_ROOT (for a local store, when it is not an s3:// URL);
// 3. Metaflow's variables: METAFLOW_DATASTORE_SYSROOT_S3 for S3, and for a local store the
//    `.metaflow` folder inside METAFLOW_DATASTORE_SYSROOT_LOCAL;
// 4. local: the nearest `.metaflow` folder upward from the starting folder (as Metaflow finds
//    it), else a new `.metaflow` there. The starting folder is the working directory of the CLI,
//    and the workspace folder in the editor.

import { statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export type DatastoreKind = "local" | "s3";

export interface RootQuery {
  kind: DatastoreKind;
  /** The root given explicitly (an option or a setting); empty counts as not given. */
  given?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  /** The starting folder. */
  cwd: string;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The nearest `.metaflow` folder at or above `cwd`, else `<cwd>/.metaflow`. */
export function findLocalRoot(cwd: string): string {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, ".metaflow");
    if (isDirectory(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return join(resolve(cwd), ".metaflow");
    dir = parent;
  }
}

const set = (v: string | undefined): string | undefined => (v !== undefined && v.trim() !== "" ? v.trim() : undefined);

/** The datastore root by the rule above: an absolute folder, or an s3:// URL ("" when S3 has none). */
export function datastoreRoot(q: RootQuery): string {
  const fromEnv = set(q.env.FLOWLENS_DATASTORE_ROOT);
  if (q.kind === "s3") return set(q.given) ?? fromEnv ?? set(q.env.METAFLOW_DATASTORE_SYSROOT_S3) ?? "";
  const explicit = set(q.given) ?? (fromEnv?.startsWith("s3://") === true ? undefined : fromEnv);
  if (explicit !== undefined) return resolve(q.cwd, explicit);
  const sysroot = set(q.env.METAFLOW_DATASTORE_SYSROOT_LOCAL);
  if (sysroot !== undefined) return join(resolve(q.cwd, sysroot), ".metaflow");
  return findLocalRoot(q.cwd);
}
