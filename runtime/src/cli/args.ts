// Argument parsing for the run-like commands, without dependencies: `--name value`,
// `--name=value`, flags, positionals, and unknown `--options` kept apart (flow parameters).

import { UsageError } from "./command";

export interface ParsedArgs {
  positional: string[];
  options: Map<string, string[]>;
  /** Options that take two values (`--config NAME FILE`), in the order given. */
  pairs: Map<string, [string, string][]>;
  flags: Set<string>;
  /** `--x value` options that are not the command's own: flow parameters for `run`. */
  extra: Map<string, string>;
}

export function parseArgs(args: string[], known: { options: string[]; flags: string[]; pairs?: string[] }, allowExtra: boolean): ParsedArgs {
  const out: ParsedArgs = { positional: [], options: new Map(), pairs: new Map(), flags: new Set(), extra: new Map() };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") {
      out.positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith("--") || arg === "--") {
      out.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq > 0 ? eq : undefined);
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    if (known.flags.includes(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      out.flags.add(name);
      continue;
    }
    if (known.pairs?.includes(name)) {
      const first = inline ?? args[++i];
      const second = args[++i];
      if (first === undefined || second === undefined) throw new UsageError(`--${name} needs two values: --${name} NAME VALUE`);
      out.pairs.set(name, [...(out.pairs.get(name) ?? []), [first, second]]);
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (known.options.includes(name)) out.options.set(name, [...(out.options.get(name) ?? []), value]);
    else if (allowExtra) {
      if (out.extra.has(name)) throw new UsageError(`--${name} is given twice`);
      out.extra.set(name, value);
    } else throw new UsageError(`unknown option --${name}`);
  }
  return out;
}

export function lastOption(parsed: ParsedArgs, name: string): string | undefined {
  return parsed.options.get(name)?.at(-1);
}

export function intOption(parsed: ParsedArgs, name: string, fallback: number, min: number): number {
  const text = lastOption(parsed, name);
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`--${name} needs a whole number of at least ${min}, got '${text}'`);
  return Number(text);
}
