// The lines of a stored task log, in any of the formats a datastore may hold:
// - Metaflow's mflog format, which Flowlens writes and Metaflow writes for its own runs:
//   `[MFLOG|0|<UTC time>Z|<source>|<line id>]<text>` (a leading `[!` marks a line Metaflow's
//   runtime still has to store; it is read like any other);
// - `[<ISO-8601 time>] <text>`, written by earlier versions of Flowlens;
// - anything else (a line cut short, a file written by hand): text without a time stamp.
// One stream of an attempt may be spread over several files, one per log source (`runtime`,
// `task`); they are merged by time.

/** One line of a stored log: `stamp` is its time stamp as written (ISO-8601, UTC, ends in Z), `ts` the same in epoch ms. */
export interface LogLine {
  text: string;
  stamp?: string;
  ts?: number;
}

/** The files one stream of an attempt may be spread over: Flowlens writes `runtime`; Metaflow writes `runtime` and `task`. */
export const logSources = ["runtime", "task"] as const;

const mflogLine = /^(?:\[!)?\[MFLOG\|0\|([^|\]]+?)Z\|[^|\]]+\|[^\]]+\](.*)$/s;
const isoLine = /^\[(\d{4}-\d\d-\d\dT[^\]]+)\] ?(.*)$/s;

/** One stored line (without its newline). */
export function parseStoredLine(raw: string): LogLine {
  const mf = mflogLine.exec(raw);
  const iso = mf ? undefined : isoLine.exec(raw);
  const stamp = mf ? `${mf[1] ?? ""}Z` : iso?.[1];
  const ts = stamp === undefined ? NaN : Date.parse(stamp);
  if (!Number.isFinite(ts)) return { text: raw };
  return { text: (mf ?? iso)?.[2] ?? "", stamp, ts };
}

/** The lines of one stored log file, in file order; a last line without its newline (a file cut short) is kept. */
export function parseLogText(body: string): LogLine[] {
  const lines = body.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.map(parseStoredLine);
}

/**
 * Several sources of one stream as one list, ordered by time. A line without a time stamp keeps
 * the place of the stamped line before it in its own file; ties keep the sources' order, so one
 * source alone comes back as it was.
 */
export function mergeLogSources(sources: LogLine[][]): LogLine[] {
  if (sources.length === 1) return sources[0] ?? [];
  const keyed = sources.flatMap((lines, source) => {
    let at = -Infinity;
    return lines.map((line, pos) => {
      at = line.ts ?? at;
      return { line, at, source, pos };
    });
  });
  keyed.sort((a, b) => a.at - b.at || a.source - b.source || a.pos - b.pos);
  return keyed.map((k) => k.line);
}

/** A line as `flowlens logs` and the editor print it: the text alone, or `[stamp] text` with the time stamp. */
export function formatLogLine(line: LogLine, withStamp: boolean): string {
  return withStamp && line.stamp !== undefined ? `[${line.stamp}] ${line.text}` : line.text;
}

/** Lines as one text, each with its time stamp (the editor's log document): the same whatever format the file is in. */
export function logText(lines: LogLine[]): string {
  return lines.map((line) => `${formatLogLine(line, true)}\n`).join("");
}
