// The module resolver of the CLI and the runtime: the one rule of moduleResolver.ts over files
// on disk, read through the same source rule as the flow file itself (an oversized, undecodable
// or non-regular module is not analysed, so a base flow there stays unresolved).
import { statSync } from "node:fs";
import { createModuleResolver, type ResolveModule } from "./moduleResolver";
import { readSourceFile } from "./sourceFile";

function readIfFile(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return undefined;
    const read = readSourceFile(path);
    return read.ok ? read.text : undefined;
  } catch {
    return undefined;
  }
}

/** Resolves the imports of `mainFile` from disk; the search above its folder stops at the root holding it. */
export function diskModuleResolver(mainFile: string, roots: readonly string[] = [process.cwd()]): ResolveModule {
  return createModuleResolver({ mainFile, roots, read: readIfFile });
}
