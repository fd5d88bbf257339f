// Runs the bundled preview script (dist/python/flowlens/_preview_artifact.py) with the flow's
// interpreter, against the same datastore the runs use. A preview that takes over a minute is
// stopped. No `vscode` import. It unpickles, so callers run it only in a trusted workspace
// (client/src/trust); it starts through the bundle's launcher, so a `flowlens/` beside the flow
// is never imported instead of the bundled one.
import { spawn } from "node:child_process";
import { launchArgs } from "../../../runtime/src/executors/local/pythonDir";
import type { PreviewResult, TableSort } from "./previewResult";
import { parsePreviewResult } from "./previewResult";

export interface PreviewRequest {
  python: string;
  /** dist/python: the bundled Python side. */
  pythonDir: string;
  datastore: { kind: "local" | "s3"; root: string; env: Record<string, string> };
  flow: string;
  sha: string;
  flowFile?: string;
  offset?: number;
  limit?: number;
  /** A table's rows in this order before paging. */
  sort?: TableSort;
  maxBytes?: number;
  timeoutMs?: number;
}

export function runPreview(r: PreviewRequest): Promise<PreviewResult> {
  return new Promise((resolve) => {
    const env = {
      ...process.env,
      ...r.datastore.env,
      PYTHONPATH: [r.pythonDir, process.env.PYTHONPATH].filter(Boolean).join(process.platform === "win32" ? ";" : ":"),
      FLOWLENS_DATASTORE: r.datastore.kind,
      FLOWLENS_DATASTORE_ROOT: r.datastore.root,
    };
    let child;
    try {
      child = spawn(r.python, launchArgs(r.pythonDir, "preview"), { env, stdio: ["pipe", "pipe", "pipe"], ...(r.flowFile ? { cwd: dirOf(r.flowFile) } : {}) });
    } catch (err) {
      resolve({ kind: "error", message: `cannot start ${r.python}: ${err instanceof Error ? err.message : String(err)}` });
      return;
    }
    let out = "";
    let err = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), r.timeoutMs ?? 60_000);
    child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (err = (err + c).slice(-4000)));
    child.on("error", (e) => {
      clearTimeout(timer);
      resolve({ kind: "error", message: `cannot start the Python interpreter "${r.python}": ${e.message}. Set it with the Python extension or the flowlens.pythonPath setting.` });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (out.trim()) resolve(parsePreviewResult(out));
      else resolve({ kind: "error", message: `the preview of ${r.flow} artifact ${r.sha.slice(0, 10)} failed (${signal ? `killed by ${signal}` : `exit ${code ?? "?"}`}): ${err.trim().split("\n").slice(-3).join(" | ")}` });
    });
    child.stdin.end(JSON.stringify({ flow: r.flow, sha: r.sha, flowFile: r.flowFile, offset: r.offset ?? 0, limit: r.limit ?? 50, maxBytes: r.maxBytes, ...(r.sort ? { sort: r.sort } : {}) }));
  });
}

function dirOf(file: string): string {
  const i = Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\"));
  return i > 0 ? file.slice(0, i) : ".";
}
