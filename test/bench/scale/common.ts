// What the scale benchmarks share: the load average beside every figure, temporary flow folders,
// and a walk that sizes a datastore.
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";

export const repoRoot = join(import.meta.dirname, "..", "..", "..");
/** The CLI measured: this checkout's, or another build's (FLOWLENS_SCALE_CLI) to set figures side by side. */
export const cli = process.env.FLOWLENS_SCALE_CLI ?? join(repoRoot, "bin", "flowlens.js");

/** "load 1.23 0.98 0.75": printed beside each figure, because 2 shared cores make every figure noisy. */
export function load(): string {
  return `load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`;
}

export const ms = (v: number): string => `${v.toFixed(v < 10 ? 2 : 0)} ms`;
export const secs = (v: number): string => `${(v / 1000).toFixed(2)} s`;
export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** A new folder with an empty `.metaflow` datastore and `flow.py` holding `source`. */
export function flowFolder(name: string, source: string): string {
  const dir = mkdtempSync(join(tmpdir(), `flowlens-scale-${name}-`));
  mkdirSync(join(dir, ".metaflow"));
  writeFileSync(join(dir, "flow.py"), source);
  return dir;
}

export interface Usage {
  files: number;
  /** Sum of the files' sizes (what an object store holds). */
  bytes: number;
  /** Disk blocks the files take (at least one block per non-empty file on most file systems). */
  allocated: number;
}

/** Files, bytes and allocated bytes below a folder. */
export function usage(dir: string): Usage {
  const total: Usage = { files: 0, bytes: 0, allocated: 0 };
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else {
        const st = lstatSync(p);
        total.files += 1;
        total.bytes += st.size;
        total.allocated += st.blocks * 512;
      }
    }
  };
  walk(dir);
  return total;
}
