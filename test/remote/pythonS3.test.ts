// Runs the pytest suite of flowlens.s3.S3 (Metaflow's S3 data tool) against moto_server.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { join } from "node:path";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { S3ObjectStore } from "../../runtime/src/datastore/s3/store";
import { startMoto, type MotoServer } from "./servers/moto";

let moto: MotoServer;
before(async () => {
  moto = await startMoto();
  const store = new S3ObjectStore({ root: "s3://py-s3-tool", env: { ...moto.env } });
  await store.client.send(new CreateBucketCommand({ Bucket: "py-s3-tool" }));
});
after(async () => {
  await moto.stop();
});

void test("flowlens.s3.S3: get/put/many/recursive/list/info, errors, run scoping (pytest)", async () => {
  // Asynchronous on purpose: moto's output pipes are drained by this process's event loop.
  const res = await promisify(execFile)("python3", ["-m", "pytest", "-q", "-p", "no:cacheprovider", join(__dirname, "python", "test_s3.py")], {
    env: { ...process.env, ...moto.env, FLOWLENS_PYTHON_DIR: join(__dirname, "..", "..", "runtime", "python"), FLOWLENS_TEST_BUCKET: "py-s3-tool" },
    encoding: "utf8",
    timeout: 240_000,
  }).catch((e: { stdout?: string; stderr?: string; message: string }) => assert.fail(`pytest failed:\n${e.stdout ?? ""}\n${e.stderr ?? e.message}`));
  assert.match(res.stdout, /\b6 passed\b/);
});
