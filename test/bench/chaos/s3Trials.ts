// S3 outage trials against moto on loopback, through a switch that makes S3 answer 503 SlowDown
// (an outage) or 404 NoSuchBucket (the bucket removed) for a while in the middle of a run.
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { S3ObjectStore } from "../../../runtime/src/datastore/s3/store";
import { finished, flowlens, runIdOf, start, workspace } from "../../runtime/cli";
import { startMoto, testCredentials, type MotoServer } from "../../remote/servers/moto";
import { startS3Switch, type S3Mode, type S3Switch } from "../../remote/servers/s3Switch";
import { fixture } from "./localTrials";
import { damagedTasks, judgeCommand, outcome, type Outcome } from "./outcome";

export interface S3Lab {
  moto: MotoServer;
  s3: S3Switch;
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export async function startS3Lab(): Promise<S3Lab> {
  const moto = await startMoto();
  const s3 = await startS3Switch(moto.endpoint);
  const store = new S3ObjectStore({ root: "s3://chaos", env: moto.env });
  await store.client.send(new CreateBucketCommand({ Bucket: "chaos" }));
  store.close();
  const env = { ...testCredentials, AWS_REGION: "us-east-1", AWS_ENDPOINT_URL_S3: s3.endpoint, FLOWLENS_DATASTORE: "s3" };
  return {
    moto,
    s3,
    env,
    async stop() {
      await s3.stop();
      await moto.stop();
    },
  };
}

/** One run with S3 switched to `mode` at its `at`-th event for `ms` milliseconds. */
export async function s3Trial(lab: S3Lab, trial: number, mode: Exclude<S3Mode, "forward">, at: number, ms: number): Promise<Outcome> {
  const o = outcome("s3", `${mode} for ${ms} ms at event ${at}`);
  const root = `s3://chaos/t${trial}`;
  const { dir, files } = workspace(fixture);
  const running = start(["run", files[0] ?? "", "--json", "--count", "3"], dir, { ...lab.env, FLOWLENS_DATASTORE_ROOT: root });
  let seen = 0;
  let timer: NodeJS.Timeout | undefined;
  running.onEvent(() => {
    if (++seen !== at) return;
    lab.s3.set(mode);
    // The fault lasts a while, then S3 is back: that is the trial, not a wait for a result.
    timer = setTimeout(() => lab.s3.set("forward"), ms);
  });
  const r = await running.done;
  clearTimeout(timer);
  lab.s3.set("forward");
  judgeCommand(o, "run", r, true);
  if (finished(r.events)?.status === "succeeded") {
    const store = new S3ObjectStore({ root, env: { ...lab.moto.env } });
    const damaged = await damagedTasks(store, "FragileFlow", runIdOf(r.events));
    store.close();
    if (damaged.length > 0) {
      o.damagedAsSucceeded++;
      o.notes.push(damaged.join("; "));
    }
  }
  const run = r.events.find((e) => e.type === "run-started");
  if (run?.type === "run-started") judgeCommand(o, "dump", await flowlens(["dump", `FragileFlow/${run.runId}/end`], dir, { ...lab.env, FLOWLENS_DATASTORE_ROOT: root }), false);
  return o;
}
