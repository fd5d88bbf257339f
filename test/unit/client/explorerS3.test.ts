// The explorer and the previews on an S3 datastore (moto_server on loopback): a real
// `flowlens run --datastore s3`, then the tree through runtime/src/datastore/open.ts and an array
// preview through the Python side's S3 store. Skipped with the reason when moto_server is missing.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { openObjectStore } from "../../../runtime/src/datastore/open";
import { S3ObjectStore } from "../../../runtime/src/datastore/s3/store";
import type { ArtifactItem, RunItem, TaskItem } from "../../../client/src/explorer/treeModel";
import { ExplorerModel } from "../../../client/src/explorer/treeModel";
import { runPreview } from "../../../client/src/previews/previewRunner";
import type { MotoServer } from "../../remote/servers/moto";
import { startMoto } from "../../remote/servers/moto";
import { cli, labDir, repoRoot } from "./helpers";

const hasMoto = spawnSync("sh", ["-c", "command -v moto_server"]).status === 0;
let moto: MotoServer | undefined;
const root = "s3://flowlens-editor/runs";

before(async () => {
  if (!hasMoto) return;
  moto = await startMoto();
  const store = new S3ObjectStore({ root, env: { ...moto.env } });
  await store.client.send(new CreateBucketCommand({ Bucket: "flowlens-editor" }));
});

after(async () => {
  await moto?.stop();
});

/** The CLI asynchronously: moto's output pipes are drained by this process's event loop. */
function runCliAsync(dir: string, args: string[], env: Record<string, string>): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: dir, env: { ...process.env, ...env }, stdio: "ignore" });
    child.on("close", (code) => resolve(code));
  });
}

void test("an S3 datastore: runs, tasks, artifacts and an array preview", { skip: hasMoto ? false : "moto_server is not on PATH" }, async () => {
  const env = moto!.env;
  const dir = labDir();
  const code = await runCliAsync(dir, ["run", join(dir, "flow.py"), "--datastore", "s3", "--datastore-root", root, "--json"], env);
  assert.equal(code, 0);
  const model = new ExplorerModel(await openObjectStore({ kind: "s3", root, env: { ...process.env, ...env } }));
  assert.deepEqual(await model.flows(), [{ kind: "flow", flow: "LabFlow" }]);
  const runs = (await model.runs("LabFlow")) as RunItem[];
  assert.deepEqual(runs.map((r) => [r.runId, r.status]), [["1", "succeeded"]]);
  const tasks = (await model.tasks("LabFlow", "1", "train")) as TaskItem[];
  assert.equal(tasks.length, 3);
  const arr = ((await model.artifacts(tasks[1]!)) as ArtifactItem[]).find((a) => a.name === "arr")!;
  assert.deepEqual(arr.preview?.shape, [4, 2]);
  const preview = await runPreview({ python: "python3", pythonDir: join(repoRoot, "runtime", "python"), datastore: { kind: "s3", root, env }, flow: "LabFlow", sha: arr.sha });
  assert.equal(preview.kind, "table", JSON.stringify(preview));
  assert.deepEqual(preview.kind === "table" ? preview.shape : [], [4, 2]);
});
