// One place that turns `--datastore local|s3 --datastore-root ...` into an ObjectStore.
// The S3 store is loaded lazily so that local runs never pay for the AWS SDK.
import type { ObjectStore } from "./types";

export interface OpenObjectStoreOptions {
  kind: "local" | "s3";
  /** Local: an absolute folder (the `.metaflow` folder). S3: s3://bucket/prefix. */
  root: string;
  env?: NodeJS.ProcessEnv;
}

export async function openObjectStore(options: OpenObjectStoreOptions): Promise<ObjectStore> {
  if (options.kind === "s3") {
    if (!options.root.startsWith("s3://")) {
      throw new Error(`--datastore s3 needs --datastore-root s3://bucket/prefix (or the flowlens.datastoreRoot setting / FLOWLENS_DATASTORE_ROOT); got "${options.root || "nothing"}"`);
    }
    const { S3ObjectStore } = await import("./s3/store");
    const store = new S3ObjectStore({ root: options.root, env: options.env ?? process.env });
    // A missing bucket or credentials is reported here, once, before any task starts.
    await store.verify();
    return store;
  }
  const { LocalObjectStore } = await import("./local");
  return new LocalObjectStore(options.root);
}
