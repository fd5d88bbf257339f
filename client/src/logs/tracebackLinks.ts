// Makes `File "...", line N` in Flowlens log panes clickable: opens the file at that line.
// Relative paths are resolved against the flow file's folder (the task's working directory).
import * as path from "node:path";
import * as vscode from "vscode";
import { stripAnsi, tracebackLinks } from "./logFormat";
import { LogPane } from "./logPane";

interface SourceLink extends vscode.TerminalLink {
  file: string;
  line: number;
}

export function registerTracebackLinks(): vscode.Disposable {
  const provider: vscode.TerminalLinkProvider<SourceLink> = {
    provideTerminalLinks(context) {
      const pane = LogPane.byTerminal(context.terminal);
      if (!pane) return [];
      const text = stripAnsi(context.line);
      return tracebackLinks(text).map((l) => ({
        startIndex: l.start,
        length: l.length,
        tooltip: `Open ${l.file}:${l.line}`,
        file: path.isAbsolute(l.file) ? l.file : path.join(pane.baseDir, l.file),
        line: l.line,
      }));
    },
    async handleTerminalLink(link) {
      await openSourceLine(link.file, link.line);
    },
  };
  return vscode.window.registerTerminalLinkProvider(provider);
}

export async function openSourceLine(file: string, line: number): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const pos = new vscode.Position(Math.max(0, line - 1), 0);
  return vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.One });
}
