// A loopback Kubernetes API server for tests. It speaks the REST API @kubernetes/client-node
// uses (read namespaces; create, read and delete batch/v1 Jobs; list and watch pods by label
// selector, with resource versions, bookmarks and 410 Gone; list events; SelfSubjectAccessReview)
// and checks bearer tokens. Quotas, events and RBAC answers are in kubernetesPolicy.ts. What it
// validates is in kubernetesRules.ts, the cluster that runs the pods (as local processes) in
// kubernetesPods.ts, the watch streams in kubernetesWatch.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { V1Job } from "@kubernetes/client-node";
import { listenLoopback } from "../../support/loopback";
import { HttpError, status, type Json } from "./kubernetesRules";
import { PodSimulator, type ClusterOptions, type Job } from "./kubernetesPods";
import { PodEvents } from "./kubernetesWatch";
import { ClusterPolicy, type Quota } from "./kubernetesPolicy";

export interface KubernetesServerOptions extends ClusterOptions {
  token: string;
  /** Close every watch after this long, as API servers do, so clients must resume from their version. */
  watchTimeoutMs?: number;
  /** ResourceQuotas by namespace. */
  quotas?: Record<string, Quota>;
}

export interface KubernetesServer {
  endpoint: string;
  jobs: Map<string, Job>;
  /** Every authenticated request, with Date.now() when its body had arrived (a benchmark splits the launcher's time from this server's). */
  calls: { method: string; path: string; body?: unknown; at: number }[];
  /** Jobs the schema or the rules refused, with the reason. */
  rejected: { name: string; reason: string }[];
  /** Writes a kubeconfig for this server (a context "loopback") and returns its path. */
  kubeconfig(dir: string, namespace?: string): Promise<string>;
  /** Evicts the running pod of a job, as a node under pressure would. */
  evict(jobName: string): void;
  /** Ends every open watch with a 410 Gone error, as after an etcd compaction. */
  expireWatches(): void;
  /** Open watch connections now. */
  watchCount(): number;
  /** TCP connections accepted so far (the client library opens one per call: benchmarks print it). */
  connections(): number;
  /** Sets (or removes) a namespace's ResourceQuota; jobs waiting on it get their pod at the controller's next try. */
  setQuota(namespace: string, quota: Quota | undefined): void;
  /** Takes one permission from the credentials (SelfSubjectAccessReview says so, and the API refuses it with 403). */
  deny(verb: string, group: string, resource: string, denied?: boolean): void;
  stop(): Promise<void>;
}

/** The REST routes; undefined when the route answered itself (a watch stream). */
async function route(cluster: PodSimulator, events: PodEvents, policy: ClusterPolicy, req: IncomingMessage, url: URL, body: unknown, res: ServerResponse): Promise<Json | undefined> {
  const p = url.pathname;
  if (p === "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews" && req.method === "POST") return policy.review(body);
  refuseDenied(policy, req.method ?? "GET", url);
  let m = /^\/api\/v1\/namespaces\/([^/]+)\/events$/.exec(p);
  if (m && req.method === "GET") return policy.listEvents(decodeURIComponent(m[1] ?? ""), url.searchParams.get("fieldSelector"));
  m = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(p);
  if (m && req.method === "GET") {
    const ns = decodeURIComponent(m[1] ?? "");
    if (!cluster.hasNamespace(ns)) throw new HttpError(404, "NotFound", `namespaces "${ns}" not found`);
    return { kind: "Namespace", apiVersion: "v1", metadata: { name: ns }, status: { phase: "Active" } };
  }
  m = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(p);
  if (m && req.method === "GET") {
    const ns = decodeURIComponent(m[1] ?? "");
    if (url.searchParams.get("watch") !== "true") return events.list(cluster.pods(ns), url.searchParams.get("labelSelector"));
    events.watch(ns, url, res);
    return undefined;
  }
  m = /^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs(?:\/([^/]+))?$/.exec(p);
  if (m) {
    const ns = decodeURIComponent(m[1] ?? "");
    const name = m[2] ? decodeURIComponent(m[2]) : undefined;
    if (req.method === "POST" && !name) return (await cluster.create(ns, body as V1Job)).body as Json;
    if (req.method === "GET" && name) return cluster.read(ns, name).body as Json;
    if (req.method === "DELETE" && name) return cluster.delete(ns, name);
  }
  throw new HttpError(404, "NotFound", `the server could not find the requested resource (${req.method ?? "?"} ${p})`);
}

