// Which datastore the editor's runs, explorer and previews use, from the `flowlens.datastore.*`
// settings: a local folder (relative to the workspace folder) or an S3 root with an optional
// endpoint. One place, so runs write where the explorer reads.
import * as path from "node:path";
import * as vscode from "vscode";

export interface DatastoreConfig {
  kind: "local" | "s3";
  /** An absolute folder or s3://bucket/prefix. */
  root: string;
  /** Extra environment for the CLI and the preview script (the S3 endpoint). */
  env: Record<string, string>;
}

export function datastoreConfig(scope?: vscode.Uri): DatastoreConfig {
  const c = vscode.workspace.getConfiguration("flowlens.datastore", scope);
  const kind = c.get<string>("type", "local") === "s3" ? "s3" : "local";
  if (kind === "s3") {
    const endpoint = c.get<string>("s3EndpointUrl", "").trim();
    return { kind, root: c.get<string>("s3Root", "").trim(), env: endpoint ? { AWS_ENDPOINT_URL_S3: endpoint } : {} };
  }
  const folder = (scope && vscode.workspace.getWorkspaceFolder(scope)) ?? vscode.workspace.workspaceFolders?.[0];
  const setting = c.get<string>("root", ".metaflow").trim() || ".metaflow";
  const base = folder?.uri.fsPath ?? (scope ? path.dirname(scope.fsPath) : process.cwd());
  return { kind, root: path.isAbsolute(setting) ? setting : path.join(base, setting), env: {} };
}
