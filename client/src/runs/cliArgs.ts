// The command lines the editor runs: the same CLI a terminal user types (`flowlens run|step|resume
// FILE ... --json`), so the editor and the terminal run exactly the same code. Pure.
import type { SessionRequest } from "./runSession";

export interface CliContext {
  python: string;
  /** `--datastore local|s3` and `--datastore-root`, from the settings; undefined = the CLI's default. */
  datastore?: { kind: "local" | "s3"; root: string };
}

export function cliArgs(request: SessionRequest, ctx: CliContext, parameterArgs: string[] = []): string[] {
  const common = ["--json", "--python", ctx.python];
  if (ctx.datastore) common.push("--datastore", ctx.datastore.kind, "--datastore-root", ctx.datastore.root);
  switch (request.mode) {
    case "run":
      return ["run", request.file, ...parameterArgs, ...common];
    case "step":
    case "debug": {
      const origin = request.originRunId !== undefined ? ["--origin-run-id", request.originRunId] : [];
      return ["step", request.file, request.step ?? "", ...origin, ...common];
    }
    case "resume": {
      const origin = request.originRunId !== undefined ? ["--origin-run-id", request.originRunId] : [];
      // Without a step, resume reuses every finished task and runs what failed or never ran.
      return ["resume", request.file, ...(request.step ? [request.step] : []), ...origin, ...common];
    }
  }
}

/** How the command looks in a terminal, for the extension's output log and error messages. */
export function commandLine(args: string[]): string {
  return ["flowlens", ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");
}

/**
 * The command a user would type to run the same thing in a terminal, for the log pane's first
 * line: without `--json`, which only the editor wants (it reads events, a person reads text).
 */
export function userCommandLine(args: string[]): string {
  return commandLine(args.filter((a) => a !== "--json"));
}
