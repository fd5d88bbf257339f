// Entry point of the `flowlens` command (bundled to dist/cli.js, started by bin/flowlens.js).
import { timingEnabled, timingMark, timingReport } from "../../../server/src/parser/timing";
import { preferBaselineWasm } from "../../../server/src/parser/wasmTiering";
import { isUsageError, type CliIo } from "./command";
import { commands } from "./commands";
import { describeFailure } from "./failure";

timingMark("cli.js started");

// The AWS SDK warns on every Node below 22 that SDK releases after January 2027 will need it.
// Flowlens pins its SDK versions (package.json), so the warning says nothing to someone running
// a flow and reads like an error in their terminal. Only this process, which is ours alone, is
// quietened (not the VS Code extension host, which other extensions share); a user's own
// setting wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

// Commands that analyse a few files, print, and are done. They keep the tree-sitter wasm in V8's
// baseline tier and end the process as soon as their output is flushed: nothing of theirs runs
// after that, while V8 would otherwise first finish background compiles nobody will use (see
// server/src/parser/wasmTiering.ts and docs/analysis.md, "Startup of flowlens check").
const oneShot = new Set(["check", "show"]);

/** Resolves once everything written so far to the stream has been handed to the OS. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write("", () => resolve()));
}

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return ["Usage: flowlens <command> [options]", "", "Commands:", ...lines, "", "Run `flowlens <command> --help` for a command's options.", ""].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const used = new Set<NodeJS.WriteStream>();
  const write = (stream: NodeJS.WriteStream, text: string) => {
    used.add(stream);
    stream.write(text);
  };
  const io: CliIo = {
    stdout: (t) => write(process.stdout, t),
    stderr: (t) => write(process.stderr, t),
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
  if (oneShot.has(name)) preferBaselineWasm();
  const command = await entry.load();
  timingMark(`${name} loaded`);
  if (args.includes("--help") || args.includes("-h")) {
    io.stdout(command.usage.endsWith("\n") ? command.usage : command.usage + "\n");
    return 0;
  }
  try {
    const code = await command.run(args, io);
    timingMark("output written");
    if (oneShot.has(name)) {
      // Stdout to a pipe is asynchronous on some systems (macOS): exit only once it is written.
      await Promise.all([...used].map(flushed));
      process.exit(code);
    }
    return code;
  } catch (error) {
    if (isUsageError(error)) {
      io.stderr(`flowlens ${name}: ${error.message}\n\n${command.usage}\n`);
      return 2;
    }
    const failure = describeFailure(error);
    if (failure !== undefined) {
      io.stderr(`flowlens ${name}: ${failure}\n`);
      return 1;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr(`flowlens ${name}: internal error: ${message}\n`);
    return 70;
  }
}

// A reader that stops early (`flowlens check ... | head`) closes the pipe. The rest of the output
// has nowhere to go, which is no error of ours: end quietly with the status a Unix tool killed by
// SIGPIPE gives (128 + 13), instead of a stack trace about EPIPE.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(141);
});

if (timingEnabled()) {
  process.once("exit", () => {
    timingMark("exit");
    process.stderr.write(timingReport());
  });
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
