// What the loopback Kubernetes API server checks before it accepts a Job: the Kubernetes schema
// (the kubernetes-models package's validator) and the rules the real API server adds on the
// fields Flowlens sets. Also the API's error object and the label selectors Flowlens sends.
import type { V1Job } from "@kubernetes/client-node";
import { parseQuantity } from "./quantity";

export type Json = Record<string, unknown>;
export type Selector = (labels: Record<string, string>) => boolean;

/** An API error: the HTTP code and the Status reason the client reads. */
export class HttpError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** The Status object the API server answers an error with. */
export const status = (code: number, reason: string, message: string): Json => ({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code });

const dns1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** `a=b,c=d` equality selectors, the only kind Flowlens sends. */
export function parseSelector(text: string | null): Selector {
  const terms = (text ?? "").split(",").filter((t) => t !== "").map((t) => t.split("=") as [string, string]);
  return (labels) => terms.every(([k, v]) => labels[k] === v);
}

let validateJob: ((body: unknown) => void) | undefined;
/** The schema's validator, loaded once (the models package is large). */
export async function schemaValidator(): Promise<(body: unknown) => void> {
  if (!validateJob) {
    const { Job } = await import("kubernetes-models/batch/v1");
    validateJob = (body: unknown) => new Job(body as ConstructorParameters<typeof Job>[0]).validate();
  }
  return validateJob;
}

type Container = NonNullable<NonNullable<NonNullable<V1Job["spec"]>["template"]["spec"]>["containers"][number]>;

function checkContainer(c: Container, volumes: Set<string>): void {
  const limits = (c.resources?.limits ?? {}) as Record<string, string>;
  const requests = (c.resources?.requests ?? {}) as Record<string, string>;
  for (const [k, v] of Object.entries(requests)) {
    if (limits[k] !== undefined && parseQuantity(v) > parseQuantity(limits[k])) throw new HttpError(422, "Invalid", `resources.requests[${k}]: must be less than or equal to ${k} limit`);
  }
  for (const k of Object.keys(limits)) if (k.endsWith("/gpu") && requests[k] !== undefined && requests[k] !== limits[k]) throw new HttpError(422, "Invalid", `resources.requests[${k}]: must be equal to ${k} limit`);
  const names = new Set<string>();
  for (const e of c.env ?? []) {
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(e.name)) throw new HttpError(422, "Invalid", `env[${e.name}].name: must be a C identifier`);
    if (names.has(e.name)) throw new HttpError(422, "Invalid", `env[${e.name}]: Duplicate value`);
    names.add(e.name);
  }
  for (const m of c.volumeMounts ?? []) if (!volumes.has(m.name)) throw new HttpError(422, "Invalid", `volumeMounts[${m.name}]: Not found`);
}

/** Rules beyond the schema that the API server enforces on the fields Flowlens sets. */
export function checkRules(job: V1Job, namespace: string): void {
  const name = job.metadata?.name ?? "";
  if (!dns1123.test(name) || name.length > 63) throw new HttpError(422, "Invalid", `Job.batch "${name}" is invalid: metadata.name: must be a DNS-1123 label of at most 63 characters`);
  if (job.metadata?.namespace && job.metadata.namespace !== namespace) throw new HttpError(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
  const tpl = job.spec?.template;
  for (const [k, v] of Object.entries({ ...job.metadata?.labels, ...tpl?.metadata?.labels })) {
    if (!labelValue.test(v) || v.length > 63) throw new HttpError(422, "Invalid", `metadata.labels: Invalid value: "${v}" for ${k}`);
  }
  const restart = tpl?.spec?.restartPolicy;
  if (restart !== "Never" && restart !== "OnFailure") throw new HttpError(422, "Invalid", `spec.template.spec.restartPolicy: Unsupported value: "${String(restart)}"`);
  const containers = tpl?.spec?.containers ?? [];
  if (containers.length === 0) throw new HttpError(422, "Invalid", "spec.template.spec.containers: Required value");
  const volumes = new Set((tpl?.spec?.volumes ?? []).map((v) => v.name));
  for (const c of containers) checkContainer(c, volumes);
  if ((job.spec?.backoffLimit ?? 6) < 0) throw new HttpError(422, "Invalid", "spec.backoffLimit: must be greater than or equal to 0");
  if (job.spec?.activeDeadlineSeconds !== undefined && job.spec.activeDeadlineSeconds <= 0) throw new HttpError(422, "Invalid", "spec.activeDeadlineSeconds: must be greater than 0");
}

/** The schema, then the rules; a refusal is an HttpError the client reads as 422 (or 400). */
export async function validateSubmittedJob(body: V1Job, namespace: string): Promise<void> {
  try {
    (await schemaValidator())(body);
    checkRules(body, namespace);
  } catch (error) {
    if (error instanceof HttpError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new HttpError(422, "Invalid", `Job.batch "${body.metadata?.name ?? ""}" is invalid: ${reason}`);
  }
}
