// `flowlens lsp --stdio`: the language server on standard input/output, for editors other than
// VS Code (Neovim, Helix, Emacs, ...). It is the very server the extension bundles, started with
// the same Node flags: when this process lacks them, it runs itself again with them.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { serverNodeFlags } from "../../../server/src/protocol/serverProcess";
import { startServer } from "../../../server/src/lsp/startServer";
import { createServerConnection } from "../../../server/src/lsp/transport";
import { UsageError, type Command } from "./command";

/** Set in the relaunched process, so that it never relaunches again. */
const relaunchedVariable = "FLOWLENS_LSP_RELAUNCHED";

/** Runs this command again in a Node started with the server's flags, sharing stdin/stdout. */
function relaunch(env: NodeJS.ProcessEnv): Promise<number> {
  const script = process.argv[1];
  if (script === undefined) return Promise.resolve(-1);
  return new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, ...serverNodeFlags, script, ...process.argv.slice(2)], {
      stdio: "inherit",
      env: { ...env, [relaunchedVariable]: "1" },
    });
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    const onTerm = forward("SIGTERM");
    const onInt = forward("SIGINT");
    process.on("SIGTERM", onTerm);
    process.on("SIGINT", onInt);
    child.on("error", () => resolve(-1));
    child.on("exit", (code, signal) => {
      process.off("SIGTERM", onTerm);
      process.off("SIGINT", onInt);
      // Killed by a signal: the shell's convention, 128 + its number.
      resolve(code ?? (signal ? 128 + (constants.signals[signal] ?? 15) : 1));
    });
  });
}

function serve(): Promise<number> {
  return new Promise<number>((resolve) => {
    const connection = createServerConnection(["--stdio"]);
    // The library ends the process on `exit`; this covers a client that just closes the pipe.
    connection.onExit(() => resolve(0));
    startServer(connection);
  });
}

export const lspCommand: Command = {
  name: "lsp",
  usage: [
    "Usage: flowlens lsp [--stdio]",
    "",
    "Starts the Flowlens language server speaking LSP on standard input and output.",
    "Logs go to the client (window/logMessage), never to stdout. --stdio is the default and only transport.",
    `The server runs in a Node process started with ${serverNodeFlags.join(" ")} (as in VS Code); when`,
    "flowlens itself was started without, it starts one such process and relays to it.",
  ].join("\n"),
  async run(args, io) {
    const unknown = args.filter((a) => a !== "--stdio");
    if (unknown.length > 0) throw new UsageError(`unknown option ${unknown.join(" ")}`);
    const missing = serverNodeFlags.some((f) => !process.execArgv.includes(f));
    if (missing && io.env[relaunchedVariable] === undefined) {
      const code = await relaunch(io.env);
      // When no second Node could be started at all, serve from this one rather than not at all.
      if (code !== -1) return code;
    }
    return serve();
  },
};
