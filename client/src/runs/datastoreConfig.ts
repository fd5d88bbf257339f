// Which datastore the editor's runs, explorer and previews use, from the `flowlens.datastore.*`
// settings and the CLI's root rule (runtime/src/datastore/root.ts, from the workspace folder): a
// local folder or an S3 root with an optional endpoint. One place, so runs write where the
// explorer reads, and where `flowlens run` in a terminal at the workspace folder writes. These settings are restricted:
// in an untrusted workspace only the user's own values count (see datastoreSettings.ts).
import * as path from "node:path";
import * as vscode from "vscode";
import { restrictedValue } from "../trust/restrictedSettings";
import { datastoreFromSettings } from "./datastoreSettings";
import type { DatastoreConfig } from "./datastoreSettings";

export type { DatastoreConfig } from "./datastoreSettings";

export function datastoreConfig(scope?: vscode.Uri): DatastoreConfig {
  const c = vscode.workspace.getConfiguration("flowlens.datastore", scope);
  const trusted = vscode.workspace.isTrusted;
  const folder = (scope && vscode.workspace.getWorkspaceFolder(scope)) ?? vscode.workspace.workspaceFolders?.[0];
  const base = folder?.uri.fsPath ?? (scope ? path.dirname(scope.fsPath) : process.cwd());
  return datastoreFromSettings((key, fallback) => String(restrictedValue(c.inspect<string>(key), trusted, fallback)).trim(), base, process.env);
}
