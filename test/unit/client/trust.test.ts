// Workspace Trust: the gate every Python-starting feature asks, what an artifact shows without
// unpickling, which settings a workspace may not choose (checked against package.json by a rule,
// not a copied list), and that an untrusted workspace's datastore settings never make the Runs
// view sign a request to an endpoint the repository picked.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { test } from "node:test";
import { openObjectStore } from "../../../runtime/src/datastore/open";
import type { ArtifactItem } from "../../../client/src/explorer/treeModel";
import { ExplorerModel } from "../../../client/src/explorer/treeModel";
import { itemText } from "../../../client/src/explorer/treeLabels";
import { datastoreFromSettings } from "../../../client/src/runs/datastoreSettings";
import type { DatastoreSettingReader } from "../../../client/src/runs/datastoreSettings";
import { manageTrustCommand, restrictedMessage, trustActionLabel, TrustGate } from "../../../client/src/trust/gate";
import type { PythonFeature } from "../../../client/src/trust/gate";
import { isRestrictedSetting, restrictedValue } from "../../../client/src/trust/restrictedSettings";
import type { InspectedSetting } from "../../../client/src/trust/restrictedSettings";
import { storedPreview } from "../../../client/src/trust/storedPreview";
import { repoRoot } from "./helpers";

/** A trust state the test flips, as VS Code's Workspace Trust would. */
function fakeTrust(initial: boolean): { gate: TrustGate; grant: () => void } {
  let trusted = initial;
  const listeners = new Set<() => void>();
  const gate = new TrustGate({
    get isTrusted() {
      return trusted;
    },
    onDidGrantTrust: (l) => {
      listeners.add(l);
      return { dispose: () => listeners.delete(l) };
    },
  });
  return {
    gate,
    grant: () => {
      trusted = true;
      for (const l of listeners) l();
    },
  };
}

const features: PythonFeature[] = ["run", "debug", "preview", "compare", "interpreter"];

void test("untrusted: no feature's action is called, and each says why and what still works", async () => {
  const { gate } = fakeTrust(false);
  for (const feature of features) {
    let called = false;
    const r = await gate.run(feature, () => {
      called = true;
      return "spawned";
    });
    assert.equal(called, false, feature);
    assert.equal(r.allowed, false);
    if (r.allowed) continue;
    assert.equal(r.message, restrictedMessage(feature));
    assert.match(r.message, /starts no Python in Restricted Mode/);
    assert.match(r.message, /Manage Workspace Trust/);
  }
  assert.match(restrictedMessage("preview"), /unpickles/);
  assert.match(restrictedMessage("preview"), /previews stored at run time are shown/);
});

void test("a grant takes effect at once: listeners hear it and the next call runs", async () => {
  const { gate, grant } = fakeTrust(false);
  let heard = 0;
  const sub = gate.onDidGrant(() => heard++);
  assert.equal(gate.trusted, false);
  grant();
  assert.equal(heard, 1);
  assert.deepEqual(await gate.run("preview", () => Promise.resolve(42)), { allowed: true, value: 42 });
  sub.dispose();
  assert.equal(gate.trusted, true);
});

const artifact: ArtifactItem = { kind: "artifact", flow: "F", runId: "3", step: "train", taskId: "7", attempt: 0, name: "model", sha: "ab".repeat(20), type: "sklearn.linear_model.Ridge", size: 2048 };

void test("an artifact without trust shows its stored preview: JSON when stored as JSON, else type, size and repr", () => {
  assert.deepEqual(storedPreview({ ...artifact, type: "dict", preview: { type: "dict", size: 20, repr: "{'a': 1}", json: { a: 1 } } }), { text: '{\n  "a": 1\n}\n', ext: "json" });
  const r = storedPreview({ ...artifact, preview: { type: "Ridge", size: 2048, repr: "Ridge(alpha=0.5)" } });
  assert.equal(r.ext, "txt");
  assert.match(r.text, /^F\/3\/train\/7 · model\ntype: sklearn\.linear_model\.Ridge · 2(\.0)? KB\n/);
  assert.match(r.text, /loaded only in a trusted workspace/);
  assert.match(r.text, /\n\nRidge\(alpha=0\.5\)\n$/);
  assert.match(storedPreview(artifact).text, /no preview was stored/);
});

