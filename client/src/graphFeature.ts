// The graph panel's commands: Show graph (a CodeLens, a file URI from the explorer or the editor
// title, or the active editor), the view commands of its title bar, and the serializer that brings
// the panel back after a reload. The panel itself is the graph service (graphPanels.ts).
import * as vscode from "vscode";
import { contributedCommands as ids, parseLensArguments } from "../../server/src/protocol/commands";
import type { ViewCommand } from "../../server/src/protocol/webview";
import { graphViewType } from "./graphPanel";
import type { Services } from "./services";

const viewCommands: [string, ViewCommand][] = [
  [ids.graphFit, "fit"],
  [ids.graphZoomIn, "zoomIn"],
  [ids.graphZoomOut, "zoomOut"],
  [ids.graphExportSvg, "exportSvg"],
  [ids.graphExportPng, "exportPng"],
];

export function registerGraph({ graph, server }: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(ids.showGraph, (raw: unknown) => {
      const lens = parseLensArguments(raw);
      const uri = lens ? vscode.Uri.parse(lens.uri) : raw instanceof vscode.Uri ? raw : vscode.window.activeTextEditor?.document.uri;
      if (!uri) {
        void vscode.window.showInformationMessage("Flowlens: open a flow file (a Python file with a FlowSpec class) to show its graph.");
        return;
      }
      graph.show(uri, lens?.flow);
    }),
    ...viewCommands.map(([id, command]) => vscode.commands.registerCommand(id, () => graph.viewCommand(command))),
    vscode.window.registerWebviewPanelSerializer(graphViewType, {
      deserializeWebviewPanel: (panel: vscode.WebviewPanel, state: unknown) => {
        void server.start();
        graph.revive(panel, state);
        return Promise.resolve();
      },
    }),
  ];
}
