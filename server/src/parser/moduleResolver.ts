// The one rule for finding an imported module of the workspace, used by the language server
// (open buffers first, then disk) and by the CLI and runtime (disk), so that the editor and
// `flowlens check` always see the same base flows. The rule follows what Python does when the
// flow is run as `python flows/train.py` (docs/analysis.md, "How imports are resolved"):
// - a relative import (`.base`, `..pkg.mod`) is looked up from the importing module's folder;
// - an absolute import (`pkg.base`) is looked up in the analysed file's folder (Python's
//   `sys.path[0]`), for that file and for every module it imports in turn, then in each folder
//   above it up to the workspace root (the editor's workspace folder holding the file, the
//   CLI's current directory), as `python -m flows.train` or a PYTHONPATH at the project would;
// - in each folder, `a/b.py` first, then the package `a/b/__init__.py`.
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

export interface FoundModule {
  file: string;
  text: string;
}

/** The analysis core's resolver: a dotted name as written and the importing module's file. */
export type ResolveModule = (module: string, fromFile?: string) => FoundModule | undefined;

export interface ResolverOptions {
  /** The analysed file (an absolute path), or undefined for a buffer that has no path. */
  mainFile: string | undefined;
  /** Workspace roots: the search above the file stops at the one holding it; with none, at the file system root. */
  roots: readonly string[];
  /** The text of a file, or undefined when there is no such regular file (or it is not read as source). */
  read: (file: string) => string | undefined;
}

/** Whether `dir` is `root` or inside it. */
function inside(dir: string, root: string): boolean {
  const rel = relative(root, dir);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/** Folders searched for an absolute import: the file's folder, then each parent up to its workspace root. */
export function searchFolders(mainFile: string | undefined, roots: readonly string[]): string[] {
  if (mainFile === undefined) return roots.map((r) => resolve(r));
  let dir = dirname(resolve(mainFile));
  const holding = roots.map((r) => resolve(r)).filter((r) => inside(dir, r));
  // The innermost workspace root holding the file bounds the search (nested roots).
  const top = holding.sort((a, b) => b.length - a.length)[0];
  const folders = [dir];
  while (dir !== top) {
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
    folders.push(dir);
  }
  return folders;
}

/** Candidate files for a dotted module name, in the order they are tried. */
export function moduleCandidates(module: string, fromFile: string | undefined, folders: readonly string[]): string[] {
  const dots = /^\.*/.exec(module)?.[0].length ?? 0;
  const parts = module.slice(dots).split(".").filter((p) => p.length > 0);
  if (dots > 0) {
    if (fromFile === undefined) return [];
    let dir = dirname(resolve(fromFile));
    for (let i = 1; i < dots; i++) dir = dirname(dir);
    if (parts.length === 0) return [join(dir, "__init__.py")];
    return [join(dir, ...parts) + ".py", join(dir, ...parts, "__init__.py")];
  }
  if (parts.length === 0) return [];
  return folders.flatMap((dir) => [join(dir, ...parts) + ".py", join(dir, ...parts, "__init__.py")]);
}

/** A resolver for one analysed file, by the rule above. */
export function createModuleResolver(options: ResolverOptions): ResolveModule {
  const folders = searchFolders(options.mainFile, options.roots);
  return (module, fromFile) => {
    for (const file of moduleCandidates(module, fromFile ?? options.mainFile, folders)) {
      const text = options.read(file);
      if (text !== undefined) return { file, text };
    }
    return undefined;
  };
}
