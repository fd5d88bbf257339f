// One comparison tab per pair of runs: computes the comparison (runtime/src/compare: hashes decide,
// nothing is loaded), posts it to the page, opens a changed code file in VS Code's diff editor,
// and loads the changed values only in a trusted workspace (loading unpickles them).
import { randomBytes } from "node:crypto";
import * as vscode from "vscode";
import { compareTwoRuns, loadChangedValues, readRunCode, readRunSnapshot } from "../../../runtime/src/compare";
import type { FlowDatastore } from "../../../runtime/src/datastore/layout";
import { isCompareWebviewMessage, type CompareHostMessage, type CompareWebviewMessage, type RunComparison } from "../../../server/src/protocol/runComparison";
import type { InterpreterService } from "../interpreter";
import type { TrustGate } from "../trust/gate";
import { offerTrust } from "../trust/vscodeTrust";
import { compareHtmlText } from "./compareHtml";

export const compareViewType = "flowlens.compareRuns";
export const compareScheme = "flowlens-compare";

export interface CompareTarget {
  ds: FlowDatastore;
  a: string;
  b: string;
}

export type RenderedComparison = Extract<CompareWebviewMessage, { type: "rendered" }>;

export interface ComparePanelDeps {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  trust: TrustGate;
  interpreter: InterpreterService;
  /** The code files shown in the diff editor, by URI. */
  documents: Map<string, string>;
  rendered: vscode.EventEmitter<RenderedComparison>;
}

export class ComparePanels {
  private readonly panels = new Map<string, vscode.WebviewPanel>();

  constructor(private readonly deps: ComparePanelDeps) {}

  /** Opens (or shows again) the tab comparing run a with run b of the datastore's flow. */
  open(target: CompareTarget): void {
    const key = `${target.ds.flow}/${target.a}..${target.b}`;
    const existing = this.panels.get(key);
    if (existing) {
      existing.reveal();
      return;
    }
    const dist = vscode.Uri.joinPath(this.deps.extensionUri, "dist");
    const panel = vscode.window.createWebviewPanel(compareViewType, `Compare ${target.ds.flow} ${target.a} ↔ ${target.b}`, vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [dist], retainContextWhenHidden: true });
    this.panels.set(key, panel);
    const w = panel.webview;
    w.html = compareHtmlText({ nonce: randomBytes(16).toString("base64"), cspSource: w.cspSource, scriptUri: w.asWebviewUri(vscode.Uri.joinPath(dist, "comparePanel.js")).toString(), cssUri: w.asWebviewUri(vscode.Uri.joinPath(dist, "media", "comparePanel.css")).toString(), title: `Compare ${target.ds.flow}` });
    let comparison: RunComparison | undefined;
    const post = (m: CompareHostMessage): void => void w.postMessage(m);
    const send = async (): Promise<void> => {
      try {
        comparison ??= await compareTwoRuns(target.ds, target.a, target.b);
        post({ type: "comparison", comparison, trusted: this.deps.trust.trusted });
      } catch (error) {
        post({ type: "compareError", message: `Cannot compare ${key}: ${error instanceof Error ? error.message : String(error)}` });
      }
    };
    const sub = w.onDidReceiveMessage(async (raw: unknown) => {
      if (!isCompareWebviewMessage(raw)) return;
      if (raw.type === "ready") await send();
      else if (raw.type === "rendered") {
        this.deps.log.info(`comparison ${key} drawn in ${raw.ms} ms (${raw.changed} differences)`);
        this.deps.rendered.fire(raw);
      } else if (raw.type === "openCodeDiff") await this.openCodeDiff(target, raw.path);
      else if (raw.type === "loadValues" && comparison) {
        const loaded = comparison;
        if (await this.loadValues(target, loaded)) post({ type: "comparison", comparison: loaded, trusted: true });
      }
    });
    panel.onDidDispose(() => {
      sub.dispose();
      this.panels.delete(key);
    });
  }

  /** Unpickles the changed values with the flow's interpreter; in Restricted Mode says why not and offers trust. */
  private async loadValues(target: CompareTarget, comparison: RunComparison): Promise<boolean> {
    const file = comparison.b.file ?? comparison.a.file;
    try {
      const gated = await this.deps.trust.run("compare", async () => {
        const python = (await this.deps.interpreter.resolve(file ? vscode.Uri.file(file) : undefined)).path;
        return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: "Loading the changed values…" }, () =>
          loadChangedValues(comparison, { python, pythonDir: vscode.Uri.joinPath(this.deps.extensionUri, "dist", "python").fsPath, flow: target.ds.flow, env: target.ds.store.pythonEnvironment(), ...(file ? { flowFile: file } : {}) }),
        );
      });
      if (!gated.allowed) {
        offerTrust(gated.message);
        return false;
      }
      if (gated.value > 0) void vscode.window.showInformationMessage(`Flowlens: ${gated.value} more changed values were not loaded (the first 200 were).`);
      return true;
    } catch (error) {
      void vscode.window.showErrorMessage(`Flowlens: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  /** A changed file of the two code packages, side by side in the diff editor. */
  private async openCodeDiff(target: CompareTarget, path: string): Promise<void> {
    const uris: vscode.Uri[] = [];
    for (const run of [target.a, target.b]) {
      const code = await readRunCode(target.ds, await readRunSnapshot(target.ds, run));
      if ("reason" in code) {
        void vscode.window.showErrorMessage(`Flowlens: ${code.reason}.`);
        return;
      }
      const uri = vscode.Uri.from({ scheme: compareScheme, path: `/${target.ds.flow}/run-${run}/${path}` });
      this.deps.documents.set(uri.toString(), code.files.get(path)?.toString("utf8") ?? "");
      uris.push(uri);
    }
    const [left, right] = uris as [vscode.Uri, vscode.Uri];
    await vscode.commands.executeCommand("vscode.diff", left, right, `${path}: run ${target.a} ↔ run ${target.b}`);
  }
}
