// Runs the pytest suite of flowlens.s3.S3 (Metaflow's S3 data tool) against moto_server.
import { after, before, test } from "node:test";
import { join } from "node:path";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { S3ObjectStore } from "../../runtime/src/datastore/s3/store";
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

void test("flowlens.s3.S3: get/put/many/recursive/list/info, errors, run scoping (pytest)", { timeout: 240_000 }, async () => {
  await assertPytestPasses({
    paths: ["test/remote/python/test_s3.py"],
    minPassed: 6,
    env: { ...moto.env, FLOWLENS_PYTHON_DIR: join(repoRoot, "runtime", "python"), FLOWLENS_TEST_BUCKET: "py-s3-tool" },
  });
});
