// The cluster connection, found as kubectl finds it: the files of KUBECONFIG (merged, the first
// one's current context winning), else ~/.kube/config, else the pod's in-cluster service
// account. Errors become one credential-free sentence naming what to change.
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { ApiException, KubeConfig } from "@kubernetes/client-node";

export class KubernetesSetupError extends Error {
  override name = "KubernetesSetupError";
}

const inClusterToken = "/var/run/secrets/kubernetes.io/serviceaccount/token";

export function loadKubeConfig(env: NodeJS.ProcessEnv, context?: string): { config: KubeConfig; source: string } {
  const config = new KubeConfig();
  let source: string;
  const files = (env.KUBECONFIG ?? "").split(delimiter).filter((f) => f !== "" && existsSync(f));
  const home = env.HOME ?? env.USERPROFILE;
  const homeConfig = home ? join(home, ".kube", "config") : undefined;
  try {
    if (files.length > 0) {
      config.loadFromFile(files[0] ?? "");
      for (const f of files.slice(1)) {
        const more = new KubeConfig();
        more.loadFromFile(f);
        config.mergeConfig(more, true);
      }
      source = `KUBECONFIG (${files.join(delimiter)})`;
    } else if (homeConfig && existsSync(homeConfig)) {
      config.loadFromFile(homeConfig);
      source = homeConfig;
    } else if (env.KUBERNETES_SERVICE_HOST && existsSync(inClusterToken)) {
      config.loadFromCluster();
      source = "the in-cluster service account";
    } else {
      throw new KubernetesSetupError(`no Kubernetes configuration found: set KUBECONFIG, create ~/.kube/config (e.g. with your cloud's "get-credentials" command), or run inside a cluster`);
    }
  } catch (error) {
    if (error instanceof KubernetesSetupError) throw error;
    throw new KubernetesSetupError(`cannot read the Kubernetes configuration: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
  if (context) {
    if (!config.getContexts().some((c) => c.name === context)) throw new KubernetesSetupError(`Kubernetes context "${context}" is not in ${source} (it has ${config.getContexts().map((c) => c.name).join(", ") || "none"})`);
    config.setCurrentContext(context);
  }
  if (!config.getCurrentCluster()) throw new KubernetesSetupError(`${source} names no cluster for its current context "${config.getCurrentContext()}"`);
  return { config, source };
}

export function httpStatus(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/** A failed API call as one sentence; the server's own message when it gave one. */
export function describeApiError(error: unknown, what: string, server: string): KubernetesSetupError {
  if (error instanceof KubernetesSetupError) return error;
  const status = httpStatus(error);
  if (error instanceof ApiException) {
    const body: unknown = error.body;
    let message: string | undefined;
    try {
      const parsed = (typeof body === "string" ? JSON.parse(body) : body) as { message?: unknown } | undefined;
      if (typeof parsed?.message === "string") message = parsed.message;
    } catch {
      message = undefined;
    }
    if (status === 401) return new KubernetesSetupError(`the cluster at ${server} refused the credentials (401) to ${what}: log in again (refresh the kubeconfig's token)`);
    if (status === 403) return new KubernetesSetupError(`not allowed to ${what} (403${message ? `: ${message}` : ""}): grant the role in docs/kubernetes.md`);
    return new KubernetesSetupError(`Kubernetes refused to ${what} (${status}${message ? `: ${message}` : ""})`);
  }
  const e = error as { code?: string; message?: string; cause?: { code?: string } };
  const code = e?.cause?.code ?? e?.code;
  return new KubernetesSetupError(`cannot reach the Kubernetes cluster at ${server} to ${what}${code ? ` (${code})` : e?.message ? ` (${e.message.split("\n")[0]})` : ""}`);
}
