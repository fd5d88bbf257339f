// Artifact previews in editor tabs and "Compare with…". JSON-native values and strings open as
// read-only text documents (formatted JSON, plain text); arrays, frames, images and errors open in
// a webview with no script (paging through command links). "Compare with…" diffs the same
// artifact in another run: JSON as text, arrays/frames as a shape and statistics summary.
// Loading a value unpickles it: in Restricted Mode no Python starts; a click shows what the run
// stored without unpickling (trust/storedPreview.ts) and offers to trust the workspace. The
// commands that call this are in register.ts.
import { randomBytes } from "node:crypto";
import * as vscode from "vscode";
import type { InterpreterService } from "../interpreter";
import type { ExplorerService } from "../explorer/service";
import type { ArtifactItem, RunItem, TaskItem } from "../explorer/treeModel";
import type { PreviewResult, TableSort } from "./previewResult";
import { comparisonText, previewHtml } from "./previewResult";
import { loadArtifactValue } from "./loadValue";
import type { TrustGate } from "../trust/gate";
import { restrictedMessage } from "../trust/gate";
import { storedPreview } from "../trust/storedPreview";
import { offerTrust } from "../trust/vscodeTrust";
import { linkCommands } from "../../../server/src/protocol/commands";

export const previewScheme = "flowlens-artifact";
const pageSize = 50;

export function isTableSort(x: unknown): x is TableSort {
  return typeof x === "object" && x !== null && typeof (x as { column?: unknown }).column === "string" && typeof (x as { descending?: unknown }).descending === "boolean";
}

export function isArtifact(x: unknown): x is ArtifactItem {
  return typeof x === "object" && x !== null && (x as { kind?: unknown }).kind === "artifact" && typeof (x as { sha?: unknown }).sha === "string";
}

export interface PreviewDeps {
  extensionUri: vscode.Uri;
  interpreter: InterpreterService;
  log: vscode.LogOutputChannel;
  trust: TrustGate;
  explorer: ExplorerService;
}

export class ArtifactPreviews implements vscode.TextDocumentContentProvider {
  private readonly docs = new Map<string, string>();
  private readonly panels = new Map<string, vscode.WebviewPanel>();
  private readonly pythonDir: string;

  constructor(private readonly deps: PreviewDeps) {
    this.pythonDir = vscode.Uri.joinPath(deps.extensionUri, "dist", "python").fsPath;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? "";
  }

  private load(a: ArtifactItem, offset = 0, sort?: TableSort): Promise<PreviewResult> {
    const { interpreter, log, explorer } = this.deps;
    return loadArtifactValue({ interpreter, log, pythonDir: this.pythonDir, model: () => explorer.model() }, a, { offset, limit: pageSize, ...(sort ? { sort } : {}) });
  }

