// Large transfers: multipart upload (parts in parallel, each retried on its own, the upload
// aborted on failure so nothing half-written is ever visible) and parallel ranged download
// (pinned to one ETag so that the pieces come from one version of the object, streamed straight
// into one preallocated buffer, a broken range resumed from its last byte).
import { createReadStream } from "node:fs";
import { pipeline, Transform, type Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  UploadPartCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { withRetry, type RetryPolicy } from "./retry";

export interface TransferTuning {
  /** Objects at least this large go multipart / ranged. */
  multipartThreshold: number;
  partSize: number;
  concurrency: number;
  /** Upper bound of the adaptive upload part size (see pieceSize); downloads stream and are not capped (see rangeSize). */
  maxPartSize: number;
}

export const defaultTuning: TransferTuning = { multipartThreshold: 16 * 1024 * 1024, partSize: 8 * 1024 * 1024, concurrency: 4, maxPartSize: 64 * 1024 * 1024 };

/**
 * The size of the pieces for an object of `size` bytes: about one piece per lane, so each lane
 * makes one long request (per-request overhead dominates on fast links), but never below
 * `partSize` nor above `maxPartSize` (memory held per lane), and never more than 10,000 parts.
 */
export function pieceSize(size: number, tuning: TransferTuning): number {
  const perLane = Math.ceil(size / tuning.concurrency);
  return Math.max(tuning.partSize, Math.ceil(size / 10_000), Math.min(perLane, tuning.maxPartSize));
}

/**
 * Where the bytes of an upload come from: a buffer in memory or a file. `body` is called once per
 * attempt of a part, so a retried part starts again from its first byte.
 */
export interface PartSource {
  size: number;
  body(offset: number, length: number): Buffer | Readable;
}

export function bufferSource(body: Buffer): PartSource {
  return { size: body.length, body: (o, l) => body.subarray(o, o + l) };
}

/**
 * A file's parts streamed from disk: nothing but the stream's 1 MiB read-ahead is held per lane,
 * where reading each part whole would hold up to `maxPartSize` per lane. The SDK cannot hash a
 * stream before sending it, so these parts go as UNSIGNED-PAYLOAD (as boto3 sends them over
 * HTTPS, where TLS guards the bytes in transit); the part count and sizes are still checked by S3
 * at CompleteMultipartUpload.
 */
export function fileSource(path: string, size: number): PartSource {
  return {
    size,
    body: (offset, length) => exactly(createReadStream(path, { start: offset, end: offset + length - 1, highWaterMark: 1024 * 1024 }), length, path),
  };
}

/**
 * Passes a part's bytes through and fails, rather than ends, when fewer than `length` arrive (the
 * file shrank): a body shorter than its Content-Length would leave the request waiting for bytes
 * that never come. The error is not retryable: the file, not the network, is at fault.
 */
function exactly(stream: Readable, length: number, path: string): Readable {
  let seen = 0;
  const check = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(null, chunk);
    },
    flush(done) {
      if (seen === length) return done();
      const e = new Error(`${path} changed while being uploaded: a part had ${seen} of its ${length} bytes`);
      e.name = "SourceChanged";
      done(e);
    },
  });
  // pipeline, not pipe: destroying the result (a failed attempt) closes the file too.
  return pipeline(stream, check, () => undefined);
}

/** Runs `worker(i)` for i in [0, count) with at most `concurrency` in flight; the first failure stops the rest. */
export async function parallel(count: number, concurrency: number, worker: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: Error | undefined;
  const lane = async (): Promise<void> => {
    while (failed === undefined && next < count) {
      const i = next++;
      try {
        await worker(i);
      } catch (error) {
        failed ??= error instanceof Error ? error : new Error(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  if (failed !== undefined) throw failed;
}

export interface UploadTarget {
  client: S3Client;
  bucket: string;
  key: string;
  metadata?: Record<string, string>;
  contentType?: string;
}

/** Multipart upload of `source`: invisible until CompleteMultipartUpload, aborted on any failure. */
export async function multipartUpload(target: UploadTarget, source: PartSource, tuning: TransferTuning, policy: RetryPolicy): Promise<void> {
  const { client, bucket, key } = target;
  // S3 allows at most 10,000 parts; grow the part size for very large objects.
  const partSize = pieceSize(source.size, tuning);
  const count = Math.max(1, Math.ceil(source.size / partSize));
  const created = await withRetry(() => client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, Metadata: target.metadata, ContentType: target.contentType })), policy);
  const uploadId = created.UploadId;
  if (!uploadId) throw new Error(`S3 did not return an upload id for s3://${bucket}/${key}`);
  const etags: string[] = new Array<string>(count);
  try {
    await parallel(count, tuning.concurrency, async (i) => {
      const offset = i * partSize;
      const length = Math.min(partSize, source.size - offset);
      const out = await withRetry(async () => {
        const body = source.body(offset, length);
        const part = new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: i + 1, Body: body, ContentLength: length });
        if (Buffer.isBuffer(body)) return client.send(part);
        // The SDK pipes a stream body into the request and does not watch it: a stream that fails
        // (an unreadable or shrunk file) must abort the request, or it waits for the missing bytes.
        const abort = new AbortController();
        let broken: Error | undefined;
        body.once("error", (error: Error) => {
          broken = error;
          abort.abort();
        });
        try {
          return await client.send(part, { abortSignal: abort.signal });
        } catch (error) {
          throw broken ?? error;
        } finally {
          // A failed attempt leaves its file stream paused mid-part: close it rather than leak its descriptor.
          body.destroy();
        }
      }, policy);
      if (!out.ETag) throw new Error(`S3 returned no ETag for part ${i + 1} of s3://${bucket}/${key}`);
      etags[i] = out.ETag;
    });
    await withRetry(
      (attempt) =>
        completeOnce(client, bucket, key, attempt, source.size, () =>
          client.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: key,
            UploadId: uploadId,
            MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
          }),
          ),
        ),
      policy,
    );
  } catch (error) {
    // Best effort: a dangling upload is invisible to readers but costs storage until aborted.
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
    throw error;
  }
}

