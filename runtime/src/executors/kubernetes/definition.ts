// Kubernetes as the registry sees it: `@kubernetes` steps, or every step with `--with kubernetes`
// (`--with kubernetes:cpu=2,image=...` gives the steps without their own @kubernetes those
// arguments, as in Metaflow). With the local datastore a `@kubernetes` step runs here, and the
// harness says so in its log; `--with kubernetes` with it is refused. Before any task starts every
// problem is listed, one line each: arguments Flowlens does not run, the datastore, the cluster,
// each namespace.
import type { ExecutorDefinition, Route } from "../definition";
import { decoratedRoutes } from "../definition";
import type { KubernetesExecutor } from "./executor";
import type { KubernetesSettingsInput } from "./settings";
import { argumentProblems } from "./stepOptions";

const optionSettings: Record<string, keyof KubernetesSettingsInput> = {
  "kubernetes-namespace": "namespace",
  "kubernetes-image": "image",
  "kubernetes-service-account": "serviceAccount",
  "kubernetes-context": "context",
};

function settingsFrom(options: ReadonlyMap<string, string>): KubernetesSettingsInput {
  const out: KubernetesSettingsInput = {};
  for (const [option, key] of Object.entries(optionSettings)) {
    const v = options.get(option);
    if (v) (out as Record<string, string>)[key] = v;
  }
  const secrets = options.get("kubernetes-secrets");
  if (secrets) out.secrets = secrets.split(",").map((s) => s.trim()).filter((s) => s !== "");
  return out;
}

const namespaceOf = (r: Route): string | undefined => (typeof r.args.namespace === "string" && r.args.namespace !== "" ? r.args.namespace : undefined);

export const kubernetesExecutor: ExecutorDefinition = {
  name: "kubernetes",
  title: "Kubernetes",
  withHelp: "run every step as a Kubernetes job (needs --datastore s3; --with kubernetes:cpu=2,... sets @kubernetes arguments; see docs/kubernetes.md)",
  withArguments: true,
  options: [
    { name: "kubernetes-namespace", value: "NAME", help: "namespace of the jobs (default: $FLOWLENS_KUBERNETES_NAMESPACE, else default)" },
    { name: "kubernetes-image", value: "IMAGE", help: "container image (default: $FLOWLENS_KUBERNETES_IMAGE, else python:<local version>)" },
    { name: "kubernetes-service-account", value: "NAME", help: "service account of the pods (it gives them S3 access)" },
    { name: "kubernetes-secrets", value: "A,B", help: "secrets whose keys become the tasks' environment" },
    { name: "kubernetes-context", value: "NAME", help: "kubeconfig context (default: the current one)" },
  ],
  routes: (setup) => (setup.all || setup.store.kind === "s3" ? decoratedRoutes("kubernetes", setup.flow, setup.all, setup.withArgs) : []),
  async create(setup, routes) {
    const problems = routes.flatMap((r) => argumentProblems(r.step, r.args));
    if (setup.store.kind !== "s3") problems.push(`--with kubernetes needs the S3 datastore: add --datastore s3 --datastore-root s3://bucket/prefix`);
    if (problems.length > 0) throw new Error(problems.join("\n"));
    // Loaded only here (dist/kubernetes.js), so that other runs never load the Kubernetes client.
    const { KubernetesExecutor } = await import("./index");
    return new KubernetesExecutor({ store: setup.store, env: setup.env, settings: settingsFrom(setup.options), stepArguments: new Map(routes.map((r) => [r.step, r.args])) });
  },
  // Every namespace the run will use is checked once; all problems are reported together.
  async preflight(k8s: KubernetesExecutor, routes) {
    const namespaces = [...new Set(routes.map((r) => namespaceOf(r) ?? k8s.settings.namespace))];
    const problems = [...new Set((await Promise.all(namespaces.map((ns) => k8s.problems(ns)))).flat())];
    if (problems.length > 0) throw new Error(problems.join("\n"));
  },
};
