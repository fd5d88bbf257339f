// Remote figures, all against loopback servers (moto_server for S3, the Batch fixture server):
//  1. S3ObjectStore save+load of one large object vs a plain SDK PutObject/GetObject of the same
//     bytes (ratio plain/ours; target >= 0.8).
//  2. Python `S3.get_many` of 1,000 small and 10 large objects vs a plain boto3 loop (target >= 3x
//     for small).
//  3. Re-running a Batch task whose code package is unchanged (no re-upload) vs the first run.
// Figures are printed, never asserted. Run: node --import tsx test/bench/remote.bench.ts [--mb 256] [--latency 20] [--only s3|python|batch]
// Both S3 paths use the same client (checksums WHEN_REQUIRED, the store's setting), so like is compared with like.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { S3ObjectStore } from "../../runtime/src/datastore/s3/store";
import { defaultTuning, pieceSize } from "../../runtime/src/datastore/s3/transfer";
import { startMoto } from "../remote/servers/moto";
import { startFaultProxy } from "../remote/servers/faultProxy";
import { Outputs, spec, startBatchEnv } from "../remote/batchEnv";

const repoRoot = join(__dirname, "..", "..");

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const v = await fn();
  return [performance.now() - t0, v];
}

async function largeObject(mb: number): Promise<void> {
  const moto = await startMoto();
  try {
    const store = new S3ObjectStore({ root: "s3://bench-large/root", env: { ...moto.env } });
    await store.client.send(new CreateBucketCommand({ Bucket: "bench-large" }));
    const body = randomBytes(mb * 1024 * 1024);
    const [plainPut] = await timed(() => store.client.send(new PutObjectCommand({ Bucket: "bench-large", Key: "plain", Body: body, ContentLength: body.length })));
    const [plainGet] = await timed(async () => {
      const res = await store.client.send(new GetObjectCommand({ Bucket: "bench-large", Key: "plain" }));
      return Buffer.from((await res.Body?.transformToByteArray()) ?? new Uint8Array());
    });
    await store.client.send(new DeleteObjectCommand({ Bucket: "bench-large", Key: "plain" }));
    // The server's share of a multipart upload: the plain SDK doing the same parts, 4 at a time, then Complete.
    const part = pieceSize(body.length, defaultTuning);
    const created = await store.client.send(new CreateMultipartUploadCommand({ Bucket: "bench-large", Key: "plain-mp" }));
    const etags: string[] = [];
    const [mpParts] = await timed(async () => {
      let next = 0;
      await Promise.all(
        Array.from({ length: defaultTuning.concurrency }, async () => {
          for (let i = next++; i * part < body.length; i = next++) {
            const piece = body.subarray(i * part, (i + 1) * part);
            const out = await store.client.send(new UploadPartCommand({ Bucket: "bench-large", Key: "plain-mp", UploadId: created.UploadId, PartNumber: i + 1, Body: piece, ContentLength: piece.length }));
            etags[i] = out.ETag ?? "";
          }
        }),
      );
    });
    const [mpComplete] = await timed(() =>
      store.client.send(
        new CompleteMultipartUploadCommand({ Bucket: "bench-large", Key: "plain-mp", UploadId: created.UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) } }),
      ),
    );
    await store.client.send(new DeleteObjectCommand({ Bucket: "bench-large", Key: "plain-mp" }));
    const [oursPut] = await timed(() => store.put("Flow/data/xx/big", body));
    const [oursGet, back] = await timed(() => store.get("Flow/data/xx/big"));
    if (!back?.equals(body)) throw new Error("the object read back differs");
    // The same store with multipart and ranges off: how much of the gap is the client, how much the server.
    const single = new S3ObjectStore({ root: "s3://bench-large/root", env: { ...moto.env }, tuning: { multipartThreshold: Number.MAX_SAFE_INTEGER, partSize: 1024 * 1024 * 1024, maxPartSize: 1024 * 1024 * 1024 } });
    await store.delete("Flow/data/xx/big");
    const [singlePut] = await timed(() => single.put("Flow/data/xx/single", body));
    const [singleGet] = await timed(() => single.get("Flow/data/xx/single"));
    await single.delete("Flow/data/xx/single");
    const plain = plainPut + plainGet;
    const ours = oursPut + oursGet;
    console.log(`S3 ${mb} MB save+load: S3ObjectStore ${secs(oursPut)} + ${secs(oursGet)} = ${secs(ours)} (${((2 * mb) / (ours / 1000)).toFixed(0)} MB/s)`);
    console.log(`S3 ${mb} MB save+load: plain SDK     ${secs(plainPut)} + ${secs(plainGet)} = ${secs(plain)}`);
    console.log(`S3 ${mb} MB save, plain SDK multipart (${etags.length} parts, ${defaultTuning.concurrency} at a time): parts ${secs(mpParts)} + CompleteMultipartUpload ${secs(mpComplete)} = ${secs(mpParts + mpComplete)} (the Complete is server-side work)`);
    console.log(`S3 ${mb} MB save+load: S3ObjectStore, one request each (multipart/ranges off) ${secs(singlePut)} + ${secs(singleGet)} = ${secs(singlePut + singleGet)}`);
    console.log(`S3 ratio plain/ours: ${(plain / ours).toFixed(2)} (target >= 0.8; > 1 means faster than the plain SDK); single-request mode: ${(plain / (singlePut + singleGet)).toFixed(2)}`);
  } finally {
    await moto.stop();
  }
}