/** The RBAC side of a request: a denied verb on jobs or pods is a 403, as the real server answers. */
function refuseDenied(policy: ClusterPolicy, method: string, url: URL): void {
  const jobs = /\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs(\/[^/]+)?$/.exec(url.pathname);
  const pods = /\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(url.pathname);
  const [group, resource, ns] = jobs ? ["batch", "jobs", jobs[1]] : pods ? ["", "pods", pods[1]] : [];
  if (resource === undefined || group === undefined) return;
  const verb = method === "POST" ? "create" : method === "DELETE" ? "delete" : url.searchParams.get("watch") === "true" ? "watch" : jobs?.[2] ? "get" : "list";
  if (policy.isDenied(verb, group, resource)) throw new HttpError(403, "Forbidden", `${resource}${group ? `.${group}` : ""} is forbidden: User "tester" cannot ${verb} resource "${resource}" in API group "${group}" in the namespace "${decodeURIComponent(ns ?? "")}"`);
}

type Handler = (req: IncomingMessage, url: URL, body: unknown, res: ServerResponse) => Promise<Json | undefined>;

/** The HTTP side: the bearer token, the JSON body, the call log, errors as Status objects. */
function httpServer(token: string, calls: KubernetesServer["calls"], handle: Handler): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const reply = (code: number, obj: Json): void => {
        res.writeHead(code, { "content-type": "application/json" });
        res.end(JSON.stringify(obj));
      };
      if (req.headers.authorization !== `Bearer ${token}`) {
        reply(401, status(401, "Unauthorized", "Unauthorized"));
        return;
      }
      let body: unknown;
      try {
        const text = Buffer.concat(chunks).toString();
        body = text ? JSON.parse(text) : undefined;
      } catch {
        reply(400, status(400, "BadRequest", "the request body is not JSON"));
        return;
      }
      calls.push({ method: req.method ?? "", path: url.pathname + url.search, ...(body !== undefined ? { body } : {}), at: Date.now() });
      handle(req, url, body, res).then(
        (out) => {
          if (out) reply(req.method === "POST" ? 201 : 200, out);
        },
        (error: unknown) => {
          if (error instanceof HttpError) reply(error.code, status(error.code, error.reason, error.message));
          else reply(500, status(500, "InternalError", error instanceof Error ? error.message : String(error)));
        },
      );
    });
  });
}

/** A kubeconfig with one context, "loopback", that reaches `endpoint` with `token`. */
function kubeconfigYaml(endpoint: string, token: string, namespace: string): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- name: loopback",
    "  cluster:",
    `    server: ${endpoint}`,
    "    insecure-skip-tls-verify: true",
    "users:",
    "- name: tester",
    "  user:",
    `    token: ${token}`,
    "contexts:",
    "- name: loopback",
    "  context:",
    "    cluster: loopback",
    "    user: tester",
    `    namespace: ${namespace}`,
    "current-context: loopback",
    "",
  ].join("\n");
}

export async function startKubernetesServer(options: KubernetesServerOptions): Promise<KubernetesServer> {
  const calls: KubernetesServer["calls"] = [];
  const events = new PodEvents(options.watchTimeoutMs);
  const policy = new ClusterPolicy(options.quotas);
  const cluster = new PodSimulator(options, events, policy);
  const server = httpServer(options.token, calls, (req, url, body, res) => route(cluster, events, policy, req, url, body, res));
  let connections = 0;
  server.on("connection", () => (connections += 1));
  const port = await listenLoopback(server);
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    jobs: cluster.jobs,
    calls,
    rejected: cluster.rejected,
    async kubeconfig(dir, namespace = "default") {
      const file = join(dir, "kubeconfig.yaml");
      await writeFile(file, kubeconfigYaml(endpoint, options.token, namespace));
      return file;
    },
    evict: (jobName) => cluster.evict(jobName),
    expireWatches: () => events.expire(),
    watchCount: () => events.count(),
    connections: () => connections,
    setQuota: (namespace, quota) => policy.setQuota(namespace, quota),
    deny: (verb, group, resource, denied) => policy.deny(verb, group, resource, denied),
    async stop() {
      await cluster.stop();
      events.close();
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
