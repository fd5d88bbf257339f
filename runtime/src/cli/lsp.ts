// `flowlens lsp --stdio`: the language server on standard input/output, for editors other than
// VS Code (Neovim, Helix, Emacs, ...). It is the very server the extension bundles.
import { createConnection, ProposedFeatures } from "vscode-languageserver/node";
import { startServer } from "../../../server/src/lsp/startServer";
import { UsageError, type Command } from "./command";

export const lspCommand: Command = {
  name: "lsp",
  usage: [
    "Usage: flowlens lsp [--stdio]",
    "",
    "Starts the Flowlens language server speaking LSP on standard input and output.",
    "Logs go to the client (window/logMessage), never to stdout. --stdio is the default and only transport.",
  ].join("\n"),
  run(args) {
    const unknown = args.filter((a) => a !== "--stdio");
    if (unknown.length > 0) throw new UsageError(`unknown option ${unknown.join(" ")}`);
    return new Promise<number>((resolve) => {
      const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
      // The library ends the process on `exit`; this covers a client that just closes the pipe.
      connection.onExit(() => resolve(0));
      startServer(connection);
    });
  },
};
