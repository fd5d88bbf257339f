// Entry point of the language server bundle (dist/server.js). The client starts it with
// `--stdio` (or `--node-ipc`); `flowlens lsp --stdio` runs the same `startServer`.
import { createConnection, ProposedFeatures } from "vscode-languageserver/node";
import { startServer } from "./lsp/startServer";

export { startServer };

startServer(createConnection(ProposedFeatures.all));
