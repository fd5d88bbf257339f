// The datastore the `flowlens.datastore.*` settings describe, from a reader of those settings.
// Pure (no `vscode`): datastoreConfig.ts passes a reader that, in an untrusted workspace, sees
// only the user's own values (client/src/trust/restrictedSettings.ts), so a repository cannot
// point the Runs view, and the user's credentials, at an endpoint or bucket of its choosing.
import * as path from "node:path";

export interface DatastoreConfig {
  kind: "local" | "s3";
  /** An absolute folder or s3://bucket/prefix. */
  root: string;
  /** Extra environment for the CLI and the preview script (the S3 endpoint). */
  env: Record<string, string>;
}

/** Reads `flowlens.datastore.<key>` (already trimmed), or `fallback` when unset. */
export type DatastoreSettingReader = (key: "type" | "root" | "s3Root" | "s3EndpointUrl", fallback: string) => string;

/** `base`: the folder a relative local root is resolved against (the workspace folder). */
export function datastoreFromSettings(read: DatastoreSettingReader, base: string): DatastoreConfig {
  if (read("type", "local") === "s3") {
    const endpoint = read("s3EndpointUrl", "");
    return { kind: "s3", root: read("s3Root", ""), env: endpoint ? { AWS_ENDPOINT_URL_S3: endpoint } : {} };
  }
  const setting = read("root", ".metaflow") || ".metaflow";
  return { kind: "local", root: path.isAbsolute(setting) ? setting : path.join(base, setting), env: {} };
}
