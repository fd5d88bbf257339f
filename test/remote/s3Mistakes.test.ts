// S3 failures that are no bug of Flowlens get one line and exit 1: `dump` with access denied
// (403), and a bucket removed while a run is going still ends the run with a `run-finished`
// event that gives the reason.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { S3ObjectStore } from "../../runtime/src/datastore/s3/store";
import { finished, flowlens, start, workspace } from "../runtime/cli";
import { startMoto, testCredentials, type MotoServer } from "./servers/moto";
import { startS3Switch, type S3Switch } from "./servers/s3Switch";

let moto: MotoServer;
let s3: S3Switch;
before(async () => {
  moto = await startMoto();
  s3 = await startS3Switch(moto.endpoint);
  await new S3ObjectStore({ root: "s3://mistakes", env: moto.env }).client.send(new CreateBucketCommand({ Bucket: "mistakes" }));
});
after(async () => {
  await s3.stop();
  await moto.stop();
});

const slow = { timeout: 180_000 };
const env = (): NodeJS.ProcessEnv => ({ ...testCredentials, AWS_REGION: "us-east-1", AWS_ENDPOINT_URL_S3: s3.endpoint, FLOWLENS_DATASTORE: "s3", FLOWLENS_DATASTORE_ROOT: "s3://mistakes/root" });

void test("dump against S3 that answers 403: one line naming the permission, exit 1", slow, async () => {
  const { dir } = workspace();
  s3.set("denied");
  try {
    const r = await flowlens(["dump", "SomeFlow/1/start"], dir, env());
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, /^flowlens dump: Access denied for HeadBucket s3:\/\/mistakes/);
    assert.doesNotMatch(r.stderr, new RegExp(testCredentials.AWS_SECRET_ACCESS_KEY.replace(/[+/]/g, ".")));
  } finally {
    s3.set("forward");
  }
});

void test("the bucket removed mid-run: the run still ends with run-finished and the reason, exit 1", slow, async () => {
  const { dir, files } = workspace("test/runtime/fixtures/fragile/flow.py");
  const running = start(["run", files[0] ?? "", "--json", "--count", "2", "--max-workers", "1"], dir, { ...env(), FRAGILE_SLEEP: "2" });
  running.onEvent((e) => {
    if (e.type === "task-state" && e.task.step === "work" && e.state === "running") s3.set("no-bucket");
  });
  try {
    const r = await running.done;
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at .*\.(ts|js):/);
    const end = finished(r.events);
    assert.equal(end?.status, "failed");
    assert.match(JSON.stringify(end?.error), /NoSuchBucket|does not exist/);
    assert.ok(s3.refused > 0);
  } finally {
    s3.set("forward");
  }
});
