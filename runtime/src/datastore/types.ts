// The storage seam of the runtime: bytes by key. The Metaflow layout (runtime/README.md) is
// written once on top of this, so a local folder and an S3 prefix behave the same.

export interface ObjectInfo {
  key: string;
  size: number;
  /** Milliseconds since the epoch. */
  modified: number;
}

export interface PutOptions {
  /** When false and the key exists, the put does nothing (content-addressed blobs). Default true. */
  overwrite?: boolean;
  /** Small string metadata (S3 object metadata; the local store keeps it in a sidecar only where the layout says so). */
  metadata?: Record<string, string>;
}

export interface ObjectStore {
  /** "local" or "s3". */
  readonly kind: "local" | "s3";
  /** Human-readable root: an absolute path or "s3://bucket/prefix". Never contains credentials. */
  readonly root: string;
  /** The whole object, or undefined when it does not exist. */
  get(key: string): Promise<Buffer | undefined>;
  /** Writes the whole object atomically: readers see the old object, nothing, or the new one. */
  put(key: string, body: Buffer | string, options?: PutOptions): Promise<void>;
  /** Writes an object from a file on the local disk (large artifacts, code packages) without reading it into memory. */
  putFile(key: string, path: string, options?: PutOptions): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** The object's size in bytes, or undefined when it does not exist. */
  size(key: string): Promise<number | undefined>;
  /** Objects below `prefix` (a folder-like prefix ending in "/" or ""), recursively. */
  list(prefix: string): Promise<ObjectInfo[]>;
  /** Immediate children of `prefix`: folder names (ending in "/") and object keys. */
  listChildren(prefix: string): Promise<string[]>;
  delete(key: string): Promise<void>;
  /** Environment variables that let the Python side open the same store (root, endpoint); never credentials. */
  pythonEnvironment(): Record<string, string>;
}
