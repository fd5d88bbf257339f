// Asks an interpreter for its version and the versions of the packages a run record keeps.
// Reads package metadata only (importlib.metadata), so it never imports numpy or pandas: ~50 ms.

import { spawn } from "node:child_process";

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

const probeSource = `
import sys, json
pk = {}
try:
    from importlib import metadata
    for name in ("numpy", "pandas", "scipy", "scikit-learn", "torch", "pyarrow", "boto3"):
        try:
            pk[name] = metadata.version(name)
        except Exception:
            pass
except Exception:
    pass
print(json.dumps({"executable": sys.executable, "version": "%d.%d.%d" % sys.version_info[:3], "packages": pk}))
`;

/**
 * Interpreters already probed: the command as given (e.g. a pyenv shim, a bash script that costs
 * 0.1-0.25 s per start) -> the binary it runs. Workers start the binary directly.
 */
const resolved = new Map<string, string>();

function resolutionKey(python: string, env: NodeJS.ProcessEnv, cwd: string): string {
  // What a shim or PATH lookup depends on: the same command may mean another Python elsewhere.
  return JSON.stringify([python, cwd, env.PATH ?? "", env.PYENV_VERSION ?? "", env.VIRTUAL_ENV ?? "", env.CONDA_PREFIX ?? ""]);
}

/** The interpreter binary `python` ran when it was probed with this environment and folder, if it was. */
export function resolvedInterpreter(python: string, env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  return resolved.get(resolutionKey(python, env, cwd));
}

export function pythonMissingMessage(python: string, detail: string): string {
  return `Python interpreter "${python}" ${detail}. Set it with --python PATH (CLI) or the flowlens.pythonPath setting (VS Code).`;
}

export function probePython(python: string, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Promise<PythonProbe> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, ["-c", probeSource], { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
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
      if (info.executable) resolved.set(resolutionKey(python, env, cwd), info.executable);
      resolve(info);
    });
  });
}
