// ObjectStore on S3: the Metaflow layout under s3://bucket/prefix (runtime/README.md).
import { readFile, stat } from "node:fs/promises";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { ObjectInfo, ObjectStore, PutOptions } from "../types";
import { createS3Client } from "./client";
import { describeS3Error, isNoSuchKey, S3StoreError } from "./errors";
import { defaultRetryPolicy, httpStatusOf, withRetry, type RetryPolicy } from "./retry";
import { bufferSource, defaultTuning, fileSource, multipartUpload, rangedRest, readBody, type PartSource, type TransferTuning } from "./transfer";
import { joinKey, parseS3Url, s3Url, type S3Location } from "./url";

export interface S3ObjectStoreOptions {
  /** s3://bucket/prefix */
  root: string;
  env?: NodeJS.ProcessEnv;
  tuning?: Partial<TransferTuning>;
  retry?: Partial<RetryPolicy>;
  /** A ready client (tests); otherwise one is made from `env`. */
  client?: S3Client;
}

export class S3ObjectStore implements ObjectStore {
  readonly kind = "s3" as const;
  readonly root: string;
  readonly location: S3Location;
  readonly client: S3Client;
  readonly region?: string;
  readonly endpoint?: string;
  private readonly tuning: TransferTuning;
  private readonly policy: RetryPolicy;

  constructor(options: S3ObjectStoreOptions) {
    this.location = parseS3Url(options.root);
    this.root = s3Url(this.location);
    if (options.client) {
      this.client = options.client;
    } else {
      const made = createS3Client(options.env ?? process.env);
      this.client = made.client;
      if (made.region) this.region = made.region;
      if (made.endpoint) this.endpoint = made.endpoint;
    }
    this.tuning = { ...defaultTuning, ...options.tuning };
    this.policy = { ...defaultRetryPolicy, ...options.retry };
  }

  private key(key: string): string {
    return joinKey(this.location.prefix, key);
  }

  /** Full s3:// URL of a key below the root. */
  url(key: string): string {
    return s3Url(this.location, key);
  }

  /** Checks that the bucket exists and is reachable with the current credentials; throws one clear message otherwise. */
  async verify(): Promise<void> {
    const { bucket } = this.location;
    try {
      // A short budget: a wrong endpoint or a missing bucket should be reported in seconds.
      await withRetry(() => this.client.send(new HeadBucketCommand({ Bucket: bucket })), { attempts: 3, baseDelayMs: 200, maxDelayMs: 1000 });
    } catch (error) {
      const described = describeS3Error(error, "HeadBucket", bucket);
      if (this.endpoint && described.code !== "NoSuchBucket" && described.setting === undefined) {
        throw new S3StoreError(`${described.message} (the endpoint ${this.endpoint} comes from AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL)`, described.code, "AWS_ENDPOINT_URL_S3");
      }
      throw described;
    }
  }

