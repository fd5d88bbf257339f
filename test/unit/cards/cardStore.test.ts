// Reading cards from Metaflow's card layout (runtime/src/datastore/cards.ts) and what a stored
// page holds (cardPage.ts): Flowlens pages, pages shaped like Metaflow's default card, raw HTML.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { readCardPage } from "../../../runtime/src/datastore/cardPage";
import { listCardRuns, listStepCards, listTaskCards, parseCardFileName, readCardHtml, taskCardsPrefix } from "../../../runtime/src/datastore/cards";
import { LocalObjectStore } from "../../../runtime/src/datastore/local";
import { cardList, latestStepCards, refFromKey, type CardRef } from "../../../client/src/cards/cardRefs";
import { cardItems, cardItemText, cardsNode, type CardsItem } from "../../../client/src/cards/cardTreeItems";
import { ExplorerModel } from "../../../client/src/explorer/treeModel";
import { cardsFolder, flowlensCardPage, metaflowStylePage, writeCardFile, writeTaskSkeleton, type TaskSpot } from "../../support/cardPages";

const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
function spot(task = "2"): TaskSpot {
  const root = mkdtempSync(join(tmpdir(), "flowlens-cards-"));
  made.push(root);
  return { root, flow: "CardFlow", run: "7", step: "train", task };
}

void test("card file names split as Metaflow splits them: type-hash, type-id-hash", () => {
  assert.deepEqual(parseCardFileName("default-9f1c2a.html"), { type: "default", hash: "9f1c2a" });
  assert.deepEqual(parseCardFileName("blank-report-77aa.html"), { type: "blank", id: "report", hash: "77aa" });
  assert.equal(parseCardFileName("default-9f1c2a.data.json"), undefined);
  assert.equal(parseCardFileName(".default-9f1c2a.html.123.tmp"), undefined);
  assert.equal(parseCardFileName("a-b-c-d.html"), undefined);
  assert.equal(parseCardFileName("nohash.html"), undefined);
  assert.equal(taskCardsPrefix({ flow: "F", run: "1", step: "s", task: "3" }), "mf.cards/F/runs/1/steps/s/tasks/3/cards/");
});

void test("a task's cards are listed from its cards folder, filtered by type, id and hash prefix", async () => {
  const t = spot();
  writeCardFile(t, "default-aaaa1111.html", "<html></html>");
  writeCardFile(t, "blank-report-bbbb2222.html", "<html>r</html>");
  writeFileSync(join(cardsFolder(t), ".blank-report-bbbb2222.html.1.tmp"), "half");
  const store = new LocalObjectStore(t.root);
  const all = await listTaskCards(store, t);
  assert.deepEqual(all.map((c) => `${c.type}/${c.id ?? ""}/${c.hash}`).sort(), ["blank/report/bbbb2222", "default//aaaa1111"]);
  assert.deepEqual((await listTaskCards(store, t, { type: "blank" })).map((c) => c.hash), ["bbbb2222"]);
  assert.deepEqual((await listTaskCards(store, t, { id: "report" })).map((c) => c.hash), ["bbbb2222"]);
  assert.deepEqual((await listTaskCards(store, t, { hash: "aaaa" })).map((c) => c.type), ["default"]);
  assert.deepEqual(await listTaskCards(store, t, { hash: "zz" }), []);
  const card = all.find((c) => c.type === "blank");
  assert.ok(card);
  assert.equal(await readCardHtml(store, card), "<html>r</html>");
  assert.deepEqual(await listTaskCards(store, { ...t, task: "99" }), []);
});

void test("a step's cards span its tasks, and runs with cards are listed oldest first", async () => {
  const t = spot("3");
  writeCardFile(t, "default-a1.html", "x");
  writeCardFile({ ...t, task: "10" }, "default-a2.html", "y");
  writeCardFile({ ...t, run: "12" }, "default-a3.html", "z");
  const store = new LocalObjectStore(t.root);
  assert.deepEqual((await listStepCards(store, t.flow, t.run, t.step)).map((c) => c.task), ["3", "10"]);
  assert.deepEqual(await listCardRuns(store, t.flow), ["7", "12"]);
});

const components = [
  { type: "title", text: "Report </script><script>alert(1)</script>" },
  { type: "progressBar", id: "p", max: 10, value: 4, label: "epochs" },
  { type: "table", columns: ["a"], data: [[1]] },
];

