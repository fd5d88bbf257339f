// The datastore as the copy of a task's Metaflow metadata records sees it
// (../remote/metadataRecords.ts), with the listings of the folders a run's tasks share kept.
// The flow's, run's and step's `_meta/` folders hold one record each, `_self.json`, written once
// (create-if-absent) by the step's first task before that task ends. Without this every later
// task of a 100-way foreach listed those three folders again, found the same key, already copied,
// and copied nothing: three of its four S3 listings. A shared folder is listed until a listing
// finds a record, then taken from here; a task's own folder is listed every time.
import type { ObjectInfo, ObjectStore, PutOptions } from "../../datastore/types";

/** `Flow/_meta/`, `Flow/run/_meta/`, `Flow/run/step/_meta/`: not a task's own. */
const sharedFolder = (prefix: string): boolean => prefix.endsWith("_meta/") && prefix.split("/").length <= 5;

export class RecordListings implements ObjectStore {
  private readonly kept = new Map<string, Promise<string[]>>();

  constructor(private readonly store: ObjectStore) {}

  get kind(): "local" | "s3" {
    return this.store.kind;
  }

  get root(): string {
    return this.store.root;
  }

  listChildren(prefix: string): Promise<string[]> {
    if (!sharedFolder(prefix)) return this.store.listChildren(prefix);
    let listing = this.kept.get(prefix);
    if (!listing) {
      listing = this.store.listChildren(prefix);
      this.kept.set(prefix, listing);
      // Not kept when it failed or found nothing yet: the next task lists the folder again.
      listing.then((keys) => keys.length > 0 || this.kept.delete(prefix), () => this.kept.delete(prefix));
    }
    return listing;
  }

  get(key: string): Promise<Buffer | undefined> {
    return this.store.get(key);
  }

  put(key: string, body: Buffer | string, options?: PutOptions): Promise<void> {
    return this.store.put(key, body, options);
  }

  putFile(key: string, path: string, options?: PutOptions): Promise<void> {
    return this.store.putFile(key, path, options);
  }

  exists(key: string): Promise<boolean> {
    return this.store.exists(key);
  }

  size(key: string): Promise<number | undefined> {
    return this.store.size(key);
  }

  list(prefix: string): Promise<ObjectInfo[]> {
    return this.store.list(prefix);
  }

  delete(key: string): Promise<void> {
    return this.store.delete(key);
  }

  pythonEnvironment(): Record<string, string> {
    return this.store.pythonEnvironment();
  }
}
