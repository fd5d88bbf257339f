// The datastore the `flowlens.datastore.*` settings describe, from a reader of those settings.
// Pure (no `vscode`): datastoreConfig.ts passes a reader that, in an untrusted workspace, sees
// only the user's own values (client/src/trust/restrictedSettings.ts), so a repository cannot
// point the Runs view, and the user's credentials, at an endpoint or bucket of its choosing.
import { datastoreRoot } from "../../../runtime/src/datastore/root";

export interface DatastoreConfig {
  kind: "local" | "s3";
  /** An absolute folder or s3://bucket/prefix. */
  root: string;
  /** Extra environment for the CLI and the preview script (the S3 endpoint). */
  env: Record<string, string>;
}

/** Reads `flowlens.datastore.<key>` (already trimmed), or `fallback` when unset. */
export type DatastoreSettingReader = (key: "type" | "root" | "s3Root" | "s3EndpointUrl", fallback: string) => string;

/**
 * `base`: the workspace folder, where the CLI's rule starts (runtime/src/datastore/root.ts), as
 * `flowlens run` in a terminal there would: a setting first, then the environment, then the
 * nearest `.metaflow` folder at or above the workspace folder, else a new one in it.
 */
export function datastoreFromSettings(read: DatastoreSettingReader, base: string, env: Readonly<Record<string, string | undefined>> = {}): DatastoreConfig {
  if (read("type", "local") === "s3") {
    const endpoint = read("s3EndpointUrl", "");
    return { kind: "s3", root: datastoreRoot({ kind: "s3", given: read("s3Root", ""), env, cwd: base }), env: endpoint ? { AWS_ENDPOINT_URL_S3: endpoint } : {} };
  }
  return { kind: "local", root: datastoreRoot({ kind: "local", given: read("root", ""), env, cwd: base }), env: {} };
}
