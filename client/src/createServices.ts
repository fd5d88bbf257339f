// Builds the services object (services.ts) once, in activate(). Each service gets, in its
// constructor, exactly the others it needs; where two need each other (a run's end notification
// offers "Resume", and the launcher starts runs on the run manager) the link is a function that
// reads the services object when it is called, after everything is built. Building stays cheap:
// no server start, no file read, no process.
import * as vscode from "vscode";
import { CardService } from "./cards/service";
import { CompareService } from "./compare/service";
import { ExplorerService } from "./explorer/service";
import { GraphPanels } from "./graphPanels";
import { InterpreterService } from "./interpreter";
import { FlowlensLanguageClient } from "./languageClient";
import { showStepLogs } from "./runs/graphActions";
import { RunLauncher } from "./runs/launcher";
import { RunManager } from "./runs/runManager";
import { TimelineService } from "./timeline/service";
import type { Services } from "./services";
import { vscodeTrustGate } from "./trust/vscodeTrust";

export function createServices(context: vscode.ExtensionContext): Services {
  const { extensionUri } = context;
  const log = vscode.window.createOutputChannel("Flowlens", { log: true });
  const server = new FlowlensLanguageClient(vscode.Uri.joinPath(extensionUri, "dist", "server.js").fsPath, log);
  const trust = vscodeTrustGate();
  const interpreter = new InterpreterService(log, trust);
  const explorer = new ExplorerService(log, trust);
  const cards = new CardService(extensionUri, log, () => explorer.model());
  const graph = new GraphPanels({ extensionUri, source: server, log, openStepCard: (flow, step) => void cards.openStepCard(flow, step), showTimeline: (ref) => timeline.show(ref), showStepLogs: (step) => void showStepLogs(runs, step) });
  const runs: RunManager = new RunManager({
    extensionUri,
    interpreter,
    log,
    graph,
    endActions: { openArtifacts: (flow, runId) => explorer.revealRun(flow, runId), resume: (run): Promise<unknown> => launcher.resume(run) },
  });
  const timeline: TimelineService = new TimelineService({ extensionUri, log, runs, explorer, graph });
  const compare = new CompareService({ extensionUri, log, trust, interpreter });
  const launcher: RunLauncher = new RunLauncher({ workspaceState: context.workspaceState, manager: runs, interpreter, trust, flows: server, log });
  // Disposed in reverse order at deactivation; the language server is stopped by deactivate().
  context.subscriptions.push(log, interpreter, explorer, cards, graph, runs, timeline, compare);
  return { context, log, trust, interpreter, server, graph, runs, launcher, explorer, cards, timeline, compare };
}
