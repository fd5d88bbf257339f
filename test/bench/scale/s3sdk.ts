// A large artifact through S3, against the AWS SDK's own transfer manager doing the same work on
// the same server: `@aws-sdk/lib-storage`'s Upload (multipart, same part size and concurrency as
// ours) and a ranged parallel download (same range size and concurrency), versus S3ObjectStore's
// put + get. Warm-up first, rounds alternating the order, medians; ratio = SDK time / our time
// (>= 1.0: we are as fast as the SDK or faster).
import { randomBytes } from "node:crypto";
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { S3ObjectStore } from "../../../runtime/src/datastore/s3/store";
import { defaultTuning, parallel, pieceSize, rangeSize } from "../../../runtime/src/datastore/s3/transfer";
import { median, startServer, timed, type ServerName } from "../remote/common";
import { load, secs } from "./common";

const bucket = "bench-scale";

async function sdkUpload(client: S3Client, key: string, body: Buffer): Promise<void> {
  await new Upload({ client, params: { Bucket: bucket, Key: key, Body: body }, partSize: pieceSize(body.length, defaultTuning), queueSize: defaultTuning.concurrency }).done();
}

async function sdkDownload(client: S3Client, key: string): Promise<Buffer> {
  const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  const size = head.ContentLength ?? 0;
  const range = rangeSize(size, defaultTuning);
  const out = Buffer.allocUnsafe(size);
  await parallel(Math.ceil(size / range), defaultTuning.concurrency, async (i) => {
    const from = i * range;
    const to = Math.min(size, from + range) - 1;
    const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${from}-${to}` }));
    const bytes = (await res.Body?.transformToByteArray()) ?? new Uint8Array();
    out.set(bytes, from);
  });
  return out;
}

interface Round {
  put: number;
  get: number;
}

export async function s3AgainstSdk(name: ServerName, mib: number, rounds: number): Promise<void> {
  const server = await startServer(name);
  const store = new S3ObjectStore({ root: `s3://${bucket}/root`, env: { ...server.env } });
  try {
    await store.client.send(new CreateBucketCommand({ Bucket: bucket }));
    const body = randomBytes(mib * 1024 * 1024);
    const ours = async (): Promise<Round> => {
      const [put] = await timed(() => store.put("Flow/data/xx/big", body));
      const [get, back] = await timed(() => store.get("Flow/data/xx/big"));
      if (!back?.equals(body)) throw new Error("S3ObjectStore read back other bytes");
      await store.delete("Flow/data/xx/big");
      return { put, get };
    };
    const sdk = async (): Promise<Round> => {
      const [put] = await timed(() => sdkUpload(store.client, "sdk", body));
      const [get, back] = await timed(() => sdkDownload(store.client, "sdk"));
      if (!back.equals(body)) throw new Error("the SDK path read back other bytes");
      await store.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: "sdk" }));
      return { put, get };
    };
    await ours();
    await sdk();
    const a: Round[] = [];
    const b: Round[] = [];
    for (let r = 0; r < rounds; r++) {
      if (r % 2 === 0) {
        a.push(await ours());
        b.push(await sdk());
      } else {
        b.push(await sdk());
        a.push(await ours());
      }
    }
    const m = (rs: Round[], f: (r: Round) => number): number => median(rs.map(f));
    const oursTotal = m(a, (r) => r.put + r.get);
    const sdkTotal = m(b, (r) => r.put + r.get);
    console.log(`S3 ${mib} MiB artifact on ${name}, ${rounds} interleaved rounds (medians): ours save ${secs(m(a, (r) => r.put))} + load ${secs(m(a, (r) => r.get))} = ${secs(oursTotal)}; SDK Upload + ranged parallel GET ${secs(m(b, (r) => r.put))} + ${secs(m(b, (r) => r.get))} = ${secs(sdkTotal)}; ratio SDK/ours ${(sdkTotal / oursTotal).toFixed(2)} (save ${(m(b, (r) => r.put) / m(a, (r) => r.put)).toFixed(2)}, load ${(m(b, (r) => r.get) / m(a, (r) => r.get)).toFixed(2)}) (target >= 1.0); ${load()}`);
  } finally {
    store.close();
    await server.stop();
  }
}
