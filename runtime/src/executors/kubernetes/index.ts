// The Kubernetes executor, a bundle of its own (dist/kubernetes.js, scripts/build.mjs): loaded
// only when a run sends a step to Kubernetes, so no other run parses @kubernetes/client-node.
export { KubernetesExecutor, type KubernetesExecutorOptions } from "./executor";
export { resolveKubernetesSettings, type KubernetesSettings } from "./settings";
