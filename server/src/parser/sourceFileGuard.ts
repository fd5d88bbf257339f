// What the language server reads as Python source: the CLI's rule (sourceFile.ts: a regular file
// of at most `maxSourceBytes`, a device never opened, a FIFO never waited on), worded for the
// editor with the path in front, and decoded as UTF-8 as the editor shows the file.
import { maxSourceBytes, mebibytes, readSourceBytes } from "./sourceFile";

/** The one limit of sourceFile.ts: the editor refuses exactly what `flowlens check` refuses. */
export const maxSourceFileBytes = maxSourceBytes;
export { mebibytes };

export type GuardedSource = { ok: true; text: string } | { ok: false; reason: string; missing: boolean };

/** Reads `path` as UTF-8 source, or says why it is not read. Never throws. */
export function readSourceFileGuarded(path: string): GuardedSource {
  const read = readSourceBytes(path);
  if (read.ok) return { ok: true, text: read.bytes.toString("utf8") };
  const refused = (reason: string, missing = false): GuardedSource => ({ ok: false, missing, reason });
  switch (read.refused) {
    case "folder":
    case "not-regular":
      return refused(`${path} is not a regular file (${read.refused === "folder" ? "a directory" : "a device, FIFO or socket"}): Flowlens reads source only from regular files`);
    case "too-large":
      return refused(`${path} is ${mebibytes(read.size)}: Flowlens reads source files of up to ${mebibytes(maxSourceFileBytes)}`);
    case "unreadable": {
      const code = read.error.code;
      if (code === "ENOENT" || code === "ENOTDIR") return refused(`${path} does not exist`, true);
      if (code === "EACCES" || code === "EPERM") return refused(`${path} cannot be read: permission denied`);
      return refused(`${path} cannot be read: ${code ?? String(read.error)}`);
    }
  }
}
