// The language server's place in the editor: it starts when the first flow file is seen (a regex
// check of the text, flowDetection.ts), `flowlens.isFlowFile` follows the active editor (for the
// editor title's buttons), and the Restart server and Show log commands.
import * as vscode from "vscode";
import { contributedCommands as ids } from "../../server/src/protocol/commands";
import { isFlowDocument } from "./flowDetection";
import type { Services } from "./services";

export function registerServer({ server, log, trust }: Services): vscode.Disposable[] {
  const startIfFlow = (doc: vscode.TextDocument | undefined): void => {
    if (doc && isFlowDocument(doc)) void server.start();
  };
  const updateContext = (editor: vscode.TextEditor | undefined): void => {
    void vscode.commands.executeCommand("setContext", "flowlens.isFlowFile", editor ? isFlowDocument(editor.document) : false);
  };
  for (const doc of vscode.workspace.textDocuments) startIfFlow(doc);
  updateContext(vscode.window.activeTextEditor);
  return [
    vscode.commands.registerCommand(ids.restartServer, () => server.restart()),
    vscode.commands.registerCommand(ids.showLog, () => log.show()),
    vscode.workspace.onDidOpenTextDocument(startIfFlow),
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      updateContext(editor);
      startIfFlow(editor?.document);
    }),
    trust.onDidGrant(() => log.info("workspace trusted: running flows and loading artifact values is allowed")),
  ];
}
