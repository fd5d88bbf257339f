// Asks an interpreter for its version and the versions of the packages a run record keeps.
// Reads package metadata only (importlib.metadata), so it never imports numpy or pandas: ~50 ms.
// The interpreter is started as given (a wrapper script stays a wrapper); the probe's
// `executable` is only recorded, never used to start anything.

import { spawn } from "node:child_process";
import { launchArgs, resolvePythonDir } from "./pythonDir";

export interface PythonProbe {
  executable: string;
  version: string;
  packages: Record<string, string>;
}

/** The interpreter cannot be started or is too old: one message naming the setting to change. */
export class PythonUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PythonUnavailableError";
  }
}

export function pythonMissingMessage(python: string, detail: string): string {
  return `Python interpreter "${python}" ${detail}. Set it with --python PATH (CLI) or the flowlens.pythonPath setting (VS Code).`;
}

export function probePython(python: string, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Promise<PythonProbe> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, launchArgs(resolvePythonDir(env), "probe"), { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (err += d.toString("utf8")));
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(new PythonUnavailableError(pythonMissingMessage(python, error.code === "ENOENT" ? "was not found" : `cannot be started (${error.message})`)));
    });
    child.on("close", (code) => {
      if (code !== 0) {
        reject(new PythonUnavailableError(pythonMissingMessage(python, `failed to run (exit ${String(code)}): ${err.trim().split("\n").at(-1) ?? ""}`)));
        return;
      }
      let info: PythonProbe;
      try {
        info = JSON.parse(out) as PythonProbe;
      } catch {
        reject(new PythonUnavailableError(pythonMissingMessage(python, "did not answer the version probe")));
        return;
      }
      const [major = 0, minor = 0] = info.version.split(".").map(Number);
      if (major < 3 || (major === 3 && minor < 8)) {
        reject(new PythonUnavailableError(pythonMissingMessage(python, `is Python ${info.version}; Flowlens needs 3.8 or later`)));
        return;
      }
      resolve(info);
    });
  });
}
