// S3ObjectStore against moto_server on loopback: the ObjectStore contract, multipart and
// ranged transfers, content-addressed puts, clear errors, and no credential in any message.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:http";
import { CreateBucketCommand, HeadObjectCommand, ListMultipartUploadsCommand } from "@aws-sdk/client-s3";
import { S3ObjectStore } from "../../runtime/src/datastore/s3/store";
import { openObjectStore } from "../../runtime/src/datastore/open";
import { fileSource, multipartUpload } from "../../runtime/src/datastore/s3/transfer";
import { defaultRetryPolicy } from "../../runtime/src/datastore/s3/retry";
import { listenLoopback } from "../support/loopback";
import { startMoto, testCredentials, type MotoServer } from "./servers/moto";

let moto: MotoServer;
const env = (): NodeJS.ProcessEnv => ({ ...moto.env });

before(async () => {
  moto = await startMoto();
  const store = new S3ObjectStore({ root: "s3://flowlens-test", env: env() });
  await store.client.send(new CreateBucketCommand({ Bucket: "flowlens-test" }));
});
after(async () => {
  await moto.stop();
});

void describe("S3ObjectStore: the store contract and transfers", () => {
  void test("get/put/exists/list/listChildren/delete below a prefix", async () => {
    const store = new S3ObjectStore({ root: "s3://flowlens-test/some/prefix/", env: env() });
    assert.equal(store.root, "s3://flowlens-test/some/prefix");
    assert.equal(await store.get("Flow/latest_run"), undefined);
    assert.equal(await store.exists("Flow/latest_run"), false);
    await store.put("Flow/latest_run", "12");
    await store.put("Flow/12/start/1/0.DONE.lock", Buffer.from("{}"));
    await store.put("Flow/12/start/1/0.data.json", "{}");
    await store.put("Flow/empty", "");
    assert.equal((await store.get("Flow/latest_run"))?.toString(), "12");
    assert.equal((await store.get("Flow/empty"))?.length, 0);
    assert.equal(await store.exists("Flow/latest_run"), true);
    const listed = (await store.list("Flow/12/")).map((o) => o.key).sort();
    assert.deepEqual(listed, ["Flow/12/start/1/0.DONE.lock", "Flow/12/start/1/0.data.json"]);
    assert.deepEqual((await store.listChildren("Flow/")).sort(), ["Flow/12/", "Flow/empty", "Flow/latest_run"]);
    await store.delete("Flow/latest_run");
    assert.equal(await store.exists("Flow/latest_run"), false);
    const py = store.pythonEnvironment();
    assert.equal(py.FLOWLENS_DATASTORE_ROOT, "s3://flowlens-test/some/prefix");
    assert.equal(py.AWS_ENDPOINT_URL_S3, moto.endpoint);
    assert.ok(!JSON.stringify(py).includes(testCredentials.AWS_SECRET_ACCESS_KEY));
    assert.ok(!JSON.stringify(py).includes(testCredentials.AWS_ACCESS_KEY_ID));
  });

  void test("large objects go multipart and come back whole through parallel ranges", async () => {
    const tuning = { multipartThreshold: 5 * 1024 * 1024, partSize: 5 * 1024 * 1024, concurrency: 4, maxPartSize: 5 * 1024 * 1024 };
    const store = new S3ObjectStore({ root: "s3://flowlens-test/big", env: env(), tuning });
    const body = randomBytes(23 * 1024 * 1024 + 17);
    await store.put("blob", body, { metadata: { cas_raw: "true", cas_version: "1" } });
    const head = await store.client.send(new HeadObjectCommand({ Bucket: "flowlens-test", Key: "big/blob" }));
    assert.match(head.ETag ?? "", /-5"$/, "a 5-part multipart ETag");
    // moto 5.2 drops metadata given to CreateMultipartUpload and header names with "_" (its WSGI
    // server does); real S3 keeps both. A single put with a hyphenated name shows the plumbing.
    await store.put("small", "x", { metadata: { "cas-raw": "true" } });
    assert.deepEqual((await store.head("small"))?.metadata, { "cas-raw": "true" });
    const back = await store.get("blob");
    assert.ok(back?.equals(body), "the bytes read back are the bytes written");
    const dir = mkdtempSync(join(tmpdir(), "flowlens-s3-"));
    const file = join(dir, "pkg.bin");
    writeFileSync(file, body.subarray(0, 11 * 1024 * 1024));
    await store.putFile("from-file", file);
    assert.ok((await store.get("from-file"))?.equals(body.subarray(0, 11 * 1024 * 1024)));
    const uploads = await store.client.send(new ListMultipartUploadsCommand({ Bucket: "flowlens-test" }));
    assert.equal(uploads.Uploads?.length ?? 0, 0, "no multipart upload left open");
  });

  void test("a file shorter than its parts promise fails at once with a clear error, no upload left open", { timeout: 60_000 }, async () => {
    const store = new S3ObjectStore({ root: "s3://flowlens-test/shrunk", env: env() });
    const file = join(mkdtempSync(join(tmpdir(), "flowlens-s3-")), "shrunk.bin");
    writeFileSync(file, randomBytes(6 * 1024 * 1024));
    // As if the file had been 11 MiB when the upload started: the second and third parts come up short.
    const source = fileSource(file, 11 * 1024 * 1024);
    const tuning = { multipartThreshold: 5 * 1024 * 1024, partSize: 5 * 1024 * 1024, concurrency: 4, maxPartSize: 5 * 1024 * 1024 };
    await assert.rejects(
      multipartUpload({ client: store.client, bucket: "flowlens-test", key: "shrunk/blob" }, source, tuning, defaultRetryPolicy),
      (e: Error) => e.name === "SourceChanged" && /shrunk\.bin changed while being uploaded/.test(e.message),
    );
    const uploads = await store.client.send(new ListMultipartUploadsCommand({ Bucket: "flowlens-test", Prefix: "shrunk/" }));
    assert.equal(uploads.Uploads?.length ?? 0, 0, "the upload was aborted");
    assert.equal(await store.exists("blob"), false);
  });

  void test("overwrite:false skips a present content-addressed blob", async () => {
    const store = new S3ObjectStore({ root: "s3://flowlens-test/cas", env: env() });
    await store.put("Flow/data/ab/abcdef", "first", { overwrite: false });
    await store.put("Flow/data/ab/abcdef", "second", { overwrite: false });
    assert.equal((await store.get("Flow/data/ab/abcdef"))?.toString(), "first");
    await store.put("Flow/data/ab/abcdef", "third");
    assert.equal((await store.get("Flow/data/ab/abcdef"))?.toString(), "third");
  });

});

void describe("S3ObjectStore: clear errors, no credential in them", () => {
  void test("a missing bucket is one clear message naming the setting, before anything else", async () => {
    await assert.rejects(
      openObjectStore({ kind: "s3", root: "s3://no-such-bucket-here/x", env: env() }),
      (e: Error) => /S3 bucket "no-such-bucket-here" does not exist/.test(e.message) && /--datastore-root/.test(e.message),
    );
    await assert.rejects(openObjectStore({ kind: "s3", root: "", env: env() }), /--datastore-root s3:\/\/bucket\/prefix/);
    const store = await openObjectStore({ kind: "s3", root: "s3://flowlens-test/ok", env: env() });
    assert.equal(store.kind, "s3");
  });

  void test("no credentials at all: one message naming the settings", async () => {
    // Only loopback: the instance-metadata step of the default chain is switched off.
    process.env.AWS_EC2_METADATA_DISABLED = "true";
    const saved = { home: process.env.HOME, file: process.env.AWS_SHARED_CREDENTIALS_FILE, config: process.env.AWS_CONFIG_FILE };
    process.env.AWS_SHARED_CREDENTIALS_FILE = "/nonexistent/credentials";
    process.env.AWS_CONFIG_FILE = "/nonexistent/config";
    const keys = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"] as const;
    const savedKeys = keys.map((k) => process.env[k]);
    for (const k of keys) delete process.env[k];
    try {
      const noCreds = { AWS_REGION: "us-east-1", AWS_ENDPOINT_URL_S3: moto.endpoint };
      await assert.rejects(openObjectStore({ kind: "s3", root: "s3://flowlens-test/x", env: noCreds }), /No AWS credentials found.*AWS_PROFILE.*AWS_ACCESS_KEY_ID/);
    } finally {
      keys.forEach((k, i) => {
        const v = savedKeys[i];
        if (v !== undefined) process.env[k] = v;
      });
      if (saved.file === undefined) delete process.env.AWS_SHARED_CREDENTIALS_FILE;
      else process.env.AWS_SHARED_CREDENTIALS_FILE = saved.file;
      if (saved.config === undefined) delete process.env.AWS_CONFIG_FILE;
      else process.env.AWS_CONFIG_FILE = saved.config;
    }
  });

  void test("no credential in any error message, even when the server echoes them", async () => {
    // A server that rejects every request and quotes the request's Authorization header back.
    const server = createServer((req, res) => {
      const body = `<Error><Code>SignatureDoesNotMatch</Code><Message>bad ${String(req.headers.authorization)} secret=${testCredentials.AWS_SECRET_ACCESS_KEY}</Message><AWSAccessKeyId>${testCredentials.AWS_ACCESS_KEY_ID}</AWSAccessKeyId></Error>`;
      res.writeHead(403, { "content-type": "application/xml" });
      res.end(body);
    });
    const port = await listenLoopback(server);
    try {
      const store = new S3ObjectStore({ root: "s3://echo-bucket/p", env: { ...env(), AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}` } });
      for (const op of [() => store.get("k"), () => store.put("k", "v"), () => store.list(""), () => store.verify()]) {
        const error = await op().then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.ok(error instanceof Error, "the call fails");
        const text = `${error.message}\n${error.stack ?? ""}\n${JSON.stringify(error)}`;
        assert.ok(!text.includes(testCredentials.AWS_SECRET_ACCESS_KEY), `secret leaked: ${text}`);
        assert.ok(!text.includes(testCredentials.AWS_ACCESS_KEY_ID), `key id leaked: ${text}`);
        assert.match(error.message, /credentials|Access denied/);
      }
    } finally {
      server.close();
    }
  });
});
