// Liveness of runs that never recorded their end (heartbeat, then the claim's pid), as the CLI
// and the Runs view read it; exact JSON for integers beyond 2^53; the source-file guard.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ExplorerModel, type RunItem } from "../../../client/src/explorer/treeModel";
import { parseExact, stringifyExact } from "../../../runtime/src/datastore/exactJson";
import { FlowDatastore, type RunRecord } from "../../../runtime/src/datastore/layout";
import { judgeLiveness, staleAfterSeconds } from "../../../runtime/src/datastore/liveness";
import { LocalObjectStore } from "../../../runtime/src/datastore/local";
import { heartbeatKey } from "../../../runtime/src/datastore/runState";
import { decodeSource, maxSourceBytes, readSourceFile } from "../../../server/src/parser/sourceFile";

const goneProcess = Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString());

void test("a heartbeat from a gone process of this host, or a silent one from elsewhere, means crashed", () => {
  const now = 1_000_000;
  const alive = (pid: number) => pid !== 7;
  assert.deepEqual(judgeLiveness({ pid: 7, host: "here", time: now - 1 }, undefined, now, "here", alive), { alive: false, reason: "its process 7 on here is gone" });
  assert.deepEqual(judgeLiveness({ pid: 7, host: "there", time: now - 1 }, undefined, now, "here", alive), { alive: true }, "another host's pid says nothing here");
  assert.equal(judgeLiveness({ pid: 8, host: "there", time: now - staleAfterSeconds - 1 }, undefined, now, "here", alive).alive, false);
  assert.equal(judgeLiveness(undefined, 7, now, "here", alive).alive, false, "no heartbeat: the claim's pid");
  assert.equal(judgeLiveness(undefined, undefined, now, "here", alive).alive, true, "nothing to tell: still running");
});

void test("the Runs view's model shows a run whose process is gone as crashed", async () => {
  const root = mkdtempSync(join(tmpdir(), "flowlens-live-"));
  const store = new LocalObjectStore(root);
  const ds = new FlowDatastore(store, "LiveFlow");
  const record = (run: string): RunRecord => ({ flow: "LiveFlow", run_id: run, file: "f.py", started_at: 1, status: "running", parameters: {}, mode: "run", code_package: { sha: "", key: "" }, python: { executable: "", version: "", packages: {} }, user: "u", tags: [] });
  for (const [run, pid] of [["1", goneProcess], ["2", process.pid]] as const) {
    await ds.writeRunRecord(record(run));
    await store.put(heartbeatKey(ds, run), JSON.stringify({ pid, host: hostname(), time: Date.now() / 1000 }));
  }
  const runs = (await new ExplorerModel(store).runs("LiveFlow")) as RunItem[];
  assert.deepEqual(runs.map((r) => [r.runId, r.status]), [["2", "running"], ["1", "crashed"]]);
  assert.match(runs[1]?.problem ?? "", /process \d+ on .* is gone/);
});

void test("integers beyond 2^53 survive a read and a write exactly; strings that look like them are left alone", () => {
  const text = '{"a": 9007199254740993, "b": [-12345678901234567890, 1.5e300, 3], "c": "9007199254740993", "d": "x\\"12345678901234567"}';
  const value = parseExact(text) as { a: unknown; b: unknown[]; c: unknown; d: unknown };
  assert.equal(value.a, 9007199254740993n);
  assert.deepEqual(value.b, [-12345678901234567890n, 1.5e300, 3]);
  assert.equal(value.c, "9007199254740993");
  assert.equal(value.d, 'x"12345678901234567');
  assert.equal(stringifyExact(value), '{"a":9007199254740993,"b":[-12345678901234567890,1.5e+300,3],"c":"9007199254740993","d":"x\\"12345678901234567"}');
});

void test("the source guard: UTF-8 by default, a PEP 263 coding line honoured, the first bad byte located", () => {
  assert.deepEqual(decodeSource(Buffer.from("x = 'é'\n")), { ok: true, text: "x = 'é'\n" });
  const latin = Buffer.concat([Buffer.from("# coding: latin-1\ns = '"), Buffer.from([0xe9]), Buffer.from("'\n")]);
  assert.deepEqual(decodeSource(latin), { ok: true, text: "# coding: latin-1\ns = 'é'\n" });
  const bad = decodeSource(Buffer.concat([Buffer.from("a = 1\nb = 'é"), Buffer.from([0xff])]));
  assert.equal(bad.ok, false);
  assert.deepEqual(bad.ok ? undefined : [bad.problem.line, bad.problem.column], [2, 7]);
  assert.equal(decodeSource(Buffer.from([0xed, 0xa0, 0x80])).ok, false, "an encoded surrogate is not UTF-8");
  const dir = mkdtempSync(join(tmpdir(), "flowlens-src-"));
  const exact = join(dir, "limit.py");
  writeFileSync(exact, "#".repeat(maxSourceBytes));
  assert.equal(readSourceFile(exact).ok, true, "a file of exactly the limit is read");
  writeFileSync(exact, "#".repeat(maxSourceBytes + 1));
  assert.match(readSourceFile(exact).ok ? "" : (readSourceFile(exact) as { problem: { message: string } }).problem.message, /over the 8 MiB limit/);
  assert.match(readSourceFile(dir).ok ? "" : (readSourceFile(dir) as { problem: { message: string } }).problem.message, /a folder/);
  assert.match(readSourceFile(join(dir, "nope.py")).ok ? "" : (readSourceFile(join(dir, "nope.py")) as { problem: { message: string } }).problem.message, /^ENOENT/);
});
