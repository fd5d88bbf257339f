// What a caller asks of the run service: one plain, JSON-serialisable object. The `flowlens`
// command builds it from its arguments, `python flow.py run|resume|spin` from Metaflow's command
// line (runtime/python/flowlens/_cli/runrequest.py) and sends it as JSON; both then go through
// the same validation (settings.ts) and the same run (service.ts). Values are kept as the user
// wrote them, so that a bad one is refused with the same words whoever asked.

export type RunMode = "run" | "resume" | "step";

export interface RunRequest {
  mode: RunMode;
  /** The flow file as the user named it (relative to the caller's folder); messages name it so. */
  file: string;
  /** The flow class to run; without it, the file's main flow. */
  flow?: string;
  /** run: flow parameters as typed (`--alpha 1` is `{alpha: "1"}`), converted once the flow is analysed. */
  parameters?: Record<string, string>;
  /** resume: the step to re-run (optional); step: the one step to run. */
  step?: string;
  /** resume/step: the run to reuse (default: the latest). */
  originRunId?: string;
  /** `--with` values in order: an executor name (`batch`, `batch:queue=q`) or a card spec (`card:type=blank`). */
  with?: string[];
  /** The executors' own options (`batch-queue` -> value), see executors/registry.ts. */
  executorOptions?: Record<string, string>;
  /** `local` or `s3` (default: $FLOWLENS_DATASTORE, else local). */
  datastore?: string;
  datastoreRoot?: string;
  /** The Python interpreter (default: $FLOWLENS_PYTHON, else python3). */
  python?: string;
  /** Tasks at once (default: the number of CPUs); text as typed, or a number. */
  maxWorkers?: string | number;
  /** Most tasks one foreach may create (default 100). */
  maxNumSplits?: string | number;
  tags?: string[];
  /** A file to write the new run's id to (relative to the caller's folder). */
  runIdFile?: string;
  /** `--config NAME FILE` pairs (run only). */
  config?: [string, string][];
  /** `--config-value NAME JSON` pairs (run only). */
  configValue?: [string, string][];
  branch?: string;
  production?: boolean;
}

/** A request the service cannot take: a bad option value or a malformed request (a usage error, exit 2). */
export class InvalidRequest extends Error {
  override name = "InvalidRequest";
}

const modes: readonly string[] = ["run", "resume", "step"];
const textFields = ["file", "flow", "step", "originRunId", "datastore", "datastoreRoot", "python", "runIdFile", "branch"] as const;
const countFields = ["maxWorkers", "maxNumSplits"] as const;

/** A request received as JSON, checked field by field; the first wrong field is one InvalidRequest. */
export function parseRunRequest(text: string): RunRequest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InvalidRequest(`the run request is not JSON: ${(error as Error).message}`);
  }
  if (!isObject(raw)) throw new InvalidRequest("the run request must be a JSON object");
  const known = new Set<string>(["mode", "parameters", "with", "executorOptions", "tags", "config", "configValue", "production", ...textFields, ...countFields]);
  const unknown = Object.keys(raw).find((k) => !known.has(k));
  if (unknown !== undefined) throw new InvalidRequest(`the run request has an unknown field '${unknown}'`);
  const mode = raw.mode;
  if (typeof mode !== "string" || !modes.includes(mode)) throw new InvalidRequest(`the run request's mode must be one of ${modes.join(", ")}`);
  if (typeof raw.file !== "string") throw new InvalidRequest("the run request needs the flow file");
  const out: RunRequest = { mode: mode as RunMode, file: raw.file };
  for (const key of textFields) {
    const value = raw[key];
    if (value === undefined) continue;
    if (typeof value !== "string") throw new InvalidRequest(`the run request's ${key} must be text`);
    out[key] = value;
  }
  for (const key of countFields) {
    const value = raw[key];
    if (value === undefined) continue;
    if (typeof value !== "string" && typeof value !== "number") throw new InvalidRequest(`the run request's ${key} must be a number or text`);
    out[key] = value;
  }
  if (raw.parameters !== undefined) out.parameters = textRecord(raw.parameters, "parameters");
  if (raw.executorOptions !== undefined) out.executorOptions = textRecord(raw.executorOptions, "executorOptions");
  if (raw.with !== undefined) out.with = textList(raw.with, "with");
  if (raw.tags !== undefined) out.tags = textList(raw.tags, "tags");
  if (raw.config !== undefined) out.config = pairList(raw.config, "config");
  if (raw.configValue !== undefined) out.configValue = pairList(raw.configValue, "configValue");
  if (raw.production !== undefined) {
    if (typeof raw.production !== "boolean") throw new InvalidRequest("the run request's production must be true or false");
    out.production = raw.production;
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function textRecord(value: unknown, key: string): Record<string, string> {
  if (!isObject(value) || Object.values(value).some((v) => typeof v !== "string")) throw new InvalidRequest(`the run request's ${key} must map names to text`);
  return Object.fromEntries(Object.entries(value as Record<string, string>));
}

function textList(value: unknown, key: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw new InvalidRequest(`the run request's ${key} must be a list of text`);
  return value as string[];
}

function pairList(value: unknown, key: string): [string, string][] {
  const ok = Array.isArray(value) && value.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === "string"));
  if (!ok) throw new InvalidRequest(`the run request's ${key} must be a list of [name, value] pairs`);
  return value as [string, string][];
}
