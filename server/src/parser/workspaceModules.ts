// Finds another module of the workspace on disk for the analysis core's `resolveModule`:
// `<module>.py` or `<package>/__init__.py`, relative to the importing file's folder for
// relative imports (".base", "..pkg.mod"), else in that folder and each folder above it.
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { readSourceFile } from "./sourceFile";

export interface WorkspaceModule {
  file: string;
  text: string;
}

function candidates(dir: string, parts: string[]): string[] {
  const base = join(dir, ...parts);
  return [`${base}.py`, join(base, "__init__.py")];
}

function readIfFile(p: string): WorkspaceModule | undefined {
  try {
    if (!existsSync(p) || !statSync(p).isFile()) return undefined;
    // The same rule as for the flow file itself: an oversized or undecodable module is not analysed.
    const read = readSourceFile(p);
    return read.ok ? { file: p, text: read.text } : undefined;
  } catch {
    return undefined;
  }
}

/** Resolves a dotted module name as written in an import, from the importing file. */
export function resolveWorkspaceModule(moduleName: string, fromFile: string | undefined, stopAt?: string): WorkspaceModule | undefined {
  if (fromFile === undefined) return undefined;
  const m = /^(\.*)(.*)$/.exec(moduleName);
  const dots = m?.[1]?.length ?? 0;
  const rest = (m?.[2] ?? "").split(".").filter((p) => p.length > 0);
  let dir = dirname(resolve(fromFile));
  if (dots > 0) {
    for (let i = 1; i < dots; i++) dir = dirname(dir);
    if (rest.length === 0) return readIfFile(join(dir, "__init__.py"));
    for (const c of candidates(dir, rest)) {
      const hit = readIfFile(c);
      if (hit) return hit;
    }
    return undefined;
  }
  if (rest.length === 0) return undefined;
  const top = stopAt !== undefined ? resolve(stopAt) : undefined;
  for (let i = 0; i < 20; i++) {
    for (const c of candidates(dir, rest)) {
      const hit = readIfFile(c);
      if (hit) return hit;
    }
    const parent = dirname(dir);
    if (parent === dir || dir === top) break;
    dir = parent;
  }
  return undefined;
}
