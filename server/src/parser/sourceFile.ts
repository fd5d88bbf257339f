// What may be read as Python source: the one rule the CLI (`check`, `show`, `run`) and the
// language server apply before a file reaches the parser. A flow file is a regular file of at
// most `maxSourceBytes` (docs/analysis.md, "What is read as source"); a device, a pipe or a folder
// is refused without being opened, a larger file without being read, so `/dev/zero` or a 36 MB
// generated file never reaches tree-sitter. Bytes are decoded as Python decodes a source file:
// UTF-8 unless a PEP 263 coding line says otherwise; a file Python would refuse is reported
// here (FL000) rather than analysed as if it were fine.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from "node:fs";

/** The largest source file read, by the CLI and the language server alike: 8 MiB (a generated
 * flow of 100,000 lines is about 4 MiB; real flow files are far smaller). */
export const maxSourceBytes = 8 * 1024 * 1024;

/** Why a file is not read as source; `line`/`column` (1-based) when the problem has a place in it. */
export interface SourceProblem {
  message: string;
  line?: number;
  column?: number;
}

export type SourceRead = { ok: true; text: string } | { ok: false; problem: SourceProblem };

/** A size in MiB for a message, rounded up, so that a file just over the limit does not read as the limit. */
export function mebibytes(bytes: number): string {
  const tenths = Math.ceil((bytes * 10) / (1024 * 1024));
  return `${tenths % 10 === 0 ? tenths / 10 : (tenths / 10).toFixed(1)} MiB`;
}

/** Why text of this many bytes is not analysed (documents an editor holds), or undefined when it may be. */
export function sourceSizeProblem(bytes: number): string | undefined {
  return bytes > maxSourceBytes ? `it is ${mebibytes(bytes)}, over the ${mebibytes(maxSourceBytes)} limit for a flow file` : undefined;
}

/** A path's bytes as source, or why there are none; the language server words the same facts its own way. */
export type SourceBytes =
  | { ok: true; bytes: Buffer }
  | { ok: false; refused: "folder" | "not-regular" | "too-large"; size: number }
  | { ok: false; refused: "unreadable"; error: NodeJS.ErrnoException };

/** Reads at most `maxSourceBytes` of a regular file; never throws. */
export function readSourceBytes(path: string): SourceBytes {
  const refusal = (stat: Stats): SourceBytes | undefined =>
    stat.isDirectory()
      ? { ok: false, refused: "folder", size: 0 }
      : !stat.isFile()
        ? { ok: false, refused: "not-regular", size: 0 }
        : stat.size > maxSourceBytes
          ? { ok: false, refused: "too-large", size: stat.size }
          : undefined;
  let fd: number | undefined;
  try {
    // stat first: a device need not be opened at all.
    const early = refusal(statSync(path));
    if (early) return early;
    // Non-blocking, in case a FIFO took the file's place since the stat: its open would wait for a writer.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const late = refusal(fstatSync(fd));
    if (late) return late;
    // Read at most one byte past the limit: a file that grew since the stat is refused, not read whole.
    const buffer = Buffer.alloc(Math.min(fstatSync(fd).size, maxSourceBytes) + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxSourceBytes) return { ok: false, refused: "too-large", size: length + 1 };
    return { ok: true, bytes: buffer.subarray(0, length) };
  } catch (error) {
    return { ok: false, refused: "unreadable", error: error as NodeJS.ErrnoException };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Reads a file as Python source under the rules above; never throws. */
export function readSourceFile(path: string): SourceRead {
  const read = readSourceBytes(path);
  if (read.ok) return decodeSource(read.bytes);
  switch (read.refused) {
    case "folder":
      return { ok: false, problem: { message: "it is a folder, not a file" } };
    case "not-regular":
      return { ok: false, problem: { message: "it is not a regular file (a device, pipe or socket)" } };
    case "too-large":
      return { ok: false, problem: { message: sourceSizeProblem(read.size) ?? "it is too large" } };
    case "unreadable": {
      const e = read.error;
      return { ok: false, problem: { message: e.code ? `${e.code}: ${e.message.replace(/^\w+: /, "")}` : String(e) } };
    }
  }
}

// PEP 263: `coding[:=]` on the first or second line, in a comment.
const codingLine = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

/** Decodes source bytes as Python would; a file Python refuses gives a problem at the first bad byte. */
export function decodeSource(bytes: Buffer): SourceRead {
  const head = bytes.subarray(0, 400).toString("latin1").split(/\r?\n|\r/).slice(0, 2);
  const declared = head.map((l) => codingLine.exec(l)?.[1]).find((e) => e !== undefined)?.toLowerCase();
  if (declared !== undefined && !/^utf[-_]?8(?:$|[-_])/.test(declared)) {
    // Python's names for Latin-1 ("latin-1", "iso8859_1", ...) are not all WHATWG labels.
    if (/^(latin[-_]?1|iso[-_]?8859[-_]1|l1)$/.test(declared)) return { ok: true, text: bytes.toString("latin1") };
    try {
      return { ok: true, text: new TextDecoder(declared.replace(/_/g, "-")).decode(bytes) };
    } catch {
      // An encoding Node does not know: read as UTF-8, replacing what does not decode (Python may know it).
      return { ok: true, text: bytes.toString("utf8") };
    }
  }
  const bad = firstInvalidUtf8(bytes);
  // A BOM stays in the text (as fs.readFileSync leaves it), so offsets match the editor's.
  if (bad === undefined) return { ok: true, text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes) };
  const before = bytes.subarray(0, bad);
  const lineStart = before.lastIndexOf(0x0a) + 1;
  const line = before.reduce((n, b) => (b === 0x0a ? n + 1 : n), 1);
  const column = Buffer.from(before.subarray(lineStart)).toString("utf8").length + 1;
  const byte = (bytes[bad] ?? 0).toString(16).toUpperCase().padStart(2, "0");
  return {
    ok: false,
    problem: { message: `not valid UTF-8 (byte 0x${byte} at offset ${bad}): Python refuses to run it; save it as UTF-8 or declare its encoding (# -*- coding: latin-1 -*-)`, line, column },
  };
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence, or undefined. */
function firstInvalidUtf8(b: Buffer): number | undefined {
  for (let i = 0; i < b.length; ) {
    const c = b[i] as number;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
    }
    // Overlong forms, surrogates and code points above U+10FFFF are not UTF-8 either.
    const d1 = b[i + 1] ?? 0;
    if ((c === 0xe0 && d1 < 0xa0) || (c === 0xed && d1 > 0x9f) || (c === 0xf0 && d1 < 0x90) || (c === 0xf4 && d1 > 0x8f)) return i;
    i += n + 1;
  }
  return undefined;
}
