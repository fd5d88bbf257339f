// The way back to the walkthrough: "Flowlens: Get Started" opens it, and the Runs view's empty
// state links to it. On the Welcome page VS Code shows only its five best-ranked walkthroughs;
// `featuredFor` in package.json ranks ours among them in a workspace that has flows.
import * as vscode from "vscode";
import { contributedCommands as ids } from "../../../server/src/protocol/commands";
import type { Services } from "../services";

/** The walkthrough's id as VS Code knows it: `<publisher>.<name>#<walkthrough id>`. */
export function walkthroughId(context: vscode.ExtensionContext): string {
  return `${context.extension.id}#flowlens.gettingStarted`;
}

export function registerWelcome({ context }: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(ids.gettingStarted, async () => {
      await vscode.commands.executeCommand("workbench.action.openWalkthrough", walkthroughId(context), false);
      return walkthroughId(context);
    }),
  ];
}
