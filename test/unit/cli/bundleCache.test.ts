// The V8 code cache for the CLI's command bundles (runtime/src/cli/bundleCache.ts), in-process on
// small bundles written here: a miss writes a cache, the next load uses it, and a corrupt, stale or
// unwritable cache only ever means an ordinary compile. (Unwritable is shown with a file where the
// folder should be: a read-only folder would not stop root, which these tests may run as.)
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { codeCacheDir, codeCacheFile, contentHash, loadBundleWithCache } from "../../../runtime/src/cli/bundleCache";

const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function bundleDir(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), "flowlens-bundle-"));
  made.push(dir);
  writeFileSync(join(dir, "cli-test.js"), source);
  return dir;
}

const source = `"use strict";
const path = require("node:path");
function greet(name) { return "hello " + name + " from " + path.basename(__filename); }
module.exports = { greet, dir: __dirname };
`;

void test("a bundle runs like a CommonJS module: exports, require, __filename and __dirname", () => {
  const dir = bundleDir(source);
  const loaded = loadBundleWithCache(dir, "cli-test.js", undefined);
  const exports = loaded.exports as { greet: (n: string) => string; dir: string };
  assert.equal(exports.greet("you"), "hello you from cli-test.js");
  assert.equal(exports.dir, dir);
  assert.equal(loaded.cache, "off");
});

void test("the first load misses and writes a cache; the next load uses it", () => {
  const dir = bundleDir(source);
  const cache = join(dir, "cache");
  const first = loadBundleWithCache(dir, "cli-test.js", cache);
  assert.equal(first.cache, "miss");
  (first.exports as { greet: (n: string) => string }).greet("x");
  first.saveCache();
  assert.equal(readdirSync(cache).filter((f) => f.endsWith(".v8cache")).length, 1);
  assert.deepEqual(readdirSync(cache).filter((f) => f.endsWith(".tmp")), []);
  const second = loadBundleWithCache(dir, "cli-test.js", cache);
  assert.equal(second.cache, "hit");
  assert.equal((second.exports as { greet: (n: string) => string }).greet("y"), "hello y from cli-test.js");
});

void test("two checkouts with the same bundle keep caches of their own: stack traces name each one's own file", () => {
  const thrower = `"use strict";\nmodule.exports = { where() { return new Error("here").stack; } };\n`;
  const cache = join(bundleDir(thrower), "shared-cache");
  const [a, b] = [bundleDir(thrower), bundleDir(thrower)];
  loadBundleWithCache(a, "cli-test.js", cache).saveCache();
  const second = loadBundleWithCache(b, "cli-test.js", cache);
  assert.equal(second.cache, "miss", "the other checkout's cache is not used");
  assert.match((second.exports as { where: () => string }).where(), new RegExp(join(b, "cli-test.js").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  second.saveCache();
  assert.equal(readdirSync(cache).filter((f) => f.endsWith(".v8cache")).length, 2);
});

void test("a changed bundle of the same length gets a cache of its own, never the old code", () => {
  const dir = bundleDir(source);
  const cache = join(dir, "cache");
  const first = loadBundleWithCache(dir, "cli-test.js", cache);
  first.saveCache();
  const changed = source.replace("hello", "howdy");
  assert.equal(changed.length, source.length);
  writeFileSync(join(dir, "cli-test.js"), changed);
  const second = loadBundleWithCache(dir, "cli-test.js", cache);
  assert.equal(second.cache, "miss");
  assert.equal((second.exports as { greet: (n: string) => string }).greet("z"), "howdy z from cli-test.js");
});

void test("a cache that V8 refuses (right checksum, wrong data) is rejected; the bundle still runs and the cache is replaced", () => {
  const dir = bundleDir(source);
  const cache = join(dir, "cache");
  mkdirSync(cache);
  const file = codeCacheFile(cache, join(dir, "cli-test.js"), Buffer.from(source));
  const junk = Buffer.alloc(4096, 7);
  writeFileSync(file, Buffer.concat([Buffer.from(`flowlens-v8-cache ${contentHash(junk)}\n`, "latin1"), junk]));
  const loaded = loadBundleWithCache(dir, "cli-test.js", cache);
  assert.equal(loaded.cache, "rejected");
  assert.equal((loaded.exports as { greet: (n: string) => string }).greet("a"), "hello a from cli-test.js");
  loaded.saveCache();
  assert.equal(loadBundleWithCache(dir, "cli-test.js", cache).cache, "hit");
});

void test("a damaged cache (bytes changed after it was written) is never given to V8, which would crash on it", () => {
  const dir = bundleDir(source);
  const cache = join(dir, "cache");
  loadBundleWithCache(dir, "cli-test.js", cache).saveCache();
  const file = codeCacheFile(cache, join(dir, "cli-test.js"), Buffer.from(source));
  const bytes = readFileSync(file);
  for (let i = bytes.indexOf(0x0a) + 64; i < bytes.length; i += 97) bytes[i] = (bytes[i] ?? 0) ^ 0x5a;
  writeFileSync(file, bytes);
  const loaded = loadBundleWithCache(dir, "cli-test.js", cache);
  assert.equal(loaded.cache, "damaged");
  assert.equal((loaded.exports as { greet: (n: string) => string }).greet("d"), "hello d from cli-test.js");
  loaded.saveCache();
  assert.equal(loadBundleWithCache(dir, "cli-test.js", cache).cache, "hit");
});

void test("a cache folder that cannot even be created (a file is in the way) is no error", () => {
  const dir = bundleDir(source);
  const blocker = join(dir, "not-a-folder");
  writeFileSync(blocker, "");
  const loaded = loadBundleWithCache(dir, "cli-test.js", join(blocker, "cache"));
  assert.equal(loaded.cache, "miss");
  assert.doesNotThrow(() => loaded.saveCache());
  assert.equal((loaded.exports as { greet: (n: string) => string }).greet("b"), "hello b from cli-test.js");
});

void test("only the newest few caches of a bundle are kept", () => {
  const dir = bundleDir(source);
  const cache = join(dir, "cache");
  for (let i = 0; i < 7; i++) {
    writeFileSync(join(dir, "cli-test.js"), source.replace("hello", `hi${i}`));
    loadBundleWithCache(dir, "cli-test.js", cache).saveCache();
  }
  assert.equal(readdirSync(cache).filter((f) => f.startsWith("cli-test.js-")).length, 4);
});

void test("the cache folder follows XDG_CACHE_HOME (if absolute), else ~/.cache, and FLOWLENS_CODE_CACHE=0 turns it off", () => {
  assert.equal(codeCacheDir({ XDG_CACHE_HOME: "/x/cache" }), join("/x/cache", "flowlens", "code-cache"));
  assert.match(codeCacheDir({}) ?? "", /\.cache[/\\]flowlens[/\\]code-cache$/);
  assert.equal(codeCacheDir({ XDG_CACHE_HOME: "relative/cache" }), codeCacheDir({}));
  assert.equal(codeCacheDir({ FLOWLENS_CODE_CACHE: "0", XDG_CACHE_HOME: "/x" }), undefined);
});
