// Entry point of the `flowlens` command (bundled to dist/cli.js, started by bin/flowlens.js).
import { UsageError, type CliIo } from "./command";
import { commands } from "./commands";

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return ["Usage: flowlens <command> [options]", "", "Commands:", ...lines, "", "Run `flowlens <command> --help` for a command's options.", ""].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const io: CliIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
  };
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(help());
    return name === undefined ? 2 : 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`flowlens: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  const command = await entry.load();
  if (args.includes("--help") || args.includes("-h")) {
    io.stdout(command.usage.endsWith("\n") ? command.usage : command.usage + "\n");
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`flowlens ${name}: ${error.message}\n\n${command.usage}\n`);
      return 2;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr(`flowlens ${name}: internal error: ${message}\n`);
    return 70;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`flowlens: ${String(error)}\n`);
    process.exitCode = 70;
  },
);
