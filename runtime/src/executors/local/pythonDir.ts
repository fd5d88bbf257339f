// Where the bundled Python side (`flowlens/`, `metaflow/`) lives: dist/python next to the
// bundle (the build copies runtime/python there), or runtime/python when running from source.
// Every Python that Flowlens starts (task workers, previews, the interpreter probe) starts
// through the launcher script there, which keeps the bundle, not the working directory, first
// on sys.path (see runtime/python/_flowlens_launch.py).

import { existsSync } from "node:fs";
import { join } from "node:path";

/** The folder that goes first on PYTHONPATH. `FLOWLENS_PYTHON_DIR` overrides the search. */
export function resolvePythonDir(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = [
    env.FLOWLENS_PYTHON_DIR,
    join(__dirname, "python"), // dist/cli.js, dist/client.js -> dist/python
    join(__dirname, "..", "python"),
    join(__dirname, "..", "..", "..", "python"), // runtime/src/executors/local -> runtime/python
  ].filter((c): c is string => typeof c === "string" && c.length > 0);
  for (const c of candidates) if (existsSync(join(c, "flowlens", "__init__.py"))) return c;
  throw new Error(`cannot find Flowlens's bundled Python side (flowlens/__init__.py) in: ${candidates.join(", ")}`);
}

/** The entry points of the launcher script. */
export type PythonEntry = "worker" | "preview" | "compare" | "probe";

/**
 * The interpreter's arguments that start `entry` from the bundle in `pythonDir`. A script file,
 * not `-c`/`-m`: those put the working directory (the user's workspace) first on sys.path.
 */
export function launchArgs(pythonDir: string, entry: PythonEntry): string[] {
  return [join(pythonDir, "_flowlens_launch.py"), entry];
}
