// Where the local datastore lives: the nearest `.metaflow` folder upward from the working
// directory (as Metaflow finds it), else a new `./.metaflow`.

import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export function findLocalRoot(cwd: string): string {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, ".metaflow");
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return join(resolve(cwd), ".metaflow");
    dir = parent;
  }
}
