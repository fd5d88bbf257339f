// The shapes of the layout's JSON files (runtime/README.md), checked when they are read: a file
// that parses but lost a field to damage is reported as damaged, not read as an empty task.
// Each check returns what is wrong in a few words, or undefined when the value fits.

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// Hex digests (sha1 in every store Flowlens and Metaflow write); at least the two characters of the blob folder.
const sha1 = /^[0-9a-f]{2,}$/;

/** `<attempt>.data.json`: `objects` maps names to sha1s, and `info` (when there) describes them. */
export function checkDataJson(value: unknown): string | undefined {
  if (!isObject(value)) return "not a JSON object";
  if (!isObject(value.objects)) return 'no "objects" map';
  for (const [name, sha] of Object.entries(value.objects)) {
    if (typeof sha !== "string" || !sha1.test(sha)) return `artifact ${name} has no sha1 (${JSON.stringify(sha)})`;
  }
  if (value.info !== undefined && !isObject(value.info)) return '"info" is not a map';
  for (const [name, info] of Object.entries(isObject(value.info) ? value.info : {})) {
    if (!isObject(info) || (info.size !== undefined && typeof info.size !== "number")) return `the info of artifact ${name} is not {size, type, encoding}`;
  }
  return undefined;
}

/** `_flowlens/run.json`. */
export function checkRunRecord(value: unknown): string | undefined {
  if (!isObject(value)) return "not a JSON object";
  for (const field of ["flow", "run_id", "status"]) {
    if (typeof value[field] !== "string") return `"${field}" is not a string`;
  }
  if (value.parameters !== undefined && !isObject(value.parameters)) return '"parameters" is not a map';
  if (value.parameters_given !== undefined && !isObject(value.parameters_given)) return '"parameters_given" is not a map';
  return undefined;
}

/** `_flowlens/tasks/<step>.<task>.json`, the scheduler's record of a finished task. */
export function checkTaskRecord(value: unknown): string | undefined {
  if (!isObject(value)) return "not a JSON object";
  for (const field of ["key", "step", "taskId"]) {
    if (typeof value[field] !== "string") return `"${field}" is not a string`;
  }
  if (typeof value.attempt !== "number" || !Number.isInteger(value.attempt) || value.attempt < 0) return '"attempt" is not a whole number';
  if (!Array.isArray(value.inputPaths) || value.inputPaths.some((p) => typeof p !== "string")) return '"inputPaths" is not a list of paths';
  if (!Array.isArray(value.stack) || value.stack.some((f) => !isObject(f))) return '"stack" is not a list of frames';
  if (!isObject(value.transition) || !Array.isArray(value.transition.next) || value.transition.next.some((n) => typeof n !== "string")) return '"transition" has no list of next steps';
  return undefined;
}
