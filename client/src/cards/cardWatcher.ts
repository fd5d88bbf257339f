// Tells a card panel when its card page changed: fs.watch on the task's cards folder (a local
// datastore), with a poll every 500 ms as the fallback where watching is not possible or misses
// writes (network file systems, folders created after the panel opened). An S3 card is polled
// every 2 s. Changes are seen by the page's size and modification time, so an unchanged card is
// never re-read; a burst of writes becomes one reload.
import { watch, type FSWatcher } from "node:fs";
import { stat } from "node:fs/promises";
import type { ObjectStore } from "../../../runtime/src/datastore/types";

export interface CardWatch {
  /** A final card is not polled any more (the file-system watch stays, for a card written again). */
  setFinal(final: boolean): void;
  dispose(): void;
}

export function watchCard(store: ObjectStore, key: string, onChange: () => void): CardWatch {
  let last: string | undefined;
  let disposed = false;
  let checking = false;
  let again = false;
  const check = async (): Promise<void> => {
    if (checking) {
      again = true;
      return;
    }
    checking = true;
    try {
      do {
        again = false;
        const now = await signature(store, key);
        if (!disposed && last !== undefined && now !== last) onChange();
        last = now;
      } while (again && !disposed);
    } finally {
      checking = false;
    }
  };
  void check();
  let watcher: FSWatcher | undefined;
  if (store.kind === "local") {
    const folder = `${store.root}/${key.slice(0, key.lastIndexOf("/"))}`;
    try {
      watcher = watch(folder, () => void check());
      watcher.on("error", () => {
        watcher?.close();
        watcher = undefined;
      });
    } catch {
      watcher = undefined;
    }
  }
  const period = store.kind === "local" ? 500 : 2000;
  let timer: NodeJS.Timeout | undefined = setInterval(() => void check(), period);
  return {
    setFinal(final: boolean): void {
      if (final && timer) {
        clearInterval(timer);
        timer = undefined;
      } else if (!final && !timer && !disposed) timer = setInterval(() => void check(), period);
    },
    dispose(): void {
      disposed = true;
      clearInterval(timer);
      watcher?.close();
    },
  };
}

async function signature(store: ObjectStore, key: string): Promise<string> {
  if (store.kind === "local") {
    try {
      const s = await stat(`${store.root}/${key}`);
      return `${s.size}:${s.mtimeMs}`;
    } catch {
      return "gone";
    }
  }
  const found = (await store.list(key.slice(0, key.lastIndexOf("/") + 1)).catch(() => [])).find((o) => o.key === key);
  return found ? `${found.size}:${found.modified}` : "gone";
}
