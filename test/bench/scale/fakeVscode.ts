// A minimal stand-in for the `vscode` module, enough for the run manager, its log pane and status
// bar to run in plain Node: the editor benchmark drives the extension's own run-event handling
// without an editor. It counts what would cross to the editor's UI (terminal writes, status bar
// texts), since in VS Code each of those is a message from the extension host.
import Module from "node:module";
import { pathToFileURL } from "node:url";

export const uiMessages = { terminalWrites: 0, terminalBytes: 0, statusTexts: 0 };

type Listener<T> = (value: T) => void;

class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (listener: Listener<T>): { dispose(): void } => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(value: T): void {
    for (const l of this.listeners) l(value);
  }
  dispose(): void {
    this.listeners = [];
  }
}

interface Pty {
  onDidWrite(listener: Listener<string>): unknown;
  open(): void;
}

function createTerminal(options: { pty: Pty }): { show(): void; dispose(): void } {
  options.pty.onDidWrite((text) => {
    uiMessages.terminalWrites++;
    uiMessages.terminalBytes += text.length;
  });
  // VS Code opens the pseudo-terminal once the terminal is shown; here at once.
  queueMicrotask(() => options.pty.open());
  return { show: () => undefined, dispose: () => undefined };
}

function createStatusBarItem(): Record<string, unknown> {
  let text = "";
  return {
    get text() {
      return text;
    },
    set text(value: string) {
      text = value;
      uiMessages.statusTexts++;
    },
    show: () => undefined,
    dispose: () => undefined,
  };
}

const fake = {
  EventEmitter,
  ThemeIcon: class {
    constructor(readonly id: string) {}
  },
  ThemeColor: class {
    constructor(readonly id: string) {}
  },
  StatusBarAlignment: { Left: 1, Right: 2 },
  ViewColumn: { Active: -1, Beside: -2 },
  Uri: {
    file: (fsPath: string) => ({ fsPath, toString: () => pathToFileURL(fsPath).href }),
    joinPath: (base: { fsPath: string }, ...parts: string[]) => ({ fsPath: [base.fsPath, ...parts].join("/") }),
  },
  window: {
    createTerminal,
    createStatusBarItem,
    activeTerminal: undefined,
    showInformationMessage: () => Promise.resolve(undefined),
    showErrorMessage: () => Promise.resolve(undefined),
  },
  commands: { executeCommand: () => Promise.resolve(undefined) },
  workspace: {
    isTrusted: true,
    workspaceFolders: undefined,
    getWorkspaceFolder: () => undefined,
    getConfiguration: () => ({ inspect: () => undefined, get: <T>(_key: string, fallback: T) => fallback }),
  },
};

/** Makes `require("vscode")` return the stand-in; call before importing client modules. */
let installed = false;

export function installFakeVscode(): void {
  if (installed) return;
  installed = true;
  const loader = Module as unknown as { _load(request: string, ...rest: unknown[]): unknown };
  const original = loader._load.bind(Module);
  loader._load = (request: string, ...rest: unknown[]) => (request === "vscode" ? fake : original(request, ...rest));
}
