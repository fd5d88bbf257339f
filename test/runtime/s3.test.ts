// The same run, resume and dump against S3 (moto_server on loopback): the layout code is
// store-agnostic, so nothing but the --datastore flags changes.

import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, test } from "node:test";
import { startMoto, type MotoServer } from "../remote/servers/moto";
import { finished, flowlens, repo, runIdOf, workspace } from "./cli";

let moto: MotoServer | undefined;
let env: NodeJS.ProcessEnv = {};

before(async () => {
  moto = await startMoto();
  env = moto.env;
  execFileSync("python3", ["-c", "import boto3; boto3.client('s3').create_bucket(Bucket='flowlens-runs')"], { env: { ...process.env, ...env } });
});

after(async () => {
  await moto?.stop();
});

void test("run, dump and resume work the same on the S3 datastore", { timeout: 180_000 }, async () => {
  const { dir, files } = workspace("test/runtime/fixtures/fragile/flow.py");
  const file = files[0] ?? "";
  const s3 = ["--datastore", "s3", "--datastore-root", "s3://flowlens-runs/team"];
  // Without the test runner's setting, so that the CLI's own quietening of the AWS SDK's
  // Node-version warning is what is checked.
  const first = await flowlens(["run", file, "--json", "--count", "3", "--max-workers", "1", ...s3], dir, { ...env, FRAGILE_FAIL_AT: "1", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined });
  assert.equal(finished(first.events)?.status, "failed", first.stderr);
  assert.ok(!first.stderr.includes("NodeVersionSupportWarning"), first.stderr);
  const started = first.events.find((e) => e.type === "run-started");
  assert.equal(started?.type === "run-started" ? started.datastore : "", "s3://flowlens-runs/team");
  const second = await flowlens(["resume", file, "--json", ...s3], dir, env);
  assert.equal(finished(second.events)?.status, "succeeded", second.stderr);
  assert.ok((finished(second.events)?.tasks.cloned ?? 0) >= 2);
  const dump = await flowlens(["dump", `FragileFlow/${runIdOf(second.events)}/end`, "--json", ...s3], dir, env);
  assert.equal(dump.code, 0, dump.stderr);
  const task = Object.values(JSON.parse(dump.stdout) as Record<string, { artifacts: Record<string, { value?: unknown }> }>)[0];
  assert.equal(task?.artifacts.total?.value, 0 + 1 + 4);
});

// The bundled CLI loads everything that needs the AWS SDK from dist/aws.js only when S3 is used
// (scripts/build.mjs): this runs the built `flowlens`, as users and the editor do.
void test("the built CLI (dist/) runs and dumps on S3, loading the AWS bundle on demand", { timeout: 180_000 }, async () => {
  const { dir, files } = workspace("test/runtime/fixtures/fragile/flow.py");
  const cli = join(repo, "bin", "flowlens.js");
  assert.ok(existsSync(join(repo, "dist", "aws.js")), "npm run build makes dist/aws.js");
  const s3 = ["--datastore", "s3", "--datastore-root", "s3://flowlens-runs/built"];
  const run = await promisify(execFile)(process.execPath, [cli, "run", files[0] ?? "", "--count", "2", ...s3], { cwd: dir, env: { ...process.env, ...env }, encoding: "utf8" });
  assert.match(run.stdout, /Run FragileFlow\/\d+ succeeded/, run.stderr);
  const dump = await promisify(execFile)(process.execPath, [cli, "dump", "FragileFlow/latest/end", "--json", ...s3], { cwd: dir, env: { ...process.env, ...env }, encoding: "utf8" });
  const task = Object.values(JSON.parse(dump.stdout) as Record<string, { artifacts: Record<string, { value?: unknown }> }>)[0];
  assert.equal(task?.artifacts.total?.value, 0 + 1);
});
