// The `flowlens.kubernetes.*` settings as the environment of a run started from the editor: the
// same variables a terminal user exports (runtime/src/executors/kubernetes/settings.ts reads
// them), passed beside the datastore's (datastoreConfig.ts), so the runtime has one way in for
// each setting. Pure (no `vscode`): client/src/settings.ts passes the reader.

/** Reads `flowlens.kubernetes.<key>`. */
export type KubernetesSettingReader = (key: "namespace" | "image" | "serviceAccount" | "secrets") => unknown;

const variables = { namespace: "FLOWLENS_KUBERNETES_NAMESPACE", image: "FLOWLENS_KUBERNETES_IMAGE", serviceAccount: "FLOWLENS_KUBERNETES_SERVICE_ACCOUNT" } as const;

/** The variables the set settings give; an unset (empty) setting leaves the user's own environment in force. Pure. */
export function kubernetesEnvFromSettings(read: KubernetesSettingReader): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, name] of Object.entries(variables) as [keyof typeof variables, string][]) {
    const v = read(key);
    if (typeof v === "string" && v.trim() !== "") env[name] = v.trim();
  }
  const secrets = read("secrets");
  const list = Array.isArray(secrets) ? secrets.filter((s): s is string => typeof s === "string" && s.trim() !== "").map((s) => s.trim()) : [];
  if (list.length > 0) env.FLOWLENS_KUBERNETES_SECRETS = list.join(",");
  return env;
}