async function pythonBulk(latencyMs: number): Promise<void> {
  const moto = await startMoto();
  const proxy = await startFaultProxy(moto.endpoint, { rate: 0, latencyMs });
  try {
    const script = `
import json, os, sys, time, boto3
sys.path.insert(0, ${JSON.stringify(join(repoRoot, "runtime", "python"))})
from flowlens.s3 import S3
b = "bench-py"
c = boto3.client("s3")
c.create_bucket(Bucket=b)
small = [("small/%04d" % i, os.urandom(1024)) for i in range(1000)]
large = [("large/%02d" % i, os.urandom(16 * 1024 * 1024)) for i in range(10)]
out = {}
with S3(s3root="s3://%s" % b) as s3:
    t = time.time(); s3.put_many(small); out["put_small"] = time.time() - t
    t = time.time(); s3.put_many(large); out["put_large"] = time.time() - t
    for name, items in (("small", small), ("large", large)):
        t = time.time()
        got = s3.get_many([k for k, _ in items])
        assert all(g.blob == v for g, (_, v) in zip(got, items))
        out["s3_" + name] = time.time() - t
        t = time.time()
        for k, v in items:
            assert c.get_object(Bucket=b, Key=k)["Body"].read() == v
        out["boto3_" + name] = time.time() - t
print(json.dumps(out))
`;
    const { stdout } = await promisify(execFile)("python3", ["-c", script], { env: { ...process.env, ...moto.env, AWS_ENDPOINT_URL_S3: proxy.endpoint }, maxBuffer: 1 << 20 });
    const r = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, number>;
    const f = (k: string): string => `${(r[k] ?? NaN).toFixed(2)} s`;
    console.log(latencyMs ? `-- with ${latencyMs} ms injected per request (a real S3 endpoint's first-byte latency):` : "-- moto direct (no added latency; moto's single Python process is the limit):");
    console.log(`Python S3 upload: put_many 1,000 x 1 KB ${f("put_small")}, 10 x 16 MB ${f("put_large")}`);
    console.log(`Python S3 1,000 x 1 KB: S3.get_many ${f("s3_small")} vs boto3 loop ${f("boto3_small")} -> ${((r.boto3_small ?? 0) / (r.s3_small ?? 1)).toFixed(1)}x (target >= 3x)`);
    console.log(`Python S3 10 x 16 MB:   S3.get_many ${f("s3_large")} vs boto3 loop ${f("boto3_large")} -> ${((r.boto3_large ?? 0) / (r.s3_large ?? 1)).toFixed(1)}x`);
  } finally {
    await proxy.stop();
    await moto.stop();
  }
}

async function batchRerun(): Promise<void> {
  const env = await startBatchEnv("bench-batch");
  try {
    const signal = new AbortController().signal;
    const first = env.executor({ pollMinMs: 10, pollMaxMs: 50 });
    const [t1, r1] = await timed(() => first.runTask(spec("_parameters", "0", [], {}, "1"), new Outputs().sink, signal));
    const second = env.executor({ pollMinMs: 10, pollMaxMs: 50 });
    const [t2, r2] = await timed(() => second.runTask(spec("_parameters", "0", [], {}, "2"), new Outputs().sink, signal));
    const third = env.executor({ pollMinMs: 10, pollMaxMs: 50 });
    const [t3] = await timed(() => third.runTask(spec("_parameters", "0", [], {}, "3"), new Outputs().sink, signal));
    const size = first.uploads[0]?.size ?? 0;
    console.log(`Batch task, first run (package ${(size / 1024).toFixed(0)} KB uploaded, job definition registered): ${secs(t1)} ok=${r1.ok}`);
    console.log(`Batch task, re-run with unchanged code (uploads: ${second.uploads.length + third.uploads.length}, definitions registered: ${env.batch.calls.filter((c) => c.operation === "registerjobdefinition").length}): ${secs(t2)}, ${secs(t3)} ok=${r2.ok}`);
    console.log("  (the fixture's container start is a local python3 process: most of each figure is the bootstrap + harness, not the launcher)");
  } finally {
    await env.stop();
  }
}

async function main(): Promise<void> {
  const at = process.argv.indexOf("--only");
  const only = at >= 0 ? process.argv[at + 1] : undefined;
  if (!only || only === "s3") await largeObject(option("mb", 256));
  if (!only || only === "python") {
    await pythonBulk(0);
    await pythonBulk(option("latency", 20));
  }
  if (!only || only === "batch") await batchRerun();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
