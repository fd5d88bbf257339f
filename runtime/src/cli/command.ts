// One CLI subcommand. Each lives in its own file and is listed in commands.ts.

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  name: string;
  /** Full usage text for `flowlens <name> --help`. */
  usage: string;
  /** Returns the process exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** A usage error: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * Whether an error is a UsageError. The CLI entry (dist/cli.js) and each command bundle
 * (dist/cli-*.js) have their own copy of the class, so `instanceof` across them is always false.
 */
export function isUsageError(error: unknown): error is UsageError {
  return error instanceof UsageError || (error instanceof Error && error.name === "UsageError");
}
