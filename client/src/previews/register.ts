// Artifact previews in editor tabs and "Compare with…". JSON-native values and strings open as
// read-only text documents (formatted JSON, plain text); arrays, frames, images and errors open in
// a webview with no script (paging through command links). "Compare with…" diffs the same
// artifact in another run: JSON as text, arrays/frames as a shape and statistics summary.
// Loading a value unpickles it: in Restricted Mode no Python starts; a click shows what the run
// stored without unpickling (trust/storedPreview.ts) and offers to trust the workspace.
import { randomBytes } from "node:crypto";
import * as vscode from "vscode";
import type { InterpreterService } from "../interpreter";
import { datastoreConfig } from "../runs/datastoreConfig";
import type { ArtifactItem, ExplorerModel, RunItem, TaskItem } from "../explorer/treeModel";
import type { PreviewResult, TableSort } from "./previewResult";
import { comparisonText, previewHtml } from "./previewResult";
import { runPreview } from "./previewRunner";
import type { TrustGate } from "../trust/gate";
import { restrictedMessage } from "../trust/gate";
import { storedPreview } from "../trust/storedPreview";
import { offerTrust } from "../trust/vscodeTrust";

const scheme = "flowlens-artifact";
const pageSize = 50;

function isTableSort(x: unknown): x is TableSort {
  return typeof x === "object" && x !== null && typeof (x as { column?: unknown }).column === "string" && typeof (x as { descending?: unknown }).descending === "boolean";
}

function isArtifact(x: unknown): x is ArtifactItem {
  return typeof x === "object" && x !== null && (x as { kind?: unknown }).kind === "artifact" && typeof (x as { sha?: unknown }).sha === "string";
}

