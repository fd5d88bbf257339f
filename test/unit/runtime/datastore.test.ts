// The local object store and the layout over it: atomic writes, listings, runs and
// attempts, blobs, cloning, and the deterministic code package.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { gzipSync } from "node:zlib";
import { collectFiles, packageSuffixes, runtimeFolder, writeCodePackage } from "../../../runtime/src/datastore/codePackage";
import { resolvePythonDir } from "../../../runtime/src/executors/local/pythonDir";
import { FlowDatastore } from "../../../runtime/src/datastore/layout";
import { LocalObjectStore } from "../../../runtime/src/datastore/local";
import { findLocalRoot } from "../../../runtime/src/datastore/root";
import { tarGz } from "../../../runtime/src/datastore/tar";

const made: string[] = [];
const temp = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "flowlens-ds-"));
  made.push(dir);
  return dir;
};
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

void test("the local store writes whole objects and lists them by prefix", async () => {
  const store = new LocalObjectStore(temp());
  await store.put("F/1/start/1/0.data.json", "{}");
  await store.put("F/1/start/1/0.DONE.lock", Buffer.from("x"));
  await store.put("F/latest_run", "1");
  assert.equal((await store.get("F/latest_run"))?.toString(), "1");
  assert.equal(await store.get("F/missing"), undefined);
  await store.put("F/latest_run", "2", { overwrite: false });
  assert.equal((await store.get("F/latest_run"))?.toString(), "1", "overwrite: false keeps the object");
  assert.deepEqual((await store.list("F/1/")).map((o) => o.key), ["F/1/start/1/0.DONE.lock", "F/1/start/1/0.data.json"]);
  assert.deepEqual(await store.listChildren("F/"), ["F/1/", "F/latest_run"]);
  assert.ok(readdirSync(join(store.root, "F/1/start/1")).every((n) => !n.includes("tmp")), "no temporary file is left");
  await store.delete("F/latest_run");
  assert.equal(await store.exists("F/latest_run"), false);
  await assert.rejects(store.put("../escape", "x"), /escapes the root/);
});

void test("runs get increasing ids, attempts are finished only with DONE.lock", async () => {
  const ds = new FlowDatastore(new LocalObjectStore(temp()), "F");
  assert.equal(await ds.newRunId(), "1");
  assert.equal(await ds.newRunId(), "2");
  await ds.setLatestRun("2");
  assert.equal(await ds.latestRun(), "2");
  assert.deepEqual(await ds.listRuns(), ["1", "2"]);
  const p = ds.taskPrefix("2", "train", "3");
  await ds.store.put(`${p}0.attempt.json`, "{}");
  await ds.store.put(`${p}0.DONE.lock`, "{}");
  await ds.store.put(`${p}1.attempt.json`, "{}");
  assert.deepEqual(await ds.listAttempts("2", "train", "3"), [{ attempt: 0, done: true }, { attempt: 1, done: false }]);
  assert.equal(await ds.finishedAttempt("2", "train", "3"), 0, "an unfinished later attempt is ignored");
  await ds.store.put(`${p}0.data.json`, JSON.stringify({ objects: { x: "ab" } }));
  await ds.cloneTask("2", "3", "train", "3", 0);
  assert.equal(await ds.finishedAttempt("3", "train", "3"), 0);
  assert.deepEqual((await ds.readDataJson("3", "train", "3", 0))?.objects, { x: "ab" });
  assert.equal(await ds.store.exists(`${ds.taskPrefix("3", "train", "3")}1.attempt.json`), false, "only the finished attempt is cloned");
});

void test("blobs are read gunzipped or raw as their _meta says; only a raw blob has one", async () => {
  const ds = new FlowDatastore(new LocalObjectStore(temp()), "F");
  const sha = await ds.writeBlob(Buffer.from("pickled"), false);
  assert.equal((await ds.readBlob(sha))?.toString(), "pickled");
  assert.equal(await ds.store.exists(`${ds.blobKey(sha)}_meta`), false, "a blob without a sidecar is gzip to every reader");
  const raw = await ds.writeBlob(gzipSync(Buffer.from("looks gzipped")), true);
  assert.deepEqual(JSON.parse((await ds.store.get(`${ds.blobKey(raw)}_meta`))?.toString() ?? ""), { cas_raw: true, cas_version: 1 });
  assert.equal((await ds.readBlob(raw))?.subarray(0, 2).toString("hex"), "1f8b", "raw blobs are not unzipped");
});

void test("the code package is a deterministic tar.gz of the flow's .py files and the bundled runtime that Python can read", async () => {
  const dir = temp();
  mkdirSync(join(dir, "lib"));
  mkdirSync(join(dir, ".metaflow"));
  writeFileSync(join(dir, "flow.py"), "print('flow')\n");
  writeFileSync(join(dir, "lib", "helpers.py"), "X = 1\n");
  writeFileSync(join(dir, ".metaflow", "ignored.py"), "");
  writeFileSync(join(dir, "notes.txt"), "not code");
  const long = "d".repeat(60) + "/" + "e".repeat(60);
  mkdirSync(join(dir, long), { recursive: true });
  writeFileSync(join(dir, long, "deep.py"), "Y = 2\n");
  const entries = await collectFiles(dir, (name) => name.endsWith(".py"));
  assert.deepEqual(entries.map((e) => e.path).sort(), [`${long}/deep.py`, "flow.py", "lib/helpers.py"]);
  assert.deepEqual(tarGz(entries), tarGz([...entries].reverse()), "same files, same bytes");
  const ds = new FlowDatastore(new LocalObjectStore(temp()), "F");
  const pkg = await writeCodePackage(ds.store, "F", join(dir, "flow.py"), packageSuffixes({}), resolvePythonDir());
  assert.equal(pkg.key, `F/data/${pkg.sha.slice(0, 2)}/${pkg.sha}`);
  const listing = execFileSync("python3", ["-c", "import sys,tarfile; t=tarfile.open(sys.argv[1]); print(sorted(m.name for m in t.getmembers())); print(t.extractfile('lib/helpers.py').read().decode())", join(ds.store.root, pkg.key)]).toString();
  assert.match(listing, /'flow.py', 'lib\/helpers.py'/);
  assert.match(listing, new RegExp(`${long}/deep.py`));
  assert.match(listing, /X = 1/);
  assert.match(listing, new RegExp(`'${runtimeFolder}/flowlens/__init__.py'`), "the bundled runtime travels with the flow");
  assert.deepEqual(await writeCodePackage(ds.store, "F", join(dir, "flow.py"), [".py"], resolvePythonDir()), { ...pkg, uploaded: false }, "stored once, same sha");
});

void test("the local root is the nearest .metaflow upward, else ./.metaflow", () => {
  const dir = temp();
  mkdirSync(join(dir, ".metaflow"));
  mkdirSync(join(dir, "a", "b"), { recursive: true });
  assert.equal(findLocalRoot(join(dir, "a", "b")), join(dir, ".metaflow"));
  const bare = temp();
  assert.equal(findLocalRoot(bare), join(bare, ".metaflow"));
});
