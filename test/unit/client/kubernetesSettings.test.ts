// The editor's `flowlens.kubernetes.*` settings reach a run as the variables the runtime's
// Kubernetes settings read: each one contributed in package.json becomes the value the executor uses.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { kubernetesEnvFromSettings, type KubernetesSettingReader } from "../../../client/src/runs/kubernetesSettings";
import { resolveKubernetesSettings } from "../../../runtime/src/executors/kubernetes/settings";

const manifest = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8")) as { contributes: { configuration: { properties: Record<string, { default?: unknown }> } } };
const contributed = Object.entries(manifest.contributes.configuration.properties).filter(([k]) => k.startsWith("flowlens.kubernetes."));

void test("package.json contributes the namespace, image, service account and secrets settings, unset by default", () => {
  assert.deepEqual(contributed.map(([k]) => k).sort(), ["flowlens.kubernetes.image", "flowlens.kubernetes.namespace", "flowlens.kubernetes.secrets", "flowlens.kubernetes.serviceAccount"]);
  const defaults: KubernetesSettingReader = (key) => manifest.contributes.configuration.properties[`flowlens.kubernetes.${key}`]?.default;
  assert.deepEqual(kubernetesEnvFromSettings(defaults), {}, "unset settings leave the user's own environment in force");
});

void test("set settings become the run's environment, which the executor's settings read", () => {
  const values: Record<string, unknown> = { namespace: " flows ", image: "repo/train:1.4", serviceAccount: "flowlens-tasks", secrets: ["db", "", "s3-keys"] };
  const env = kubernetesEnvFromSettings((key) => values[key]);
  assert.deepEqual(env, { FLOWLENS_KUBERNETES_NAMESPACE: "flows", FLOWLENS_KUBERNETES_IMAGE: "repo/train:1.4", FLOWLENS_KUBERNETES_SERVICE_ACCOUNT: "flowlens-tasks", FLOWLENS_KUBERNETES_SECRETS: "db,s3-keys" });
  const s = resolveKubernetesSettings({}, { METAFLOW_KUBERNETES_NAMESPACE: "ignored", ...env });
  assert.deepEqual([s.namespace, s.image, s.serviceAccount, s.secrets], ["flows", "repo/train:1.4", "flowlens-tasks", ["db", "s3-keys"]]);
});
