// Every `flowlens` subcommand, in the order `flowlens --help` lists them. A command's module is
// loaded only when that command runs, and each group in ./groups is a bundle of its own
// (scripts/build.mjs), so `flowlens check` neither loads nor parses the runtime or the server.
import type { Command } from "./command";

export interface CommandEntry {
  name: string;
  /** One line for `flowlens --help` (kept here so help needs no command module). */
  summary: string;
  load: () => Promise<Command>;
}

export const commands: CommandEntry[] = [
  { name: "check", summary: "Check flow files: every graph, decorator and artifact problem, with file:line", load: async () => (await import("./groups/analysis")).checkCommand },
  { name: "show", summary: "Show a flow's steps, docstrings, decorators and edges", load: async () => (await import("./groups/analysis")).showCommand },
  { name: "run", summary: "Run a flow locally (every step), writing artifacts to the datastore", load: async () => (await import("./groups/runs")).runCmd },
  { name: "resume", summary: "Re-run a flow from a step, reusing an earlier run's finished tasks", load: async () => (await import("./groups/runs")).resumeCmd },
  { name: "step", summary: "Run one step again on the latest run's inputs", load: async () => (await import("./groups/runs")).stepCmd },
  { name: "logs", summary: "Print a step's or task's stdout and stderr", load: async () => (await import("./groups/runs")).logsCmd },
  { name: "dump", summary: "Show a task's artifacts (names, types, sizes, previews)", load: async () => (await import("./groups/runs")).dumpCmd },
  { name: "compare", summary: "Compare two runs of a flow: parameters, artifacts per step, durations, tags and code", load: async () => (await import("./groups/runs")).compareCmd },
  { name: "card", summary: "List a task's cards, write one to a file, or open one in the browser", load: async () => (await import("./groups/runs")).cardCmd },
  { name: "python-path", summary: "Print the folder to put on PYTHONPATH so `python flow.py run` runs with Flowlens", load: async () => (await import("./pythonPath")).pythonPathCommand },
  { name: "lsp", summary: "Run the Flowlens language server (LSP over stdio)", load: async () => (await import("./groups/lsp")).lspCommand },
];
