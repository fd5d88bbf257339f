// Cards in an S3 datastore (Metaflow's card root is the datastore root + "/mf.cards"): listed
// and read by the shared card module and by `flowlens card`, against moto on loopback.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { listTaskCards, readCardHtml } from "../../runtime/src/datastore/cards";
import { S3ObjectStore } from "../../runtime/src/datastore/s3/store";
import { flowlensCardPage } from "../support/cardPages";
import { flowlens, workspace } from "../runtime/cli";
import { startMoto, type MotoServer } from "./servers/moto";

let s3: MotoServer;
let store: S3ObjectStore;
const page = flowlensCardPage({ pathspec: "S3CardFlow/5/train/8", final: true, components: [{ type: "markdown", source: "# from S3" }] });

before(async () => {
  s3 = await startMoto();
  store = new S3ObjectStore({ root: "s3://cards/root", env: s3.env });
  await store.client.send(new CreateBucketCommand({ Bucket: "cards" }));
  await store.put("S3CardFlow/5/train/8/0.attempt.json", JSON.stringify({ time: 1 }));
  await store.put("S3CardFlow/latest_run", "5");
  await store.put("mf.cards/S3CardFlow/runs/5/steps/train/tasks/8/cards/blank-report-5e5e5e5e.html", page);
});
after(async () => s3.stop());

void test("the card module lists and reads a task's cards from S3", async () => {
  const cards = await listTaskCards(store, { flow: "S3CardFlow", run: "5", step: "train", task: "8" });
  assert.deepEqual(cards.map((c) => [c.type, c.id, c.hash]), [["blank", "report", "5e5e5e5e"]]);
  assert.equal(await readCardHtml(store, cards[0] as { key: string }), page);
});

void test("flowlens card list and get read S3 with --datastore s3", { timeout: 120_000 }, async () => {
  const { dir } = workspace();
  const env = { ...s3.env, FLOWLENS_DATASTORE_ROOT: "s3://cards/root" };
  const list = await flowlens(["card", "list", "S3CardFlow/latest/train/8", "--datastore", "s3"], dir, env);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /type=blank {2}id=report {2}hash=5e5e5e5e {2}s3:\/\/cards\/root\/mf\.cards\/S3CardFlow\/runs\/5\/steps\/train\/tasks\/8\/cards\/blank-report-5e5e5e5e\.html/);
  const got = await flowlens(["card", "get", "S3CardFlow/5/train/8", "--datastore", "s3", "--file", "c.html"], dir, env);
  assert.equal(got.code, 0, got.stderr);
  assert.equal(readFileSync(join(dir, "c.html"), "utf8"), page);
});
