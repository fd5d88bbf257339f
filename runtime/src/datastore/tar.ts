// A deterministic ustar writer: the same files give the same bytes (fixed mtime, owner and
// mode, sorted entries), so the code package's sha names its content and is uploaded once; and
// the reader of such archives (the code a run ran, for the explorer and run comparison).

import { gzipSync } from "node:zlib";

export interface TarEntry {
  /** `/`-separated path inside the archive. */
  path: string;
  body: Buffer;
}

export function tarGz(entries: TarEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const blocks: Buffer[] = [];
  for (const entry of sorted) {
    blocks.push(header(entry.path, entry.body.length), entry.body);
    const pad = (512 - (entry.body.length % 512)) % 512;
    if (pad > 0) blocks.push(Buffer.alloc(pad));
  }
  blocks.push(Buffer.alloc(1024));
  // mtime 0 in the gzip header too, for the same reason.
  return gzipSync(Buffer.concat(blocks), { level: 6 });
}

function header(path: string, size: number): Buffer {
  const h = Buffer.alloc(512);
  let name = path;
  let prefix = "";
  if (Buffer.byteLength(name) > 100) {
    // ustar splits long names at a slash: prefix (at most 155 bytes) / name (at most 100 bytes).
    let split = -1;
    for (let i = path.indexOf("/"); i > 0; i = path.indexOf("/", i + 1)) {
      if (Buffer.byteLength(path.slice(i + 1)) <= 100 && Buffer.byteLength(path.slice(0, i)) <= 155) {
        split = i;
        break;
      }
    }
    if (split <= 0) throw new Error(`path too long for the code package: ${path}`);
    prefix = path.slice(0, split);
    name = path.slice(split + 1);
  }
  h.write(name, 0, 100, "utf8");
  h.write("0000644\0", 100, "latin1"); // mode
  h.write("0000000\0", 108, "latin1"); // uid
  h.write("0000000\0", 116, "latin1"); // gid
  h.write(size.toString(8).padStart(11, "0") + "\0", 124, "latin1");
  h.write("00000000000\0", 136, "latin1"); // mtime
  h.write("        ", 148, "latin1"); // checksum placeholder
  h.write("0", 156, "latin1"); // regular file
  h.write("ustar\0", 257, "latin1");
  h.write("00", 263, "latin1");
  h.write(prefix, 345, 155, "utf8");
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, "latin1");
  return h;
}

/** The regular files of a (ustar) tar archive, by path. */
export function untar(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number): string => header.subarray(start, start + length).toString("utf8").replace(/\0.*$/s, "");
    const name = field(0, 100);
    const prefix = field(345, 155);
    const size = parseInt(field(124, 12).trim() || "0", 8);
    const type = String.fromCharCode(header[156] ?? 48);
    const full = prefix ? `${prefix}/${name}` : name;
    offset += 512;
    if (!Number.isFinite(size) || size < 0 || offset + size > tar.length) throw new Error(`the code package is truncated at ${full}`);
    if (type === "0" || type === "\0") files.set(full, Buffer.from(tar.subarray(offset, offset + size)));
    offset += Math.ceil(size / 512) * 512;
  }
  return files;
}
