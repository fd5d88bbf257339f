// Runs the pytest suite of flowlens.s3.S3 (Metaflow's S3 data tool) against moto_server.
import { after, before, test } from "node:test";
import { join } from "node:path";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { S3ObjectStore } from "../../runtime/src/datastore/s3/store";
import assert from "node:assert/strict";
import { startFaultProxy } from "./servers/faultProxy";
import { startMoto, type MotoServer } from "./servers/moto";
import { assertPytestPasses, repoRoot } from "../support/pytest";

let moto: MotoServer;
before(async () => {
  moto = await startMoto();
  const store = new S3ObjectStore({ root: "s3://py-s3-tool", env: { ...moto.env } });
  await store.client.send(new CreateBucketCommand({ Bucket: "py-s3-tool" }));
});
after(async () => {
  await moto.stop();
});

void test("flowlens.s3.S3: get/put/many/recursive/list/info, errors, run scoping, large objects as parallel ranges (pytest)", { timeout: 240_000 }, async () => {
  await assertPytestPasses({
    paths: ["test/remote/python/test_s3.py", "test/remote/python/test_s3_ranged.py"],
    minPassed: 15,
    env: { ...moto.env, FLOWLENS_PYTHON_DIR: join(repoRoot, "runtime", "python"), FLOWLENS_TEST_BUCKET: "py-s3-tool" },
  });
});

void test("flowlens.s3.S3 behind a proxy failing a fifth of requests: every object comes back whole (pytest)", { timeout: 240_000 }, async () => {
  const proxy = await startFaultProxy(moto.endpoint, { rate: 0.2, seed: 7 });
  try {
    await assertPytestPasses({
      paths: ["test/remote/python/test_s3_faults.py::test_get_many_through_failures_returns_every_object_whole"],
      minPassed: 1,
      env: { ...moto.env, AWS_ENDPOINT_URL_S3: proxy.endpoint, FLOWLENS_PYTHON_DIR: join(repoRoot, "runtime", "python"), FLOWLENS_TEST_BUCKET: "py-s3-tool" },
    });
    // Every kind of failure was met, the cut-off bodies included.
    for (const kind of ["slowDown", "internalError", "reset", "truncated"] as const) assert.ok(proxy.counts[kind] > 0, `${kind}: ${JSON.stringify(proxy.counts)}`);
  } finally {
    await proxy.stop();
  }
});

void test("the task storage (artifact reads in a step) fetches a body that broke off halfway again, whole (pytest)", { timeout: 240_000 }, async () => {
  // Only truncated bodies: boto3 answers every other failure itself, with backoffs of seconds.
  const proxy = await startFaultProxy(moto.endpoint, { rate: 0.15, seed: 11, only: "truncated" });
  try {
    await assertPytestPasses({
      paths: ["test/remote/python/test_s3_faults.py::test_task_storage_reads_through_failures_return_every_object_whole"],
      minPassed: 1,
      env: { ...moto.env, AWS_ENDPOINT_URL_S3: proxy.endpoint, FLOWLENS_TEST_DIRECT_ENDPOINT: moto.endpoint, FLOWLENS_PYTHON_DIR: join(repoRoot, "runtime", "python"), FLOWLENS_TEST_BUCKET: "py-s3-tool" },
    });
    assert.ok(proxy.counts.truncated > 0, JSON.stringify(proxy.counts));
  } finally {
    await proxy.stop();
  }
});
