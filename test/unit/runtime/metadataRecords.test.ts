// Unpacking Metaflow's local records of remote tasks: each attempt's records arrive in one
// object, unpacked with one request; a record already in the local folder is kept (the flow's,
// run's and step's, which every task of a foreach carries); a key outside the task's metadata
// folders is refused, since keys become local paths.

import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { LocalObjectStore } from "../../../runtime/src/datastore/local";
import { copyMetadataRecords, metadataRecordsKey } from "../../../runtime/src/executors/remote/metadataRecords";

/** A local store standing in for S3, counting the requests made to it. */
class CountingStore extends LocalObjectStore {
  readonly requests: string[] = [];
  override async get(key: string): Promise<Buffer | undefined> {
    this.requests.push(`get ${key}`);
    return super.get(key);
  }
  override async exists(key: string): Promise<boolean> {
    this.requests.push(`exists ${key}`);
    return super.exists(key);
  }
  override async listChildren(prefix: string): Promise<string[]> {
    this.requests.push(`list ${prefix}`);
    return super.listChildren(prefix);
  }
}

const folder = (): string => mkdtempSync(join(tmpdir(), "flowlens-records-"));
const ref = (taskId: string) => ({ flow: "F", runId: "1", step: "body", taskId, attempt: 0 });
const shared = ["F/_meta/_self.json", "F/1/_meta/_self.json", "F/1/body/_meta/_self.json"];

async function putRecords(remote: LocalObjectStore, taskId: string, records: Record<string, string>): Promise<void> {
  await remote.put(metadataRecordsKey(ref(taskId)), JSON.stringify({ records }));
}

void test("each attempt's records are unpacked from its one object; the shared ones already local are kept", async () => {
  const remote = new CountingStore(folder());
  const local = new LocalObjectStore(folder());
  for (const task of ["2", "3"]) {
    const own = { [`F/1/body/${task}/_meta/_self.json`]: `{"task":"${task}"}`, [`F/1/body/${task}/_meta/sysmeta_attempt_17.json`]: task };
    await putRecords(remote, task, { ...Object.fromEntries(shared.map((k) => [k, `{"key":"${k}","from":"${task}"}`])), ...own });
  }
  await local.put("F/_meta/_self.json", "kept");

  assert.equal(await copyMetadataRecords(remote, local, ref("2")), 4, "the run's, step's and task's two records (the flow's is already there)");
  assert.equal(await copyMetadataRecords(remote, local, ref("3")), 2, "only the second task's own records");
  assert.deepEqual(remote.requests, ["get F/1/body/2/0.metaflow_records.json", "get F/1/body/3/0.metaflow_records.json"], "one request a task");
  assert.equal((await local.get("F/_meta/_self.json"))?.toString(), "kept");
  assert.equal((await local.get("F/1/body/3/_meta/sysmeta_attempt_17.json"))?.toString(), "3");
  assert.equal((await local.get("F/1/_meta/_self.json"))?.toString(), '{"key":"F/1/_meta/_self.json","from":"2"}', "the first task's run record stays");
  assert.equal(await copyMetadataRecords(remote, local, ref("4")), 0, "an attempt that wrote no records has none");
});

void test("a record outside the task's metadata folders is refused, and nothing of that object is written", async () => {
  const remote = new LocalObjectStore(folder());
  const local = new LocalObjectStore(folder());
  for (const bad of ["F/1/other/2/_meta/_self.json", "F/1/body/2/_meta/../../../../x.json", "F/1/body/2/_meta/sub/x.json", "F/1/body/2/0.data.json"]) {
    await putRecords(remote, "2", { "F/1/body/2/_meta/_self.json": "{}", [bad]: "{}" });
    await assert.rejects(copyMetadataRecords(remote, local, ref("2")), (e: Error) => e.message.includes("outside the task's metadata folders") && e.message.includes(JSON.stringify(bad)), bad);
  }
  assert.deepEqual(await local.list(""), []);
  await remote.put(metadataRecordsKey(ref("2")), "{not json");
  await assert.rejects(copyMetadataRecords(remote, local, ref("2")), /0\.metaflow_records\.json is not JSON/);
});