void test("the Runs view's trust item offers the action that opens Workspace Trust", () => {
  assert.equal(itemText({ kind: "trust" }).label, trustActionLabel);
  assert.equal(manageTrustCommand, "workbench.trust.manage");
});

interface ConfigurationProperty {
  type?: string;
  scope?: string;
}

void test("every setting that picks a program, endpoint, datastore, path or root is restricted in package.json", () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
    capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
    contributes: { configuration: { properties: Record<string, ConfigurationProperty> } };
  };
  const names = Object.keys(pkg.contributes.configuration.properties);
  const mustRestrict = names.filter(isRestrictedSetting);
  // The rule finds the settings this test was written for; a new one of its kind joins by name.
  for (const known of ["flowlens.pythonPath", "flowlens.datastore.type", "flowlens.datastore.root", "flowlens.datastore.s3Root", "flowlens.datastore.s3EndpointUrl"]) assert.ok(mustRestrict.includes(known), known);
  assert.ok(!isRestrictedSetting("flowlens.graph.nodeSpacing") && !isRestrictedSetting("flowlens.trace.server"));
  const restricted = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
  assert.deepEqual(mustRestrict.filter((n) => !restricted.includes(n)), [], "settings a workspace could choose in Restricted Mode");
  assert.deepEqual(restricted.filter((n) => !names.includes(n)), [], "restricted names that are not settings");
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, "limited");
});

void test("a restricted setting: the workspace's value counts only when trusted", () => {
  const s: InspectedSetting<string> = { defaultValue: "", globalValue: "https://user.example", workspaceValue: "http://evil.example", workspaceFolderValue: "http://evil2.example" };
  assert.equal(restrictedValue(s, true, ""), "http://evil2.example");
  assert.equal(restrictedValue(s, false, ""), "https://user.example");
  assert.equal(restrictedValue({ defaultValue: "", workspaceValue: "http://evil.example" }, false, ""), "");
  assert.equal(restrictedValue(undefined, false, "x"), "x");
});

/** A loopback "S3" that records every request's headers and refuses it. */
async function recordingEndpoint(): Promise<{ url: string; requests: IncomingHttpHeaders[]; close: () => Promise<void> }> {
  const requests: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    requests.push(req.headers);
    res.writeHead(403, { "content-type": "application/xml" }).end("<Error><Code>AccessDenied</Code><Message>no</Message></Error>");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close: () => new Promise((r) => server.close(() => r())) };
}

void test("an untrusted workspace's datastore settings never make the Runs view sign a request to its endpoint", async () => {
  const endpoint = await recordingEndpoint();
  try {
    // What the repository's .vscode/settings.json says; the user set nothing.
    const workspace: Record<string, string> = { type: "s3", s3Root: "s3://repo-chosen-bucket/runs", s3EndpointUrl: endpoint.url, root: "/elsewhere" };
    const reader = (trusted: boolean): DatastoreSettingReader => (key, fallback) => restrictedValue({ workspaceValue: workspace[key] }, trusted, fallback);
    const credentials = { AWS_ACCESS_KEY_ID: "AKIAUSERSOWNKEY00000", AWS_SECRET_ACCESS_KEY: "user-secret", AWS_REGION: "us-east-1" };
    const open = async (trusted: boolean): Promise<string[]> => {
      const config = datastoreFromSettings(reader(trusted), "/work/ws");
      try {
        return (await new ExplorerModel(await openObjectStore({ kind: config.kind, root: config.root, env: { ...credentials, ...config.env } })).flows()).map((f) => f.kind);
      } catch (err) {
        return [`error: ${err instanceof Error ? err.message : String(err)}`];
      }
    };

    assert.deepEqual(datastoreFromSettings(reader(false), "/work/ws"), { kind: "local", root: "/work/ws/.metaflow", env: {} });
    await open(false);
    assert.equal(endpoint.requests.length, 0, "no request reached the repository's endpoint");

    // Trusted, the same settings do reach it, signed with the user's key: the check above can fail.
    await open(true);
    assert.ok(endpoint.requests.length > 0);
    assert.match(String(endpoint.requests[0]?.authorization), /^AWS4-HMAC-SHA256 Credential=AKIAUSERSOWNKEY00000\//);
  } finally {
    await endpoint.close();
  }
});