export function registerPreviews(context: vscode.ExtensionContext, interpreter: InterpreterService, log: vscode.LogOutputChannel, trust: TrustGate): vscode.Disposable[] {
  const docs = new Map<string, string>();
  const panels = new Map<string, vscode.WebviewPanel>();
  const pythonDir = vscode.Uri.joinPath(context.extensionUri, "dist", "python").fsPath;

  async function load(a: ArtifactItem, offset = 0, sort?: TableSort): Promise<PreviewResult> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const store = datastoreConfig(folder);
    const model = await vscode.commands.executeCommand<ExplorerModel | undefined>("flowlens.explorer.model");
    const record = model ? await model.ds(a.flow).readRunRecord(a.runId).catch(() => undefined) : undefined;
    const flowFile = record?.file;
    const python = (await interpreter.resolve(flowFile ? vscode.Uri.file(flowFile) : folder)).path;
    const t0 = Date.now();
    const result = await runPreview({ python, pythonDir, datastore: store, flow: a.flow, sha: a.sha, offset, limit: pageSize, ...(flowFile ? { flowFile } : {}), ...(sort ? { sort } : {}) });
    log.info(`preview ${a.flow}/${a.runId}/${a.step}/${a.taskId}.${a.name}: ${result.kind} in ${Date.now() - t0} ms`);
    return result;
  }

  function openText(a: ArtifactItem, text: string, ext: string, label = `run-${a.runId}`): vscode.Uri {
    const uri = vscode.Uri.from({ scheme, path: `/${a.flow}/${label}/${a.step}/${a.taskId}/${a.name}.${ext}` });
    docs.set(uri.toString(), text);
    return uri;
  }

  /** Restricted Mode: the stored preview as a read-only document, and the reason values are not loaded. */
  async function showStored(a: ArtifactItem, message: string): Promise<string> {
    const stored = storedPreview(a);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(openText(a, stored.text, stored.ext)), { preview: true });
    offerTrust(message);
    return message;
  }

  async function preview(raw: unknown, offset = 0, sort?: TableSort): Promise<PreviewResult | string | undefined> {
    if (!isArtifact(raw)) return undefined;
    const a = raw;
    const gated = await trust.run("preview", () => vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Loading ${a.name}…` }, () => load(a, offset, sort)));
    if (!gated.allowed) return showStored(a, gated.message);
    const result = gated.value;
    if (result.kind === "json" || result.kind === "text") {
      const text = result.kind === "json" ? `${JSON.stringify(result.value, null, 2)}\n` : result.text;
      const uri = openText(a, text, result.kind === "json" ? "json" : "txt");
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
      return result;
    }
    const key = `${a.flow}/${a.runId}/${a.step}/${a.taskId}/${a.name}`;
    let panel = panels.get(key);
    if (!panel) {
      // Command URIs (paging) need enableCommandUris; scripts stay off.
      panel = vscode.window.createWebviewPanel("flowlens.artifactPreview", `${a.name} (${a.runId}/${a.step})`, vscode.ViewColumn.Active, { enableScripts: false, enableCommandUris: ["flowlens.artifact.page"], localResourceRoots: [] });
      panels.set(key, panel);
      panel.onDidDispose(() => panels.delete(key));
    }
    const link = (o: number, s: TableSort | undefined): string => `command:flowlens.artifact.page?${encodeURIComponent(JSON.stringify(s ? [a, o, s] : [a, o]))}`;
    const shownSort = result.kind === "table" ? result.sort : undefined;
    const pageLink = (o: number): string => link(o, shownSort);
    const sortLink = (s: TableSort): string => link(0, s);
    panel.webview.html = previewHtml(result, { title: `${a.name}`, where: `${a.flow}/${a.runId}/${a.step}/${a.taskId} · ${a.name}`, nonce: randomBytes(16).toString("base64"), pageLink, sortLink });
    panel.reveal(undefined, false);
    return result;
  }

  async function compareWith(raw: unknown): Promise<string | undefined> {
    if (!isArtifact(raw)) return undefined;
    const a = raw;
    // Refused before the run picker, so nobody picks a run only to be told no.
    if (!trust.trusted) return refuseCompare();
    const model = await vscode.commands.executeCommand<ExplorerModel | undefined>("flowlens.explorer.model");
    if (!model) return undefined;
    const runs = (await model.runs(a.flow)).filter((r): r is RunItem => r.kind === "run" && r.runId !== a.runId);
    const pick = await vscode.window.showQuickPick(
      runs.map((r) => ({ label: `Run ${r.runId}`, description: `${r.status}${r.startedAt ? ` · ${new Date(r.startedAt).toLocaleString()}` : ""}`, run: r })),
      { title: `Compare ${a.name} (${a.flow}/${a.runId}/${a.step}) with the same artifact in…` },
    );
    if (!pick) return undefined;
    return compareRuns(a, pick.run.runId);
  }

  async function compareRuns(a: ArtifactItem, otherRun: string): Promise<string | undefined> {
    const model = await vscode.commands.executeCommand<ExplorerModel | undefined>("flowlens.explorer.model");
    if (!model) return undefined;
    const tasks = (await model.tasks(a.flow, otherRun, a.step)).filter((t): t is TaskItem => t.kind === "task");
    const same = tasks.find((t) => t.taskId === a.taskId) ?? tasks[0];
    const other = same ? (await model.artifacts(same)).find((x): x is ArtifactItem => x.kind === "artifact" && x.name === a.name) : undefined;
    if (!other) {
      void vscode.window.showInformationMessage(`Run ${otherRun} has no artifact ${a.name} in step ${a.step}.`);
      return undefined;
    }
    const gated = await trust.run("compare", () => Promise.all([load(other), load(a)]));
    if (!gated.allowed) return refuseCompare();
    const [left, right] = gated.value;
    const ext = left.kind === "json" && right.kind === "json" ? "json" : "txt";
    const lu = openText(other, comparisonText(left), ext, `run-${other.runId}`);
    const ru = openText(a, comparisonText(right), ext, `run-${a.runId}`);
    await vscode.commands.executeCommand("vscode.diff", lu, ru, `${a.name}: run ${other.runId} ↔ run ${a.runId}`);
    return `${comparisonText(left)}\n---\n${comparisonText(right)}`;
  }

  function refuseCompare(): string {
    const message = restrictedMessage("compare");
    offerTrust(message);
    return message;
  }

  return [
    vscode.workspace.registerTextDocumentContentProvider(scheme, { provideTextDocumentContent: (uri) => docs.get(uri.toString()) ?? "" }),
    vscode.commands.registerCommand("flowlens.artifact.preview", (raw: unknown, offset?: number) => preview(raw, typeof offset === "number" ? offset : 0)),
    vscode.commands.registerCommand("flowlens.artifact.page", (raw: unknown, offset: unknown, sort: unknown) => preview(raw, typeof offset === "number" ? offset : 0, isTableSort(sort) ? sort : undefined)),
    vscode.commands.registerCommand("flowlens.artifact.compareWith", (raw: unknown, otherRun?: unknown) => (isArtifact(raw) && typeof otherRun === "string" ? compareRuns(raw, otherRun) : compareWith(raw))),
  ];
}
