// What the loopback Kubernetes API server enforces beyond the schema: ResourceQuotas (a pod whose
// requests would take a namespace past its quota is not created; the job controller records a
// FailedCreate event and tries again later, as the real one does), the namespace's events (listed
// by field selector), and the RBAC answers of SelfSubjectAccessReview (a test can deny a verb).
import { randomUUID } from "node:crypto";
import type { V1Pod } from "@kubernetes/client-node";
import { parseQuantity } from "./quantity";
import type { Json } from "./kubernetesRules";

/** A namespace's ResourceQuota: the sum of the requests of its active pods may not pass these. */
export interface Quota {
  name: string;
  cpu?: number;
  memoryMiB?: number;
}

interface StoredEvent {
  namespace: string;
  object: Json;
}

const requestsOf = (pod: V1Pod): { cpu: number; memoryMiB: number } => {
  const r = (pod.spec?.containers[0]?.resources?.requests ?? {}) as Record<string, string>;
  return { cpu: parseQuantity(r.cpu ?? "0") || 0, memoryMiB: (parseQuantity(r.memory ?? "0") || 0) / (1024 * 1024) };
};

const fmt = (n: number): string => String(Math.round(n * 1000) / 1000);

/** `a=b,c=d` field selectors on an event's fields (`involvedObject.name`, `reason`, ...). */
function fieldSelector(text: string | null): (e: Json) => boolean {
  const terms = (text ?? "").split(",").filter((t) => t !== "").map((t) => t.split("=") as [string, string]);
  const field = (e: Json, path: string): unknown => path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], e);
  return (e) => terms.every(([k, v]) => String(field(e, k)) === v);
}

export class ClusterPolicy {
  private readonly quotas = new Map<string, Quota>();
  private readonly events: StoredEvent[] = [];
  /** `verb group/resource` the credentials may not do (e.g. "delete batch/jobs"). */
  private readonly denied = new Set<string>();

  constructor(quotas: Record<string, Quota> = {}) {
    for (const [ns, q] of Object.entries(quotas)) this.quotas.set(ns, q);
  }

  setQuota(namespace: string, quota: Quota | undefined): void {
    if (quota) this.quotas.set(namespace, quota);
    else this.quotas.delete(namespace);
  }

  /** The admission's refusal ("exceeded quota: ...") of `pod` beside the namespace's active pods; undefined when it fits. */
  quotaRefusal(namespace: string, pod: V1Pod, active: V1Pod[]): string | undefined {
    const q = this.quotas.get(namespace);
    if (!q) return undefined;
    const want = requestsOf(pod);
    const used = active.map(requestsOf).reduce((a, b) => ({ cpu: a.cpu + b.cpu, memoryMiB: a.memoryMiB + b.memoryMiB }), { cpu: 0, memoryMiB: 0 });
    const over: [string, number, number, number][] = [];
    if (q.cpu !== undefined && used.cpu + want.cpu > q.cpu) over.push(["cpu", want.cpu, used.cpu, q.cpu]);
    if (q.memoryMiB !== undefined && used.memoryMiB + want.memoryMiB > q.memoryMiB) over.push(["memory", want.memoryMiB, used.memoryMiB, q.memoryMiB]);
    if (over.length === 0) return undefined;
    const part = (i: number): string => over.map((o) => `${o[0]}=${fmt(o[i] as number)}${o[0] === "memory" ? "Mi" : ""}`).join(",");
    return `exceeded quota: ${q.name}, requested: ${part(1)}, used: ${part(2)}, limited: ${part(3)}`;
  }

  /** Records a Warning event about a Job, as its controller does (repeats raise the count). */
  jobEvent(namespace: string, job: string, jobUid: string, reason: string, message: string): void {
    const same = this.events.find((e) => e.namespace === namespace && (e.object.involvedObject as Json).name === job && e.object.reason === reason);
    const now = new Date().toISOString();
    if (same) {
      Object.assign(same.object, { message, count: Number(same.object.count) + 1, lastTimestamp: now });
      return;
    }
    this.events.push({
      namespace,
      object: {
        apiVersion: "v1",
        kind: "Event",
        metadata: { name: `${job}.${randomUUID().slice(0, 8)}`, namespace },
        involvedObject: { apiVersion: "batch/v1", kind: "Job", name: job, namespace, uid: jobUid },
        reason,
        message,
        type: "Warning",
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
        source: { component: "job-controller" },
      },
    });
  }

  listEvents(namespace: string, selector: string | null): Json {
    const take = fieldSelector(selector);
    return { kind: "EventList", apiVersion: "v1", metadata: { resourceVersion: "1" }, items: this.events.filter((e) => e.namespace === namespace && take(e.object)).map((e) => e.object) };
  }

  /** Makes the credentials lose (or regain) one permission, e.g. `deny("delete", "batch", "jobs")`. */
  deny(verb: string, group: string, resource: string, denied = true): void {
    const k = `${verb} ${group}/${resource}`;
    if (denied) this.denied.add(k);
    else this.denied.delete(k);
  }

  isDenied(verb: string, group: string, resource: string): boolean {
    return this.denied.has(`${verb} ${group}/${resource}`);
  }

  /** The answer to a SelfSubjectAccessReview: the request's spec with its verdict. */
  review(body: unknown): Json {
    const spec = ((body as Json | undefined)?.spec ?? {}) as Json;
    const attrs = (spec.resourceAttributes ?? {}) as Record<string, string | undefined>;
    const allowed = !this.isDenied(attrs.verb ?? "", attrs.group ?? "", attrs.resource ?? "");
    return { kind: "SelfSubjectAccessReview", apiVersion: "authorization.k8s.io/v1", metadata: {}, spec, status: allowed ? { allowed: true, reason: "RBAC: allowed by RoleBinding" } : { allowed: false, denied: false, reason: "" } };
  }
}
