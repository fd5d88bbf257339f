// Every `flowlens` subcommand, in the order `flowlens --help` lists them.
import type { Command } from "./command";
import { lspCommand } from "./lsp";
import { runCmd } from "./run";
import { resumeCmd } from "./resume";
import { stepCmd } from "./step";
import { logsCmd } from "./logs";
import { dumpCmd } from "./dump";
import { checkCommand } from "./check";
import { showCommand } from "./show";

export const commands: Command[] = [lspCommand, runCmd, resumeCmd, stepCmd, logsCmd, dumpCmd, checkCommand, showCommand];