/**
 * Completes an upload. When a retried Complete finds the upload gone, the first attempt may have
 * succeeded with its answer lost on the way back: the object of the right size proves it did.
 */
async function completeOnce(client: S3Client, bucket: string, key: string, attempt: number, size: number, send: () => Promise<unknown>): Promise<void> {
  try {
    await send();
  } catch (error) {
    const name = (error as { name?: unknown }).name;
    if (attempt === 0 || name !== "NoSuchUpload") throw error;
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
    if (head?.ContentLength !== size) throw error;
  }
}

/** Reads a GetObject body whole, checking that every promised byte arrived (a dropped connection must not pass as a short object). */
export async function readBody(body: unknown, expected: number | undefined): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    chunks.push(b);
    length += b.length;
  }
  if (expected !== undefined && length !== expected) {
    const e = new Error(`incomplete body: got ${length} of ${expected} bytes`);
    e.name = "IncompleteBody";
    throw e;
  }
  return chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks, length);
}

/** The answer to the first ranged GET of an object: its size, version, and a body not read yet. */
export interface FirstRange {
  total: number;
  etag?: string;
  /** Bytes [0, length) of the object arrive in `body`. */
  length: number;
  body: unknown;
}

/**
 * The size of the ranges of a download of `size` bytes: one range per lane. Unlike upload parts,
 * a range is streamed straight into the output buffer (nothing is held per lane) and a broken
 * range resumes from its last byte (nothing is re-fetched), so `maxPartSize` does not apply:
 * fewer, longer requests are all gain (per-request latency and, on moto, per-request work).
 */
export function rangeSize(size: number, tuning: TransferTuning): number {
  return Math.max(tuning.partSize, Math.ceil(size / tuning.concurrency));
}

/**
 * Streams bytes [from, to] of a pinned object version into `out` at the same offsets. A body that
 * breaks or ends early is retried from the first byte not yet received.
 */
async function rangeInto(client: S3Client, bucket: string, key: string, etag: string | undefined, out: Buffer, from: number, to: number, policy: RetryPolicy, opened?: unknown): Promise<void> {
  let at = from;
  let body = opened;
  await withRetry(async () => {
    if (body === undefined) body = (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${at}-${to}`, IfMatch: etag }))).Body;
    const stream = body;
    body = undefined;
    if (stream !== undefined && stream !== null) {
      for await (const chunk of stream as AsyncIterable<Uint8Array>) {
        if (at + chunk.length > to + 1) throw new Error(`S3 sent more than the range bytes=${from}-${to} of s3://${bucket}/${key}`);
        out.set(chunk, at);
        at += chunk.length;
      }
    }
    if (at !== to + 1) {
      const e = new Error(`incomplete body: got ${at - from} of ${to - from + 1} bytes`);
      e.name = "IncompleteBody";
      throw e;
    }
  }, policy);
}

/**
 * Reads a whole object into one buffer: the first range's body streams in while the remaining
 * ranges, started as soon as the first answer told the size, are fetched in parallel.
 */
export async function rangedRest(client: S3Client, bucket: string, key: string, first: FirstRange, tuning: TransferTuning, policy: RetryPolicy): Promise<Buffer> {
  let out: Buffer;
  try {
    out = Buffer.allocUnsafe(first.total);
  } catch (error) {
    // Too large for one buffer: release the first answer's connection before giving up.
    (first.body as { destroy?: () => void } | undefined)?.destroy?.();
    throw error;
  }
  const start = first.length;
  const piece = rangeSize(first.total - start, tuning);
  const count = Math.ceil((first.total - start) / piece);
  const settled = await Promise.allSettled([
    rangeInto(client, bucket, key, first.etag, out, 0, start - 1, policy, first.body),
    parallel(count, tuning.concurrency, (i) => {
      const from = start + i * piece;
      return rangeInto(client, bucket, key, first.etag, out, from, Math.min(first.total, from + piece) - 1, policy);
    }),
  ]);
  for (const r of settled) if (r.status === "rejected") throw r.reason;
  return out;
}
