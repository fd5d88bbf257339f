// The command lines of an editor run. The CLI is started with the run request itself
// (`flowlens MODE --request-json JSON --json`), the way `python flow.py` hands over its runs, so
// the editor, the terminal and `python flow.py` meet at one request and one validation. The log
// pane shows instead what a user would type in a terminal for the same request. Pure.
import type { RunRequest } from "../../../runtime/src/run/request";

/** The arguments the editor starts the bundled CLI with: the request as JSON, events as JSON lines. */
export function cliArgs(request: RunRequest): string[] {
  return [request.mode, "--request-json", JSON.stringify(request), "--json"];
}

/**
 * The `flowlens` arguments a terminal user types for the same request: `flowlens MODE` parses
 * them (runtime/src/cli/runRequest.ts) back into this request, as a unit test checks both ways.
 * (`flow` has no terminal spelling, as the file's main flow is what runs; the editor never sets it.)
 */
export function terminalArgs(request: RunRequest): string[] {
  const args: string[] = [request.mode, request.file];
  const option = (name: string, value: string | number | undefined): void => {
    if (value !== undefined) args.push(`--${name}`, String(value));
  };
  if (request.step !== undefined) args.push(request.step);
  option("origin-run-id", request.originRunId);
  for (const [name, value] of Object.entries(request.parameters ?? {})) option(name, value);
  option("python", request.python);
  option("datastore", request.datastore);
  option("datastore-root", request.datastoreRoot);
  option("max-workers", request.maxWorkers);
  option("max-num-splits", request.maxNumSplits);
  option("run-id-file", request.runIdFile);
  for (const tag of request.tags ?? []) option("tag", tag);
  for (const spec of request.with ?? []) option("with", spec);
  for (const [name, value] of Object.entries(request.executorOptions ?? {})) option(name, value);
  for (const [name, file] of request.config ?? []) args.push("--config", name, file);
  for (const [name, json] of request.configValue ?? []) args.push("--config-value", name, json);
  option("branch", request.branch);
  if (request.production) args.push("--production");
  return args;
}

/** How a command looks in a terminal, quoted for a POSIX shell. */
export function commandLine(args: string[]): string {
  return ["flowlens", ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");
}

/** The log pane's first line: the command a user would type, never the editor's JSON hand-over. */
export function userCommandLine(request: RunRequest): string {
  return commandLine(terminalArgs(request));
}
