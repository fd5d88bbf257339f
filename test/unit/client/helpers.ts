// Shared by the client unit tests: a small flow with a foreach, a numpy array and a step that
// fails on demand, run for real with the bundled CLI (`npm run build` first) in a temp folder.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const repoRoot = join(__dirname, "..", "..", "..");
export const cli = join(repoRoot, "dist", "cli.js");

export const labFlow = `from metaflow import FlowSpec, Parameter, step
import numpy as np


class LabFlow(FlowSpec):
    fail = Parameter("fail", type=bool, default=False, help="make train fail on item 2")

    @step
    def start(self):
        self.items = [1, 2, 3]
        print("starting with", len(self.items), "items")
        self.next(self.train, foreach="items")

    @step
    def train(self):
        if self.fail and self.input == 2:
            raise ValueError("bad item 2")
        self.arr = np.ones((4, self.input))
        self.next(self.join)

    @step
    def join(self, inputs):
        self.total = int(sum(i.arr.size for i in inputs))
        self.next(self.end)

    @step
    def end(self):
        print("total", self.total)


if __name__ == "__main__":
    LabFlow()
`;

export function labDir(): string {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
  const dir = mkdtempSync(join(tmpdir(), "flowlens-client-"));
  writeFileSync(join(dir, "flow.py"), labFlow);
  return dir;
}

/** Runs the CLI in `dir`; returns its stdout lines (run events with --json). */
export function runCli(dir: string, args: string[]): { lines: string[]; status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: "utf8", timeout: 120_000 });
  return { lines: r.stdout.split("\n").filter((l) => l.trim() !== ""), status: r.status, stderr: r.stderr };
}
