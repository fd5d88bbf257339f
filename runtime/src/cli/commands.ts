// Every `flowlens` subcommand, in the order `flowlens --help` lists them.
import type { Command } from "./command";

export const commands: Command[] = [];
