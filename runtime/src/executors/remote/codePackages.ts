// The code package a remote task runs. A run stores its package before any task starts, and the
// task is handed it (TaskSpec.codePackage): exactly the code the run recorded, never rebuilt. A
// task without one (called directly, as the executor tests do) gets a package built once per
// flow file, which the datastore keeps by content: unchanged code is not uploaded again.
import { writeCodePackage, type CodePackage } from "../../datastore/codePackage";
import type { ObjectStore } from "../../datastore/types";
import type { TaskSpec } from "../types";

export class CodePackages {
  private readonly packages = new Map<string, Promise<CodePackage>>();
  /** Code packages uploaded (benchmarks and tests read it). */
  readonly uploads: CodePackage[] = [];

  constructor(
    private readonly store: () => ObjectStore,
    private readonly suffixes: () => string[],
    private readonly pythonDir: () => string,
  ) {}

  for(spec: TaskSpec): Promise<{ sha: string; key: string }> {
    if (spec.codePackage) return Promise.resolve(spec.codePackage);
    let p = this.packages.get(spec.flowFile);
    if (!p) {
      p = (async () => {
        const pkg = await writeCodePackage(this.store(), spec.flowName, spec.flowFile, this.suffixes(), this.pythonDir());
        if (pkg.uploaded) this.uploads.push(pkg);
        return pkg;
      })();
      this.packages.set(spec.flowFile, p);
      p.catch(() => this.packages.delete(spec.flowFile));
    }
    return p;
  }
}
