// Uploads and downloads through a proxy that fails a quarter of all requests (503 SlowDown,
// 500, connection resets, GET bodies cut off): everything completes and nothing is lost.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, ListMultipartUploadsCommand } from "@aws-sdk/client-s3";
import { S3ObjectStore } from "../../runtime/src/datastore/s3/store";
import { retryStats } from "../../runtime/src/datastore/s3/retry";
import { startMoto, type MotoServer } from "./servers/moto";
import { startFaultProxy, type FaultProxy } from "./servers/faultProxy";

let moto: MotoServer;
let proxy: FaultProxy;

before(async () => {
  moto = await startMoto();
  proxy = await startFaultProxy(moto.endpoint, { rate: 0, seed: 7 });
  const direct = new S3ObjectStore({ root: "s3://faulty", env: { ...moto.env } });
  await direct.client.send(new CreateBucketCommand({ Bucket: "faulty" }));
});
after(async () => {
  await proxy.stop();
  await moto.stop();
});

void test("runs of puts and gets survive 25% injected faults with every byte intact", async () => {
  proxy.setRate(0.25);
  const retriesBefore = retryStats.retries;
  const tuning = { multipartThreshold: 5 * 1024 * 1024, partSize: 5 * 1024 * 1024, concurrency: 4 };
  const store = new S3ObjectStore({ root: "s3://faulty/run", env: { ...moto.env, AWS_ENDPOINT_URL_S3: proxy.endpoint }, tuning, retry: { baseDelayMs: 5, maxDelayMs: 50, attempts: 12 } });
  const blobs = new Map<string, Buffer>();
  for (let i = 0; i < 60; i++) blobs.set(`Flow/data/${i}`, randomBytes(1000 + i * 37));
  blobs.set("Flow/data/big", randomBytes(17 * 1024 * 1024));
  await Promise.all([...blobs].map(([k, v]) => store.put(k, v, { overwrite: false })));
  // A file's parts are streamed from disk, one fresh stream per attempt: a broken part is re-sent whole.
  const file = join(mkdtempSync(join(tmpdir(), "flowlens-faults-")), "big.bin");
  const fromFile = randomBytes(13 * 1024 * 1024 + 5);
  writeFileSync(file, fromFile);
  await store.putFile("Flow/data/file", file);
  blobs.set("Flow/data/file", fromFile);
  for (const [k, v] of blobs) {
    const back = await store.get(k);
    assert.ok(back?.equals(v), `${k} came back intact`);
  }
  const listed = await store.list("Flow/data/");
  assert.equal(listed.length, blobs.size);
  proxy.setRate(0);
  const uploads = await store.client.send(new ListMultipartUploadsCommand({ Bucket: "faulty" }));
  assert.equal(uploads.Uploads?.length ?? 0, 0, "no dangling multipart upload");
  const c = proxy.counts;
  assert.ok(c.slowDown > 0 && c.internalError > 0 && c.reset > 0 && c.truncated > 0, `every fault kind happened: ${JSON.stringify(c)}`);
  assert.ok(retryStats.retries - retriesBefore >= c.slowDown + c.internalError + c.reset, "each fault cost a retry, not a failure");
  const digest = createHash("sha1").update(blobs.get("Flow/data/big") ?? Buffer.alloc(0)).digest("hex");
  assert.equal(createHash("sha1").update((await store.get("Flow/data/big")) ?? Buffer.alloc(0)).digest("hex"), digest);
});
