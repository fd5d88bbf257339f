// `python flow.py ...` as a Metaflow user types it: a real python3 with Flowlens's Python package
// (the source tree) first on PYTHONPATH; the run itself goes through the built runtime CLI
// (dist/cli.js, which `npm test` builds first).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const repo = resolve(__dirname, "../../..");
export const pythonRoot = join(repo, "runtime", "python");

export interface PyResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const made: string[] = [];
process.on("exit", () => {
  if (process.env.FLOWLENS_KEEP_TMP !== "1") for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh project folder holding the given files (name -> text). */
export function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "flowlens-entry-"));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

export function python(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, interpreter = "python3"): Promise<PyResult> {
  return new Promise((done, fail) => {
    const child = spawn(interpreter, args, {
      cwd,
      env: { ...process.env, PYTHONPATH: pythonRoot, FLOWLENS_PYTHON_DIR: pythonRoot, PYTHONDONTWRITEBYTECODE: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

/** Runs a Python snippet in `cwd` and parses the JSON of its last line of stdout. */
export async function pyJson(code: string, cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Record<string, unknown>> {
  const out = await python(["-c", `import json\n${code}`], cwd, env);
  if (out.code !== 0) throw new Error(`python3 failed (${String(out.code)}):\n${out.stdout}\n${out.stderr}`);
  const last = out.stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(last) as Record<string, unknown>;
}

/** A flow with a parameter, printed output on both streams, and a step that fails while FAIL=1. */
export const tagFlow = `import os
from metaflow import FlowSpec, Parameter, step


class EntryFlow(FlowSpec):
    """Says hello."""

    alpha = Parameter("alpha", default=1)

    @step
    def start(self):
        print("hello %s" % self.alpha)
        print("second line")
        import sys
        sys.stderr.write("to stderr\\n")
        self.x = self.alpha * 2
        self._hidden = "private"
        self.next(self.middle)

    @step
    def middle(self):
        if os.environ.get("FAIL") == "1":
            raise ValueError("failing on purpose")
        self.y = self.x + 1
        self.next(self.end)

    @step
    def end(self):
        print("y is %d" % self.y)


if __name__ == "__main__":
    EntryFlow()
`;

/** The options Metaflow's own test harness puts before `run`. */
export const metaflowTopOptions = ["--metadata=local", "--datastore=local", "--environment=local", "--event-logger=nullSidecarLogger", "--no-pylint", "--quiet"];
