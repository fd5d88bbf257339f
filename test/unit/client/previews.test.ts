// Previews produced by the bundled Python side (runtime/python/flowlens/_preview_artifact.py) for a
// real run's artifacts, the checks on its output, and the preview page (no script, paging links).
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { LocalObjectStore } from "../../../runtime/src/datastore/local";
import type { ArtifactItem, TaskItem } from "../../../client/src/explorer/treeModel";
import { ExplorerModel } from "../../../client/src/explorer/treeModel";
import { comparisonText, parsePreviewResult, previewHtml } from "../../../client/src/previews/previewResult";
import type { PreviewRequest } from "../../../client/src/previews/previewRunner";
import { runPreview } from "../../../client/src/previews/previewRunner";
import { labDir, repoRoot, runCli } from "./helpers";

const dir = labDir();
runCli(dir, ["run", join(dir, "flow.py"), "--json"]);
const model = new ExplorerModel(new LocalObjectStore(join(dir, ".metaflow")));
const base: Omit<PreviewRequest, "sha"> = {
  python: "python3",
  pythonDir: join(repoRoot, "runtime", "python"),
  datastore: { kind: "local", root: join(dir, ".metaflow"), env: {} },
  flow: "LabFlow",
  flowFile: join(dir, "flow.py"),
};

async function artifact(step: string, name: string, index = 0): Promise<ArtifactItem> {
  const tasks = (await model.tasks("LabFlow", "1", step)) as TaskItem[];
  const arts = (await model.artifacts(tasks[index]!)) as ArtifactItem[];
  const a = arts.find((x) => x.name === name);
  assert.ok(a, `${step}.${name}`);
  return a;
}

void test("a numpy array previews as a table with its shape, dtypes, first rows, stats and paging", async () => {
  const arr = await artifact("train", "arr", 2);
  const r = await runPreview({ ...base, sha: arr.sha, limit: 2 });
  assert.equal(r.kind, "table", JSON.stringify(r));
  if (r.kind !== "table") return;
  assert.deepEqual(r.shape, [4, 3]);
  assert.deepEqual(r.dtypes, ["float64", "float64", "float64"]);
  assert.equal(r.rows.length, 2);
  assert.equal(r.total, 4);
  assert.equal(r.stats?.mean, 1);
  const html = previewHtml(r, { title: "arr", where: "LabFlow/1/train/4 · arr", nonce: "abc", pageLink: (o) => `command:flowlens.artifact.page?${o}` });
  assert.ok(html.includes(`data-shape="4,3"`));
  assert.ok(html.includes("command:flowlens.artifact.page?2"), "a next-page link");
  assert.ok(!/<script/i.test(html), "no script in a preview");
  assert.match(html, /Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'nonce-abc'"/);
  assert.match(comparisonText(r), /shape: \(4, 3\)\n.*\n.*\n.*\ncount: 12/);
});

void test("a table sorts by a column before paging, and its headers are sort links (the page has no script)", async () => {
  const arr = await artifact("train", "arr", 2);
  const plain = await runPreview({ ...base, sha: arr.sha });
  const sorted = await runPreview({ ...base, sha: arr.sha, limit: 2, sort: { column: "0", descending: true } });
  assert.equal(sorted.kind, "table", JSON.stringify(sorted));
  if (sorted.kind !== "table" || plain.kind !== "table") return;
  const firstColumn = plain.rows.map((r) => r[0] as number);
  assert.deepEqual(sorted.rows.map((r) => r[0]), [...firstColumn].sort((a, b) => b - a).slice(0, 2), "the two largest of the whole column, not of one page");
  assert.deepEqual(sorted.sort, { column: "0", descending: true });
  const html = previewHtml(sorted, { title: "arr", where: "w", nonce: "n", pageLink: (o) => `command:page?${o}`, sortLink: (s) => `command:sort?${s.column}:${s.descending}` });
  assert.ok(html.includes(`href="command:sort?0:false"`), "clicking the sorted column again sorts it ascending");
  assert.ok(html.includes(`href="command:sort?1:false"`), "another column sorts ascending first");
  assert.match(html, /0 ▼<\/a>/);
  assert.ok(!/<script/i.test(html));
});

void test("JSON-native values come back as JSON", async () => {
  const total = await artifact("join", "total");
  const r = await runPreview({ ...base, sha: total.sha });
  assert.deepEqual(r, { kind: "json", value: 24, type: "int" });
  assert.equal(comparisonText(r), "24\n");
  const items = await artifact("start", "items");
  assert.deepEqual(await runPreview({ ...base, sha: items.sha }), { kind: "json", value: [1, 2, 3], type: "list" });
});

void test("what cannot be loaded says so clearly", async () => {
  const missing = await runPreview({ ...base, sha: "0".repeat(40) });
  assert.equal(missing.kind, "error");
  assert.match(missing.kind === "error" ? missing.message : "", /missing from local:/);
  const arr = await artifact("train", "arr");
  const capped = await runPreview({ ...base, sha: arr.sha, maxBytes: 10 });
  assert.match(capped.kind === "error" ? capped.message : "", /previews load at most/);
  const noPython = await runPreview({ ...base, sha: arr.sha, python: "/nonexistent/python" });
  assert.match(noPython.kind === "error" ? noPython.message : "", /cannot start the Python interpreter "\/nonexistent\/python"/);
  assert.equal(parsePreviewResult("oops").kind, "error");
  assert.equal(parsePreviewResult(JSON.stringify({ kind: "image", mime: "text/html", base64: "" })).kind, "error", "only PNG/JPEG images");
});
