// What the launcher's credentials must be allowed to do in a namespace, asked before any task
// starts with SelfSubjectAccessReview (which every authenticated user may create): one line per
// missing permission, naming the rule to add, instead of a 403 in the middle of a run.
import type { AuthorizationV1Api } from "@kubernetes/client-node";

interface Permission {
  verb: string;
  group: string;
  resource: string;
  /** What the launcher does with it, for the line a user reads. */
  why: string;
}

const needed: Permission[] = [
  { verb: "create", group: "batch", resource: "jobs", why: "to submit a task" },
  { verb: "get", group: "batch", resource: "jobs", why: "to read a job whose pod is gone" },
  { verb: "delete", group: "batch", resource: "jobs", why: "to stop a task" },
  { verb: "list", group: "", resource: "pods", why: "to follow the tasks' pods" },
  { verb: "watch", group: "", resource: "pods", why: "to follow the tasks' pods" },
];

/**
 * One line per permission the credentials lack in `namespace`. A review the server cannot answer
 * is not a problem here: the call itself would then say what is wrong, in its own words.
 */
export async function missingPermissions(auth: AuthorizationV1Api, namespace: string): Promise<string[]> {
  const answers = await Promise.all(
    needed.map(async (p) => {
      const review = await auth
        .createSelfSubjectAccessReview({ body: { apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", spec: { resourceAttributes: { namespace, verb: p.verb, group: p.group, resource: p.resource } } } })
        .catch(() => undefined);
      return review?.status?.allowed === false ? p : undefined;
    }),
  );
  return answers.flatMap((p) =>
    p ? [`not allowed to ${p.verb} ${p.resource} in namespace "${namespace}" (needed ${p.why}): add the verb "${p.verb}" on "${p.resource}" in API group "${p.group}" to the launcher's Role (docs/kubernetes.md)`] : [],
  );
}
