// The local folder store: keys are `/`-separated paths below the root folder. Every write goes
// to a temporary file in the same folder and is renamed into place, so a crash leaves either
// the old object, nothing, or the whole new one — never a half-written file under its real name.

import { randomBytes } from "node:crypto";
import { constants as fsConstants, promises as fs } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { ObjectInfo, ObjectStore, PutOptions } from "./types";

/** Temporary files carry this marker so that listings never show them. */
const tmpMarker = ".flowlens-tmp-";

export class LocalObjectStore implements ObjectStore {
  readonly kind = "local" as const;
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(key: string): string {
    const p = resolve(this.root, ...key.split("/"));
    if (p !== this.root && !p.startsWith(this.root + sep)) throw new Error(`datastore key escapes the root: ${key}`);
    return p;
  }

  /**
   * Why nothing can be written below the root (it is read-only, immutable, on a full disk, or
   * cannot be created), or undefined when a write works: tried with a temporary file, because
   * permission bits do not tell (root ignores them; a read-only mount or immutable folder does not).
   */
  async writeProblem(): Promise<string | undefined> {
    const probe = join(this.root, `${tmpMarker}probe-${process.pid}`);
    try {
      await fs.mkdir(this.root, { recursive: true });
      await fs.writeFile(probe, "");
      await fs.rm(probe, { force: true });
      return undefined;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EACCES" || code === "EPERM" || code === "EROFS") return `it is read-only (${code})`;
      if (code === "ENOSPC" || code === "EDQUOT") return `the disk is full (${code})`;
      return (error as Error).message;
    }
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await fs.readFile(this.path(key));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async put(key: string, body: Buffer | string, options?: PutOptions): Promise<void> {
    const target = this.path(key);
    if (options?.overwrite === false && (await exists(target))) return;
    await fs.mkdir(dirname(target), { recursive: true });
    const tmp = `${target}${tmpMarker}${randomBytes(6).toString("hex")}`;
    try {
      await fs.writeFile(tmp, body);
      await fs.rename(tmp, target);
    } catch (error) {
      await fs.rm(tmp, { force: true });
      throw error;
    }
  }

  async putFile(key: string, path: string, options?: PutOptions): Promise<void> {
    const target = this.path(key);
    if (options?.overwrite === false && (await exists(target))) return;
    await fs.mkdir(dirname(target), { recursive: true });
    const tmp = `${target}${tmpMarker}${randomBytes(6).toString("hex")}`;
    try {
      await fs.copyFile(path, tmp, fsConstants.COPYFILE_FICLONE);
      await fs.rename(tmp, target);
    } catch (error) {
      await fs.rm(tmp, { force: true });
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    return exists(this.path(key));
  }

  async size(key: string): Promise<number | undefined> {
    try {
      return (await fs.stat(this.path(key))).size;
    } catch (error) {
      if (isMissing(error) || isNotDir(error)) return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    const start = this.path(prefix.replace(/\/$/, ""));
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch (error) {
        if (isMissing(error) || isNotDir(error)) return;
        throw error;
      }
      for (const entry of entries) {
        const p = join(dir, entry.name);
        if (entry.isDirectory()) await walk(p);
        else if (entry.isFile() && !entry.name.includes(tmpMarker)) {
          const key = relative(this.root, p).split(sep).join("/");
          if (!key.startsWith(prefix)) continue;
          const st = await fs.stat(p).catch(() => undefined);
          if (st) out.push({ key, size: st.size, modified: st.mtimeMs });
        }
      }
    };
    await walk(start);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async listChildren(prefix: string): Promise<string[]> {
    const dir = this.path(prefix.replace(/\/$/, ""));
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error) || isNotDir(error)) return [];
      throw error;
    }
    const base = prefix === "" || prefix.endsWith("/") ? prefix : prefix + "/";
    return entries
      .filter((e) => !e.name.includes(tmpMarker))
      .map((e) => (e.isDirectory() ? `${base}${e.name}/` : `${base}${e.name}`))
      .sort();
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.path(key), { force: true });
  }

  pythonEnvironment(): Record<string, string> {
    return { FLOWLENS_DATASTORE: "local", FLOWLENS_DATASTORE_ROOT: this.root };
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await fs.access(path);
    return true;
  } catch {
    return false;
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
}

function isNotDir(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === "ENOTDIR";
}
