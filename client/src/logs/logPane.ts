// One log pane per run: a pseudo-terminal, because a terminal keeps the tasks' ANSI colours,
// streams as lines arrive and lets a link provider make `File "...", line N` clickable. The pane
// keeps every line, so a filter per step or task (a quick pick) redraws it from memory.
import * as vscode from "vscode";
import type { LogEvent } from "../../../server/src/protocol/runEvents";
import type { LogFilter } from "./logFormat";
import { describeFilter, formatError, formatLogLine, formatNote, matches, stripAnsi } from "./logFormat";

/** Lines kept per pane for filtering; a run that prints more keeps the newest (the datastore has them all). */
const maxEntries = 200_000;

type Entry = { kind: "log"; event: LogEvent } | { kind: "note"; text: string } | { kind: "error"; text: string };

export class LogPane implements vscode.Disposable {
  private static readonly panes = new Set<LogPane>();
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly entries: Entry[] = [];
  private filter: LogFilter = {};
  private opened = false;
  private pending: string[] = [];
  private batch = "";
  private flushing = false;
  readonly terminal: vscode.Terminal;
  private disposed = false;

  /** `baseDir`: the folder tracebacks' relative paths are resolved against (the flow file's folder); `onInterrupt`: Ctrl+C in the pane. */
  constructor(
    title: string,
    readonly baseDir: string,
    onInterrupt: () => void,
  ) {
    const pty: vscode.Pseudoterminal = {
      onDidWrite: this.writer.event,
      open: () => {
        this.opened = true;
        for (const text of this.pending.splice(0)) this.writer.fire(text);
      },
      close: () => this.dispose(),
      handleInput: (data) => {
        // Ctrl+C in the pane stops the run, as it would in a terminal.
        if (data === "\x03") onInterrupt();
      },
    };
    this.terminal = vscode.window.createTerminal({ name: title, pty, iconPath: new vscode.ThemeIcon("pulse") });
    LogPane.panes.add(this);
  }

  static byTerminal(terminal: vscode.Terminal): LogPane | undefined {
    return [...LogPane.panes].find((p) => p.terminal === terminal);
  }

  static active(): LogPane | undefined {
    const t = vscode.window.activeTerminal;
    return (t && LogPane.byTerminal(t)) ?? [...LogPane.panes].at(-1);
  }

  show(preserveFocus = true): void {
    this.terminal.show(preserveFocus);
  }

  log(event: LogEvent): void {
    this.push({ kind: "log", event });
  }

  note(text: string): void {
    this.push({ kind: "note", text });
  }

  error(text: string): void {
    this.push({ kind: "error", text });
  }

  /** The pane's lines as plain text under the current filter (tests and "copy" read it). */
  text(): string {
    return this.entries
      .filter((e) => this.visible(e))
      .map((e) => stripAnsi(this.render(e)))
      .join("\n");
  }

  /** Steps and tasks seen so far, for the filter quick pick. */
  tasks(): { step: string; taskId: string }[] {
    const seen = new Map<string, { step: string; taskId: string }>();
    for (const e of this.entries) if (e.kind === "log") seen.set(`${e.event.task.step}/${e.event.task.taskId}`, { step: e.event.task.step, taskId: e.event.task.taskId });
    return [...seen.values()];
  }

  setFilter(filter: LogFilter): void {
    this.filter = filter;
    // Clear screen and scrollback, then replay what the filter keeps.
    this.write("\x1b[2J\x1b[3J\x1b[H");
    this.write(`${formatNote(`— showing ${describeFilter(filter)} —`)}\r\n`);
    for (const e of this.entries) if (this.visible(e)) this.write(`${this.render(e).replace(/\n/g, "\r\n")}\r\n`);
  }

  private push(entry: Entry): void {
    if (this.disposed) return;
    this.entries.push(entry);
    if (this.entries.length > maxEntries) this.entries.splice(0, maxEntries / 10);
    if (this.visible(entry)) this.write(`${this.render(entry).replace(/\n/g, "\r\n")}\r\n`);
  }

  private visible(e: Entry): boolean {
    return e.kind !== "log" || matches(this.filter, e.event);
  }

  private render(e: Entry): string {
    if (e.kind === "log") return formatLogLine(e.event);
    return e.kind === "note" ? formatNote(e.text) : formatError(e.text);
  }

  /** Lines written within one turn of the event loop go to the terminal as one message: a wide
   * run prints thousands of lines a second, and each message crosses to the editor's renderer. */
  private write(text: string): void {
    if (!this.opened) {
      this.pending.push(text);
      return;
    }
    this.batch += text;
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => {
      this.flushing = false;
      const out = this.batch;
      this.batch = "";
      if (!this.disposed && out) this.writer.fire(out);
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    LogPane.panes.delete(this);
    this.writer.dispose();
  }
}
