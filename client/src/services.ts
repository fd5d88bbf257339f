// The extension's services: one object, built once in activate() (createServices.ts), handed to
// every feature's register function. A feature finds here what other features offer, typed, and
// calls it: it never reaches another feature through a command string or a static field.
// Commands are the user's edge only (server/src/protocol/commands.ts).
import type * as vscode from "vscode";
import type { CardService } from "./cards/service";
import type { CompareService } from "./compare/service";
import type { ExplorerService } from "./explorer/service";
import type { GraphPanels } from "./graphPanels";
import type { InterpreterService } from "./interpreter";
import type { FlowlensLanguageClient } from "./languageClient";
import type { RunLauncher } from "./runs/launcher";
import type { RunManager } from "./runs/runManager";
import type { TimelineService } from "./timeline/service";
import type { TrustGate } from "./trust/gate";

export interface Services {
  readonly context: vscode.ExtensionContext;
  /** The "Flowlens" output channel. */
  readonly log: vscode.LogOutputChannel;
  /** Workspace Trust: every feature that would start Python asks it first. */
  readonly trust: TrustGate;
  /** Which Python runs a file's flows. */
  readonly interpreter: InterpreterService;
  /** The language server: started on the first flow file; graphs (`flowlens/graph`) and run facts (`flowlens/flowInfo`). */
  readonly server: FlowlensLanguageClient;
  /** The graph panel: show a file's graph, run marks, view commands, its drawings. */
  readonly graph: GraphPanels;
  /** Runs started from the editor: the latest, the running ones, stop, their events. */
  readonly runs: RunManager;
  /** Starts runs (trust, flow, parameters or step, then the run manager). */
  readonly launcher: RunLauncher;
  /** The Runs view: the datastore model, reveal a run. */
  readonly explorer: ExplorerService;
  /** Card tabs: open a card, a step's latest card. */
  readonly cards: CardService;
  /** Run timeline tabs: show a run's timeline, its drawings. */
  readonly timeline: TimelineService;
  /** Run comparison tabs: open one, their drawings. */
  readonly compare: CompareService;
}

/**
 * A feature of the extension: registers its commands, views and listeners on the services and
 * returns what to dispose at deactivation. Listed once in extension.ts.
 */
export type Feature = (services: Services) => vscode.Disposable[];
