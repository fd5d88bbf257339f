// Reads every artifact of a run through the bundled Python client API, as a user's notebook
// would: a damaged file must raise a MetaflowException (named), never a bare Python error.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { repo } from "../../runtime/cli";

const script = `
import sys
from flowlens.client import Run, MetaflowException
raw = []
try:
    run = Run(sys.argv[1], _namespace_check=False)
    run.status
    for step in run:
        for task in step:
            for artifact in task:
                try:
                    artifact.data
                except MetaflowException:
                    pass
except MetaflowException:
    pass
except Exception as e:
    raw.append("%s: %s" % (type(e).__name__, str(e)[:120]))
print("RAW " + " | ".join(raw) if raw else "OK")
`;

export function clientReads(dir: string, flow: string, run: string): { raw: string[] } {
  const r = spawnSync("python3", ["-c", script, `${flow}/${run}`], { cwd: dir, env: { ...process.env, PYTHONPATH: join(repo, "runtime", "python") }, encoding: "utf8", timeout: 60_000 });
  const out = (r.stdout ?? "").trim().split("\n").at(-1) ?? "";
  if (r.status !== 0) return { raw: [`exit ${String(r.status)}: ${(r.stderr ?? "").trim().split("\n").at(-1) ?? ""}`] };
  return { raw: out.startsWith("RAW ") ? [out.slice(4)] : [] };
}