  private openText(a: ArtifactItem, text: string, ext: string, label = `run-${a.runId}`): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: previewScheme, path: `/${a.flow}/${label}/${a.step}/${a.taskId}/${a.name}.${ext}` });
    this.docs.set(uri.toString(), text);
    return uri;
  }

  /** Restricted Mode: the stored preview as a read-only document, and the reason values are not loaded. */
  private async showStored(a: ArtifactItem, message: string): Promise<string> {
    const stored = storedPreview(a);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(this.openText(a, stored.text, stored.ext)), { preview: true });
    offerTrust(message);
    return message;
  }

  async preview(raw: unknown, offset = 0, sort?: TableSort): Promise<PreviewResult | string | undefined> {
    if (!isArtifact(raw)) return undefined;
    const a = raw;
    const gated = await this.deps.trust.run("preview", () => vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Loading ${a.name}…` }, () => this.load(a, offset, sort)));
    if (!gated.allowed) return this.showStored(a, gated.message);
    const result = gated.value;
    if (result.kind === "json" || result.kind === "text") {
      const text = result.kind === "json" ? `${JSON.stringify(result.value, null, 2)}\n` : result.text;
      const uri = this.openText(a, text, result.kind === "json" ? "json" : "txt");
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
      return result;
    }
    const key = `${a.flow}/${a.runId}/${a.step}/${a.taskId}/${a.name}`;
    let panel = this.panels.get(key);
    if (!panel) {
      // Command URIs (paging) need enableCommandUris; scripts stay off.
      panel = vscode.window.createWebviewPanel("flowlens.artifactPreview", `${a.name} (${a.runId}/${a.step})`, vscode.ViewColumn.Active, { enableScripts: false, enableCommandUris: [linkCommands.artifactPage], localResourceRoots: [] });
      this.panels.set(key, panel);
      panel.onDidDispose(() => this.panels.delete(key));
    }
    // Paging keeps the sort shown; a column header's link sorts from the first page.
    const link = (o: number, s: TableSort | undefined): string => `command:${linkCommands.artifactPage}?${encodeURIComponent(JSON.stringify(s ? [a, o, s] : [a, o]))}`;
    const shownSort = result.kind === "table" ? result.sort : undefined;
    const pageLink = (o: number): string => link(o, shownSort);
    const sortLink = (s: TableSort): string => link(0, s);
    panel.webview.html = previewHtml(result, { title: `${a.name}`, where: `${a.flow}/${a.runId}/${a.step}/${a.taskId} · ${a.name}`, nonce: randomBytes(16).toString("base64"), pageLink, sortLink });
    panel.reveal(undefined, false);
    return result;
  }

  async compareWith(raw: unknown): Promise<string | undefined> {
    if (!isArtifact(raw)) return undefined;
    const a = raw;
    // Refused before the run picker, so nobody picks a run only to be told no.
    if (!this.deps.trust.trusted) return this.refuseCompare();
    const model = await this.deps.explorer.model();
    const runs = (await model.runs(a.flow)).filter((r): r is RunItem => r.kind === "run" && r.runId !== a.runId);
    const pick = await vscode.window.showQuickPick(
      runs.map((r) => ({ label: `Run ${r.runId}`, description: `${r.status}${r.startedAt ? ` · ${new Date(r.startedAt).toLocaleString()}` : ""}`, run: r })),
      { title: `Compare ${a.name} (${a.flow}/${a.runId}/${a.step}) with the same artifact in…` },
    );
    if (!pick) return undefined;
    return this.compareRuns(a, pick.run.runId);
  }

  async compareRuns(a: ArtifactItem, otherRun: string): Promise<string | undefined> {
    const model = await this.deps.explorer.model();
    const tasks = (await model.tasks(a.flow, otherRun, a.step)).filter((t): t is TaskItem => t.kind === "task");
    const same = tasks.find((t) => t.taskId === a.taskId) ?? tasks[0];
    const other = same ? (await model.artifacts(same)).find((x): x is ArtifactItem => x.kind === "artifact" && x.name === a.name) : undefined;
    if (!other) {
      void vscode.window.showInformationMessage(`Run ${otherRun} has no artifact ${a.name} in step ${a.step}.`);
      return undefined;
    }
    const gated = await this.deps.trust.run("compare", () => Promise.all([this.load(other), this.load(a)]));
    if (!gated.allowed) return this.refuseCompare();
    const [left, right] = gated.value;
    const ext = left.kind === "json" && right.kind === "json" ? "json" : "txt";
    const lu = this.openText(other, comparisonText(left), ext, `run-${other.runId}`);
    const ru = this.openText(a, comparisonText(right), ext, `run-${a.runId}`);
    await vscode.commands.executeCommand("vscode.diff", lu, ru, `${a.name}: run ${other.runId} ↔ run ${a.runId}`);
    return `${comparisonText(left)}\n---\n${comparisonText(right)}`;
  }

  private refuseCompare(): string {
    const message = restrictedMessage("compare");
    offerTrust(message);
    return message;
  }
}
