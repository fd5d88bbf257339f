// Entry point of the language server bundle (dist/server.js). The client starts it with
// `--stdio` (or `--node-ipc`); `flowlens lsp --stdio` runs the same `startServer`.
import { startServer } from "./lsp/startServer";
import { createServerConnection } from "./lsp/transport";

export { startServer };

startServer(createServerConnection());
