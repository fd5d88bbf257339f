// The run request (runtime/src/run/request.ts) for a run the editor starts: the same typed
// request `flowlens run|resume|step` builds from its arguments and `python flow.py` from
// Metaflow's, so every value goes through the run service's one validation. Pure: only the
// request's type comes from the runtime, so the client bundle holds none of its code.
import type { RunRequest } from "../../../runtime/src/run/request";
import type { SessionRequest } from "./runSession";

export interface EditorRunContext {
  /** The interpreter the settings or the Python extension chose (or Debug step's wrapper). */
  python: string;
  /** From the `flowlens.datastore.*` settings; undefined = the CLI's default. */
  datastore?: { kind: "local" | "s3"; root: string };
  /** Debug step runs one task at a time, so breakpoints stop one worker. */
  maxWorkers?: string;
}

export function editorRunRequest(session: SessionRequest, ctx: EditorRunContext): RunRequest {
  // Debug step is a step run whose Python is the debugger's wrapper.
  const mode = session.mode === "debug" ? "step" : session.mode;
  const request: RunRequest = { mode, file: session.file };
  if (mode === "run") request.parameters = { ...session.parameters };
  else if (session.step) request.step = session.step;
  // Without a step, resume reuses every finished task and runs what failed or never ran.
  if (mode !== "run" && session.originRunId !== undefined) request.originRunId = session.originRunId;
  request.python = ctx.python;
  if (ctx.datastore) {
    request.datastore = ctx.datastore.kind;
    request.datastoreRoot = ctx.datastore.root;
  }
  if (ctx.maxWorkers !== undefined) request.maxWorkers = ctx.maxWorkers;
  return request;
}