  async get(key: string): Promise<Buffer | undefined> {
    const { bucket } = this.location;
    const full = this.key(key);
    try {
      const first = await withRetry(async () => {
        try {
          // The first range tells the size: small objects come whole in this one request. For a
          // large one the other ranges start as soon as these headers arrive, while its body streams.
          const res = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: full, Range: `bytes=0-${this.tuning.partSize - 1}` }));
          const total = res.ContentRange ? Number(/\/(\d+)$/.exec(res.ContentRange)?.[1]) : Number.NaN;
          const length = res.ContentLength;
          if (Number.isFinite(total) && length !== undefined && length > 0 && total > length) return { total, length, body: res.Body, etag: res.ETag };
          return await readBody(res.Body, res.ContentLength);
        } catch (error) {
          // An empty object has no byte 0: S3 answers 416 to any range.
          if (httpStatusOf(error) !== 416) throw error;
          const res = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: full }));
          return await readBody(res.Body, res.ContentLength);
        }
      }, this.policy);
      if (Buffer.isBuffer(first)) return first;
      return await rangedRest(this.client, bucket, full, first, this.tuning, this.policy);
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw describeS3Error(error, "GetObject", bucket, full);
    }
  }

  async put(key: string, body: Buffer | string, options: PutOptions = {}): Promise<void> {
    const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    await this.upload(key, options, () => Promise.resolve(bytes.length >= this.tuning.multipartThreshold ? bufferSource(bytes) : bytes));
  }

  async putFile(key: string, path: string, options: PutOptions = {}): Promise<void> {
    await this.upload(key, options, async () => {
      const { size } = await stat(path);
      // Small enough to hold: a buffer body is signed with its SHA-256, which S3 checks.
      return size >= this.tuning.multipartThreshold ? fileSource(path, size) : await readFile(path);
    });
  }

  /**
   * One object, unless `overwrite: false` finds it there: `content` gives either the whole body
   * (one PutObject) or, at or above the multipart threshold, the source of a multipart upload.
   */
  private async upload(key: string, options: PutOptions, content: () => Promise<Buffer | PartSource>): Promise<void> {
    const { bucket } = this.location;
    const full = this.key(key);
    try {
      if (options.overwrite === false && (await this.exists(key))) return;
      const body = await content();
      if (!Buffer.isBuffer(body)) {
        await multipartUpload({ client: this.client, bucket, key: full, metadata: options.metadata }, body, this.tuning, this.policy);
        return;
      }
      await withRetry(() => this.client.send(new PutObjectCommand({ Bucket: bucket, Key: full, Body: body, ContentLength: body.length, Metadata: options.metadata })), this.policy);
    } catch (error) {
      throw describeS3Error(error, "PutObject", bucket, full);
    }
  }

  /** HeadObject metadata of a key, or undefined when it does not exist. */
  async head(key: string): Promise<{ size: number; metadata: Record<string, string>; etag?: string } | undefined> {
    const { bucket } = this.location;
    const full = this.key(key);
    try {
      const res = await withRetry(() => this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: full })), this.policy);
      return { size: res.ContentLength ?? 0, metadata: res.Metadata ?? {}, ...(res.ETag ? { etag: res.ETag } : {}) };
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw describeS3Error(error, "HeadObject", bucket, full);
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== undefined;
  }

  async size(key: string): Promise<number | undefined> {
    return (await this.head(key))?.size;
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    await this.paginate(prefix, undefined, (contents) => {
      for (const c of contents.objects) out.push(c);
    });
    return out;
  }

  async listChildren(prefix: string): Promise<string[]> {
    const out: string[] = [];
    await this.paginate(prefix, "/", (page) => {
      out.push(...page.folders);
      for (const o of page.objects) out.push(o.key);
    });
    return out;
  }

  private async paginate(prefix: string, delimiter: string | undefined, onPage: (page: { objects: ObjectInfo[]; folders: string[] }) => void): Promise<void> {
    const { bucket } = this.location;
    const base = this.location.prefix === "" ? "" : `${this.location.prefix}/`;
    const full = base + prefix.replace(/^\/+/, "");
    let token: string | undefined;
    try {
      do {
        const res = await withRetry(
          () => this.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: full, Delimiter: delimiter, ContinuationToken: token })),
          this.policy,
        );
        const strip = (k: string): string => k.slice(base.length);
        onPage({
          objects: (res.Contents ?? []).filter((c) => c.Key).map((c) => ({ key: strip(c.Key ?? ""), size: c.Size ?? 0, modified: c.LastModified?.getTime() ?? 0 })),
          folders: (res.CommonPrefixes ?? []).filter((p) => p.Prefix).map((p) => strip(p.Prefix ?? "")),
        });
        token = res.IsTruncated ? res.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw describeS3Error(error, "ListObjectsV2", bucket, full);
    }
  }

  async delete(key: string): Promise<void> {
    const { bucket } = this.location;
    const full = this.key(key);
    try {
      await withRetry(() => this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: full })), this.policy);
    } catch (error) {
      throw describeS3Error(error, "DeleteObject", bucket, full);
    }
  }

  pythonEnvironment(): Record<string, string> {
    const env: Record<string, string> = {
      FLOWLENS_DATASTORE: "s3",
      FLOWLENS_DATASTORE_ROOT: this.root,
      // Metaflow's own name for the same setting, so Metaflow's client finds the runs too.
      METAFLOW_DATASTORE_SYSROOT_S3: this.root,
    };
    if (this.endpoint) env.AWS_ENDPOINT_URL_S3 = this.endpoint;
    if (this.region) env.AWS_DEFAULT_REGION = this.region;
    return env;
  }

  close(): void {
    this.client.destroy();
  }
}
