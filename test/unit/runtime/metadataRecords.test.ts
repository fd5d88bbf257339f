// Copying Metadata's local records of remote tasks: every record of the task's four folders
// arrives, a record already in the local folder is kept, and the flow's, run's and step's records
// are fetched once per step, not once per task of a foreach.

import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { LocalObjectStore } from "../../../runtime/src/datastore/local";
import { copyMetadataRecords } from "../../../runtime/src/executors/remote/metadataRecords";

/** A local store standing in for S3, counting the records it is asked for. */
class CountingStore extends LocalObjectStore {
  readonly gets: string[] = [];
  override async get(key: string): Promise<Buffer | undefined> {
    this.gets.push(key);
    return super.get(key);
  }
}

const folder = (): string => mkdtempSync(join(tmpdir(), "flowlens-records-"));
const ref = (taskId: string) => ({ flow: "F", runId: "1", step: "body", taskId, attempt: 0 });

void test("the records of a foreach's tasks are copied, the shared ones fetched once", async () => {
  const remote = new CountingStore(folder());
  const local = new LocalObjectStore(folder());
  const shared = ["F/_meta/_self.json", "F/1/_meta/_self.json", "F/1/body/_meta/_self.json"];
  for (const key of shared) await remote.put(key, `{"key":"${key}"}`);
  for (const task of ["2", "3"]) for (const name of ["_self.json", "0_attempt.json"]) await remote.put(`F/1/body/${task}/_meta/${name}`, task);
  await local.put("F/_meta/_self.json", "kept");

  assert.equal(await copyMetadataRecords(remote, local, ref("2")), 4, "the run's, step's and task's two records (the flow's is already there)");
  assert.equal(await copyMetadataRecords(remote, local, ref("3")), 2, "only the second task's own records");
  assert.deepEqual(remote.gets.filter((k) => shared.includes(k)).sort(), ["F/1/_meta/_self.json", "F/1/body/_meta/_self.json"], "each shared record fetched once, the one already local never");
  assert.equal((await local.get("F/_meta/_self.json"))?.toString(), "kept");
  assert.equal((await local.get("F/1/body/3/_meta/0_attempt.json"))?.toString(), "3");
  assert.equal((await local.get("F/1/_meta/_self.json"))?.toString(), '{"key":"F/1/_meta/_self.json"}');
});
