// The run timeline feature's command: "Flowlens: Show Run Timeline" (command palette, the Runs
// view's run node), and the serializer that brings its tabs back after a window reload. The graph
// panel's Timeline button calls the service (service.ts) directly.
import * as vscode from "vscode";
import { contributedCommands as ids } from "../../../server/src/protocol/commands";
import type { Services } from "../services";
import { timelineViewType } from "./timelinePanel";

export function registerTimeline({ timeline }: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(ids.showRunTimeline, (raw: unknown) => timeline.show(raw)),
    vscode.window.registerWebviewPanelSerializer(timelineViewType, {
      deserializeWebviewPanel: (panel: vscode.WebviewPanel, state: unknown) => {
        timeline.revive(panel, state);
        return Promise.resolve();
      },
    }),
  ];
}
