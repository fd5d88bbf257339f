// The log pane's pure half: how a log event looks in the pane (a `[step/task]` prefix, stderr in
// red with a `!` marker so it stays distinguishable without colour, the task's own colours kept
// and every other escape sequence or control removed), which lines a filter keeps, and where a
// traceback names a source line.
import type { LogEvent } from "../../../server/src/protocol/runEvents";
import { sanitizeTerminalText } from "../../../server/src/protocol/terminalText";

const reset = "\x1b[0m";
const dim = "\x1b[2m";
const red = "\x1b[31m";
const cyan = "\x1b[36m";

export interface LogFilter {
  step?: string;
  taskId?: string;
}

export function matches(filter: LogFilter, event: LogEvent): boolean {
  if (filter.step !== undefined && event.task.step !== filter.step) return false;
  if (filter.taskId !== undefined && event.task.taskId !== filter.taskId) return false;
  return true;
}

export function describeFilter(filter: LogFilter): string {
  if (filter.step === undefined) return "all steps";
  return filter.taskId === undefined ? `step ${filter.step}` : `task ${filter.step}/${filter.taskId}`;
}

/** Text from a task or a process for the pane, a pseudo-terminal: its colours kept, nothing else a terminal acts on. */
const forPane = (text: string): string => sanitizeTerminalText(text, { colors: true });

/** One pane line (without the line ending). The task's own colours pass through; other sequences do not. */
export function formatLogLine(event: LogEvent): string {
  const attempt = event.task.attempt > 0 ? `#${event.task.attempt}` : "";
  const prefix = `${cyan}[${event.task.step}/${event.task.taskId}${attempt}]${reset}`;
  if (event.stream === "stderr") return `${prefix} ${red}!${reset} ${red}${forPane(event.line)}${reset}`;
  return `${prefix}   ${forPane(event.line)}${reset}`;
}

export function formatNote(text: string): string {
  return `${dim}${forPane(text)}${reset}`;
}

export function formatError(text: string): string {
  return `${red}${forPane(text)}${reset}`;
}

/** The text without any escape sequence or control other than tab and line feed (for matching links, copying, tests). */
export function stripAnsi(text: string): string {
  return sanitizeTerminalText(text, { colors: false });
}

export interface TracebackLink {
  /** Offset and length of the `File "...", line N` text in the (ANSI-free) line. */
  start: number;
  length: number;
  file: string;
  /** 1-based. */
  line: number;
}

/** Python's `File "path", line N` (tracebacks, warnings) in one line of text without ANSI codes. */
export function tracebackLinks(text: string): TracebackLink[] {
  const out: TracebackLink[] = [];
  const re = /File "([^"]+)", line (\d+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const file = m[1] ?? "";
    if (file.startsWith("<")) continue; // <string>, <frozen importlib._bootstrap>: not a file
    out.push({ start: m.index, length: m[0].length, file, line: Number(m[2]) });
  }
  return out;
}
