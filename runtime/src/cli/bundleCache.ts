// Loads one of the CLI's command bundles (dist/cli-analysis.js, ...) the way `require` would, but
// compiled with a V8 code cache kept in the user's cache folder. Node 20 has no
// module.enableCompileCache, so this does what it would: a warm `flowlens check` skips compiling
// the functions an earlier run needed (measured in docs/analysis.md, "Startup of flowlens check").
//
// The cache is only ever an optimisation: a missing, unreadable, stale, damaged or rejected cache
// means an ordinary compile, and a cache folder that cannot be written means no cache, never an
// error.
import type * as NodeCrypto from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { basename, dirname, isAbsolute, join } from "node:path";
import { Script } from "node:vm";
import * as zlib from "node:zlib";
import { timingMark } from "../../../server/src/parser/timing";

/**
 * The folder for code caches: $XDG_CACHE_HOME/flowlens/code-cache, else ~/.cache/flowlens/code-cache
 * (%LOCALAPPDATA% on Windows). Undefined when FLOWLENS_CODE_CACHE=0 turns the cache off.
 */
export function codeCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  if (env.FLOWLENS_CODE_CACHE === "0") return undefined;
  // The XDG base directory spec: a relative XDG_CACHE_HOME is invalid and ignored.
  const xdg = env.XDG_CACHE_HOME !== undefined && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : undefined;
  const base = xdg ?? (process.platform === "win32" && env.LOCALAPPDATA ? env.LOCALAPPDATA : join(homedir(), ".cache"));
  return join(base, "flowlens", "code-cache");
}

// zlib.crc32 arrived in Node 20.15; before that, SHA-1. node:crypto is loaded only then: loading
// it costs 1.5-8 ms, more than the whole cache saves.
type Crc32 = (data: Buffer) => number;
const crc32 = (zlib as unknown as { crc32?: Crc32 }).crc32;
export function contentHash(data: Buffer): string {
  if (crc32) return crc32(data).toString(16).padStart(8, "0");
  const crypto = createRequire(__filename)("node:crypto") as typeof NodeCrypto;
  return crypto.createHash("sha1").update(data).digest("hex");
}

/**
 * The cache file of one bundle's exact content at one path on this Node version and architecture.
 * V8 itself only checks a cache against the source's length (and its own version and flags), so
 * the content hash in the name is what keeps a rebuilt bundle from running stale code. The path is
 * in the name too: compiled code keeps the file name it was compiled under, so two checkouts with
 * the same bundle sharing one cache would name each other's files in their stack traces.
 */
export function codeCacheFile(dir: string, bundlePath: string, source: Buffer): string {
  const where = contentHash(Buffer.from(bundlePath, "utf8"));
  return join(dir, `${basename(bundlePath)}-${contentHash(source)}-${source.length}-${where}-${process.version}-${process.arch}.v8cache`);
}

// V8 (release builds) checks a code cache's header but not its payload, and a damaged payload
// crashes the process (V8_Fatal in the deserializer, exit 133), so every cache file carries a
// checksum of its own: "flowlens-v8-cache <hash>\n" and then V8's data.
const header = "flowlens-v8-cache ";

function withChecksum(data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${header}${contentHash(data)}\n`, "latin1"), data]);
}

/** V8's data from a cache file; "damaged" when the checksum does not match. */
function readCache(file: string): Buffer | "missing" | "damaged" {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return "missing";
  }
  const end = bytes.indexOf(0x0a);
  if (end < 0 || end > 128) return "damaged";
  const first = bytes.toString("latin1", 0, end);
  const data = bytes.subarray(end + 1);
  return first.startsWith(header) && first.slice(header.length) === contentHash(data) ? data : "damaged";
}

/** Caches kept per bundle: a few, so that two checkouts or versions in use do not evict each other. */
const keptPerBundle = 4;

/** Writes atomically (temporary file, then rename) and removes this bundle's oldest caches. */
function writeCache(file: string, bundleName: string, data: Buffer): void {
  const dir = dirname(file);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temporary, withChecksum(data));
    renameSync(temporary, file);
    const others = readdirSync(dir)
      .filter((name) => name.startsWith(`${bundleName}-`) && name.endsWith(".v8cache") && join(dir, name) !== file)
      .map((name) => ({ path: join(dir, name), mtime: statSync(join(dir, name)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const old of others.slice(keptPerBundle - 1)) rmSync(old.path, { force: true });
  } catch {
    // A read-only or full cache folder: the next run compiles again, as it would without a cache.
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing more to tidy up that could be tidied.
    }
  }
}

/** hit: V8 used the cache; miss: none yet; damaged: checksum wrong; rejected: V8 refused it; off. */
export type CodeCacheState = "hit" | "miss" | "damaged" | "rejected" | "off";

export interface LoadedBundle {
  exports: unknown;
  cache: CodeCacheState;
  /** Writes a new cache (when there was none or V8 rejected it); loadBundle calls it at exit. */
  saveCache: () => void;
}

type CommonJsWrapper = (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void;

/**
 * Runs the CommonJS bundle `dir/bundleName` and returns its exports. With a cache folder, the
 * compile uses the cached code when V8 accepts it.
 */
export function loadBundleWithCache(dir: string, bundleName: string, cacheDir: string | undefined): LoadedBundle {
  const filename = join(dir, bundleName);
  const bytes = readFileSync(filename);
  const cacheFile = cacheDir !== undefined ? codeCacheFile(cacheDir, filename, bytes) : undefined;
  const read = cacheFile !== undefined ? readCache(cacheFile) : "missing";
  const cachedData = typeof read === "string" ? undefined : read;
  // The same wrapper as Node's CommonJS loader, on one line so that line numbers stay the bundle's.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${bytes.toString("utf8")}\n})`;
  const script = new Script(wrapped, { filename, cachedData });
  const cache: CodeCacheState =
    cacheFile === undefined ? "off" : read === "missing" ? "miss" : read === "damaged" ? "damaged" : script.cachedDataRejected === true ? "rejected" : "hit";
  timingMark(`${bundleName} compiled (code cache ${cache})`);
  const saveCache = () => {
    if (cacheFile !== undefined && cache !== "hit") writeCache(cacheFile, bundleName, script.createCachedData());
  };
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as CommonJsWrapper;
  run.call(module.exports, module.exports, createRequire(filename), module, filename, dir);
  return { exports: module.exports, cache, saveCache };
}

/** What the CLI entry bundle calls for a command bundle next to it (see scripts/build.mjs). */
export function loadBundle(dir: string, bundleName: string): unknown {
  // Node maps stack traces through source maps (--enable-source-maps) only for what its own loader
  // compiled, so then the bundle is required as usual.
  if (process.sourceMapsEnabled) return createRequire(join(dir, bundleName))(join(dir, bundleName));
  const loaded = loadBundleWithCache(dir, bundleName, codeCacheDir(process.env));
  // Made at exit, the cache holds every function this run compiled, not only the top level.
  if (loaded.cache !== "hit") process.once("exit", loaded.saveCache);
  return loaded.exports;
}
