// Failures that are no bug of Flowlens, turned into the one line a person reads: damaged data
// (named, with what still works), an S3 store that refused, the operating system saying no
// (a read-only folder, a full disk). Everything else is an internal error.

import { isDamagedData } from "../datastore/damaged";

/** What the operating system's error codes mean to someone running a command. */
const systemReasons: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "not permitted (read-only or immutable)",
  EROFS: "the file system is read-only",
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is used up",
  EISDIR: "it is a folder, not a file",
  ENOTDIR: "a part of the path is not a folder",
  ENOENT: "no such file or folder",
  EMFILE: "too many open files",
  EIO: "an input/output error of the device",
};

/** One line for a failure that is not a bug, or undefined for one that is. */
export function describeFailure(error: unknown): string | undefined {
  if (isDamagedData(error)) return `${error.message}. Other tasks and runs can still be read; \`flowlens resume\` runs a damaged task again`;
  if (!(error instanceof Error)) return undefined;
  if (error.name === "S3StoreError") return error.message.split("\n")[0];
  const e = error as NodeJS.ErrnoException;
  const reason = e.code !== undefined ? systemReasons[e.code] : undefined;
  if (reason === undefined) return undefined;
  const where = e.path !== undefined ? ` (${e.syscall ?? "access"} ${e.path})` : "";
  return `${reason}${where} [${e.code ?? ""}]`;
}
