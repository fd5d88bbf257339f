// The artifact preview commands: Preview (a click in the Runs view), its paging links, and
// "Compare with…". The previews themselves are artifactPreviews.ts.
import * as vscode from "vscode";
import { contributedCommands as ids, linkCommands } from "../../../server/src/protocol/commands";
import type { Services } from "../services";
import { ArtifactPreviews, isArtifact, isTableSort, previewScheme } from "./artifactPreviews";

export function registerPreviews({ context, interpreter, log, trust, explorer }: Services): vscode.Disposable[] {
  const previews = new ArtifactPreviews({ extensionUri: context.extensionUri, interpreter, log, trust, explorer });
  const offsetOf = (offset: unknown): number => (typeof offset === "number" ? offset : 0);
  return [
    vscode.workspace.registerTextDocumentContentProvider(previewScheme, previews),
    vscode.commands.registerCommand(ids.previewArtifact, (raw: unknown, offset?: unknown) => previews.preview(raw, offsetOf(offset))),
    vscode.commands.registerCommand(linkCommands.artifactPage, (raw: unknown, offset?: unknown, sort?: unknown) => previews.preview(raw, offsetOf(offset), isTableSort(sort) ? sort : undefined)),
    vscode.commands.registerCommand(ids.compareArtifact, (raw: unknown, otherRun?: unknown) => (isArtifact(raw) && typeof otherRun === "string" ? previews.compareRuns(raw, otherRun) : previews.compareWith(raw))),
  ];
}
