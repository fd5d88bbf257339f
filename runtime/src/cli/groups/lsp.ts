// The language server command (`lsp`): dist/cli-lsp.js.
export { lspCommand } from "../lsp";