void test("a Flowlens page's JSON block is read back whole, even with </script> in the data", () => {
  const html = flowlensCardPage({ pathspec: "CardFlow/7/train/2", final: false, components });
  assert.ok(!html.includes("</script><script>alert"), "the data is script-safe");
  const page = readCardPage(html);
  assert.equal(page.kind, "components");
  if (page.kind !== "components") return;
  assert.equal(page.source, "flowlens");
  assert.equal(page.doc.final, false);
  assert.equal(page.doc.pathspec, "CardFlow/7/train/2");
  assert.deepEqual(page.doc.components, components);
});

void test("a Metaflow-style page is read from its base64 data statement, never run; final when Metaflow closed it", () => {
  const live = readCardPage(metaflowStylePage("CardFlow/7/train/2", components, false));
  assert.equal(live.kind, "components");
  if (live.kind !== "components") return;
  assert.equal(live.source, "metaflow");
  assert.equal(live.doc.final, false);
  assert.equal(live.doc.title, "CardFlow/7/train/2");
  assert.deepEqual(live.doc.components, components);
  const done = readCardPage(metaflowStylePage("CardFlow/7/train/2", components, true));
  assert.equal(done.kind === "components" && done.doc.final, true);
});

void test("pages without card data are HTML cards; damaged data blocks say what is wrong", () => {
  assert.deepEqual(readCardPage("<html><head><title>My &amp; report</title></head><body><script>x()</script></body></html>"), { kind: "html", title: "My & report" });
  const bad = readCardPage('<script type="application/json" id="flowlens-card-data">{not json</script>');
  assert.equal(bad.kind, "broken");
  assert.match(bad.kind === "broken" ? bad.reason : "", /not JSON/);
  const notOurs = readCardPage('<script type="application/json" id="flowlens-card-data">{"components": []}</script>');
  assert.match(notOurs.kind === "broken" ? notOurs.reason : "", /flowlens_card/);
  const dropped = readCardPage(flowlensCardPage({ pathspec: "F/1/s/2", final: true, components: [{ type: "markdown", source: "x" }, 5, { no: "type" }] as never }));
  assert.equal(dropped.kind === "components" && dropped.doc.components.length, 1);
});

void test("the Runs view's Cards node, the panel's card list and Open card's choice of the latest run", async () => {
  const t = spot("5");
  writeCardFile(t, "blank-report-aa11.html", "x");
  writeCardFile(t, "default-bb22.html", "y");
  writeCardFile({ ...t, run: "6", task: "1" }, "default-cc33.html", "z");
  const store = new LocalObjectStore(t.root);
  const node = await cardsNode(store, { flow: t.flow, runId: t.run, step: t.step, taskId: t.task });
  assert.deepEqual(node.map((n) => n.count), [2]);
  assert.deepEqual(await cardsNode(store, { flow: t.flow, runId: t.run, step: t.step, taskId: "404" }), []);
  const items = await cardItems(store, node[0] as CardsItem);
  assert.deepEqual(items.map((i) => cardItemText(i).label).sort(), ["blank: report", "default"]);
  const ref = refFromKey(items[0]?.ref.key ?? "");
  assert.deepEqual(ref, items[0]?.ref);
  assert.equal(refFromKey("mf.cards/F/runs/1/steps/s/tasks/2/cards/notacard.txt"), undefined);
  assert.equal(refFromKey("F/1/s/2/0.data.json"), undefined);
  const list = await cardList(store, ref as CardRef);
  assert.deepEqual(list.map((e) => [e.label, e.current]).sort(), [
    ["run 6 · task 1 · default", false],
    ["run 7 · task 5 · blank report", ref?.type === "blank"],
    ["run 7 · task 5 · default", ref?.type === "default"],
  ]);
  assert.deepEqual((await latestStepCards(store, t.flow, "7", t.step)).cards.length, 2);
  assert.deepEqual(await latestStepCards(store, t.flow, "9", t.step), { run: "9", cards: [], earlierRun: "7" });
  assert.deepEqual(await latestStepCards(store, t.flow, undefined, t.step), { cards: [] });
});

void test("the Runs view does not take the mf.cards folder for a flow", async () => {
  const t = spot("1");
  writeTaskSkeleton(t);
  writeCardFile(t, "default-aa.html", "x");
  const flows = await new ExplorerModel(new LocalObjectStore(t.root)).flows();
  assert.deepEqual(flows, [{ kind: "flow", flow: "CardFlow" }]);
});
