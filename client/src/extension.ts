// The Flowlens extension's entry point (bundled to dist/client.js).
// Activation stays cheap (target ≤ 100 ms): it builds the services (createServices.ts) and lets
// each feature register its commands, views and listeners on them; the language server starts
// only once a flow file is open (a regex check of the text, see flowDetection.ts) or a Flowlens
// command needs it.
import * as vscode from "vscode";
import type { FlowlensApi } from "./api";
import { registerCards } from "./cards/register";
import { registerCompare } from "./compare/register";
import { createServices } from "./createServices";
import { registerExplorer } from "./explorer/register";
import { registerGraph } from "./graphFeature";
import { registerHoverValues } from "./hoverValues/register";
import type { FlowlensLanguageClient } from "./languageClient";
import { registerLogs } from "./logs/register";
import { registerPreviews } from "./previews/register";
import { registerRuns } from "./runs/register";
import { registerServer } from "./serverFeature";
import type { Feature } from "./services";
import { registerTerminalEnvironment } from "./terminalEnvironment";
import { testHooks } from "./testHooks";
import { registerTimeline } from "./timeline/register";
import { registerWelcome } from "./welcome/register";

export type { FlowlensApi } from "./api";

/** Every feature of the extension, each given the same services. A new feature is one line here. */
const features: Feature[] = [
  registerServer,
  registerGraph,
  registerRuns,
  registerLogs,
  registerExplorer,
  registerPreviews,
  registerCards,
  registerTimeline,
  registerHoverValues,
  registerWelcome,
  registerCompare,
  registerTerminalEnvironment,
];

let languageServer: FlowlensLanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): FlowlensApi {
  const t0 = performance.now();
  const services = createServices(context);
  languageServer = services.server;
  for (const register of features) context.subscriptions.push(...register(services));

  const activationMs = Math.round((performance.now() - t0) * 10) / 10;
  services.log.info(`Flowlens activated in ${activationMs} ms${vscode.workspace.isTrusted ? "" : " (Restricted Mode: analysis only, no Python is started)"}`);
  return {
    activationMs,
    serverRunning: () => services.server.running,
    graphPanelVisible: () => services.graph.visible,
    onDidRenderGraph: services.graph.onDidRender,
    test: testHooks(services),
  };
}

export async function deactivate(): Promise<void> {
  await languageServer?.dispose();
}
