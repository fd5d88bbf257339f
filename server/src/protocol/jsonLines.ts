// Reading one line of a JSON-lines stream whose messages are tagged by a `type` field: the run
// events of `flowlens run --json`, and the local executor's worker messages.

/** The message on `line` when it is JSON with a `type` in `kinds`; undefined for anything else. */
export function parseTaggedLine<T extends { type: string }>(line: string, kinds: ReadonlySet<string>): T | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const type = (value as { type?: unknown }).type;
  return typeof type === "string" && kinds.has(type) ? (value as T) : undefined;
}
