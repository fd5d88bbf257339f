// What may be read as Python source: a regular file of at most `maxSourceFileBytes`. A device
// (`/dev/zero` never ends), a FIFO (its open blocks until a writer comes), a directory or a file of
// tens of megabytes is refused with a sentence that says why, before anything is read into memory.
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { maxSourceBytes, mebibytes } from "./sourceFile";

/** The one limit of sourceFile.ts: the editor refuses exactly what `flowlens check` refuses. */
export const maxSourceFileBytes = maxSourceBytes;
export { mebibytes };

export type GuardedSource = { ok: true; text: string } | { ok: false; reason: string; missing: boolean };

const tooLarge = (path: string, size: number): GuardedSource => ({
  ok: false,
  missing: false,
  reason: `${path} is ${mebibytes(size)}: Flowlens reads source files of up to ${mebibytes(maxSourceFileBytes)}`,
});

/** Reads `path` as UTF-8 source, or says why it is not read. Never throws. */
export function readSourceFileGuarded(path: string): GuardedSource {
  let fd: number;
  try {
    // Non-blocking, so that opening a FIFO returns at once (it is then refused by its type).
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { ok: false, missing: true, reason: `${path} does not exist` };
    if (code === "EACCES" || code === "EPERM") return { ok: false, missing: false, reason: `${path} cannot be read: permission denied` };
    return { ok: false, missing: false, reason: `${path} cannot be read: ${code ?? String(error)}` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, missing: false, reason: `${path} is not a regular file (${stat.isDirectory() ? "a directory" : "a device, FIFO or socket"}): Flowlens reads source only from regular files` };
    if (stat.size > maxSourceFileBytes) return tooLarge(path, stat.size);
    // Read until the end or past the limit: a file that grows while it is read is still bounded.
    const chunks: Buffer[] = [];
    let length = 0;
    while (length <= maxSourceFileBytes) {
      const chunk = Buffer.allocUnsafe(Math.max(64 * 1024, Math.min(stat.size - length + 1, maxSourceFileBytes + 1 - length)));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      length += n;
    }
    if (length > maxSourceFileBytes) return tooLarge(path, length);
    return { ok: true, text: Buffer.concat(chunks, length).toString("utf8") };
  } catch (error) {
    return { ok: false, missing: false, reason: `${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  } finally {
    closeSync(fd);
  }
}
