// Cards with real Python: `python flow.py run` on a flow with @card, then what Metaflow's tools
// read: the files in mf.cards/, `python flow.py card list|get`, and get_cards. One step refreshes
// a card while it runs and records what the live page held at that moment, so the live page and
// the final page are both checked without waiting on time. The same flow runs on S3 (moto).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startMoto, type MotoServer } from "../remote/servers/moto";
import { project, pyJson, python } from "./entry/python";

const cardFlow = `import json
from metaflow import FlowSpec, step, card, current
from metaflow.cards import MetaflowCardComponent, get_cards


class Note(MetaflowCardComponent):
    REALTIME_UPDATABLE = True

    def __init__(self, text):
        self.text = text

    def update(self, text):
        self.text = text

    def render(self):
        return {"type": "text", "text": self.text}


def page_json(html):
    start = html.index('id="flowlens-card-data">') + len('id="flowlens-card-data">')
    return json.loads(html[start:html.index("</script>", start)])


class CardFlow(FlowSpec):
    @card(type="blank", id="live", refresh_interval=0)
    @card
    @step
    def start(self):
        self.x = 41
        note = Note("working")
        current.card["live"].append(note, id="note")
        current.card.append(Note("default card note"))
        current.card["live"].refresh()
        live = get_cards(current.pathspec, id="live")[0]
        page = page_json(live.html)
        self.live_final = page["final"]
        self.live_texts = [c.get("text") for c in page["components"]]
        self.live_data = live.get_data()["final"]
        note.update("halfway")
        current.card["live"].refresh()
        self.live_texts_2 = [c.get("text") for c in page_json(get_cards(current.pathspec, id="live")[0].html)["components"]]
        current.card["live"].components["note"].update("done")
        self.next(self.middle)

    @card(type="test_error_card")
    @card(type="html")
    @step
    def middle(self):
        self.html = "<p>report</p>"
        self.next(self.end)

    @card(type="test_error_card", save_errors=False)
    @step
    def end(self):
        pass


if __name__ == "__main__":
    CardFlow()
`;

const dir = project({ "flow.py": cardFlow });
let runId = "";

/** The pathspec (without the flow) of the one task of a step. */
const taskOf = (step: string): string => `${runId}/${step}/${{ start: "1", middle: "2", end: "3" }[step] ?? ""}`;

void test("a flow with @card runs; cards are stored in Metaflow's layout and the task never fails for a card", { timeout: 120_000 }, async () => {
  const out = await python(["flow.py", "run", "--run-id-file", "run-id"], dir);
  assert.equal(out.code, 0, out.stderr);
  runId = readFileSync(join(dir, "run-id"), "utf8").trim();
  assert.match(out.stderr, /card test_error_card of task CardFlow\/\d+\/middle\/\d+ could not be rendered: Exception: Unknown Things Happened/);
});

void test("current.card refresh writes the live page (final: false) and its data file while the step runs, again after an update", async () => {
  const got = await pyJson(`from metaflow import Task\nt = Task("CardFlow/${taskOf("start")}")\nprint(json.dumps({"final": t["live_final"].data, "texts": t["live_texts"].data, "data": t["live_data"].data, "texts2": t["live_texts_2"].data}))`, dir);
  assert.deepEqual(got, { final: false, texts: ["working"], data: false, texts2: ["halfway"] });
});

void test("python flow.py card list --as-json --file lists the step's two cards, and without PATHSPEC every card of the latest run", async () => {
  const out = await python(["flow.py", "--quiet", "card", "list", taskOf("start"), "--as-json", "--file", "cards.json"], dir);
  assert.equal(out.code, 0, out.stderr);
  const listed = JSON.parse(readFileSync(join(dir, "cards.json"), "utf8")) as { pathspec: string; cards: { type: string; id: string | null; hash: string; filename: string }[] };
  assert.equal(listed.pathspec, `CardFlow/${taskOf("start")}`);
  assert.deepEqual(listed.cards.map((c) => [c.type, c.id]).sort(), [["blank", "live"], ["default", null]]);
  for (const c of listed.cards) assert.equal(c.filename, `${c.type}${c.id === null ? "" : `-${c.id}`}-${c.hash}.html`);
  const all = await python(["flow.py", "--quiet", "card", "list", "--as-json", "--file", "all.json"], dir);
  assert.equal(all.code, 0, all.stderr);
  const tasks = JSON.parse(readFileSync(join(dir, "all.json"), "utf8")) as { pathspec: string; cards: unknown[] }[];
  assert.deepEqual(tasks.map((t) => [t.pathspec, t.cards.length]).sort(), [[`CardFlow/${taskOf("middle")}`, 2], [`CardFlow/${taskOf("start")}`, 2]]);
});

void test("python flow.py card get prints the html card, the error page of a failed card, and Metaflow's headline when there is none", async () => {
  const html = await python(["flow.py", "--quiet", "card", "get", taskOf("middle"), "--type", "html"], dir);
  assert.equal(html.code, 0, html.stderr);
  assert.equal(html.stdout, "<p>report</p>\n");
  const failed = await python(["flow.py", "--quiet", "card", "get", taskOf("middle"), "--type", "test_error_card"], dir);
  assert.equal(failed.code, 0, failed.stderr);
  assert.match(failed.stdout, /Unknown Things Happened/);
  const none = await python(["flow.py", "--quiet", "card", "get", taskOf("end")], dir);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /^flowlens: Card not found in datastore: /);
  assert.equal(none.stderr.trim().split("\n").length, 1, none.stderr);
});

void test("get_cards returns the cards with .type .id .hash .path and the final page's components", async () => {
  const got = await pyJson(
    `import os
from metaflow import Task
from metaflow.cards import get_cards
cards = get_cards(Task("CardFlow/${taskOf("start")}"), id="live")
c = cards[0]
html = c.html
start = html.index('id="flowlens-card-data">') + len('id="flowlens-card-data">')
page = json.loads(html[start:html.index("</script>", start)])
default = get_cards("CardFlow/${taskOf("start")}", type="default")
print(json.dumps({"n": len(cards), "type": c.type, "id": c.id, "exists": os.path.isfile(c.path), "hash_in_path": c.hash in c.path,
                  "final": page["final"], "texts": [x.get("text") for x in page["components"]], "default": [d.type for d in default],
                  "data": c.get_data()["final"]}))`,
    dir,
  );
  assert.deepEqual(got, { n: 1, type: "blank", id: "live", exists: true, hash_in_path: true, final: true, texts: ["done"], default: ["default"], data: true });
});

let moto: MotoServer | undefined;
let s3env: NodeJS.ProcessEnv = {};

before(async () => {
  moto = await startMoto();
  s3env = moto.env;
  execFileSync("python3", ["-c", "import boto3; boto3.client('s3').create_bucket(Bucket='flowlens-cards')"], { env: { ...process.env, ...s3env } });
});

after(async () => {
  await moto?.stop();
});

void test("with --datastore s3 the cards are stored under the S3 root's mf.cards and read back by card get and get_cards", { timeout: 180_000 }, async () => {
  const s3 = ["--datastore", "s3", "--datastore-root", "s3://flowlens-cards/team"];
  const run = await python(["flow.py", ...s3, "run", "--run-id-file", "s3-run-id"], dir, s3env);
  assert.equal(run.code, 0, run.stderr);
  const s3Run = readFileSync(join(dir, "s3-run-id"), "utf8").trim();
  const keys = execFileSync("python3", ["-c", "import boto3\nfor o in boto3.client('s3').list_objects_v2(Bucket='flowlens-cards', Prefix='team/mf.cards/')['Contents']: print(o['Key'])"], { env: { ...process.env, ...s3env } }).toString();
  assert.match(keys, new RegExp(`^team/mf\\.cards/CardFlow/runs/${s3Run}/steps/middle/tasks/\\d+/cards/html-[0-9a-f]{32}\\.html$`, "m"));
  const html = await python(["flow.py", ...s3, "--quiet", "card", "get", `${s3Run}/middle`, "--type", "html"], dir, s3env);
  assert.equal(html.code, 0, html.stderr);
  assert.equal(html.stdout, "<p>report</p>\n");
  const got = await pyJson(
    `from metaflow import Flow, namespace
from metaflow.cards import get_cards
namespace(None)
task = Flow("CardFlow")["${s3Run}"]["start"].task
print(json.dumps(sorted(c.type for c in get_cards(task))))`,
    dir,
    { ...s3env, METAFLOW_DEFAULT_DATASTORE: "s3", METAFLOW_DATASTORE_SYSROOT_S3: "s3://flowlens-cards/team" },
  );
  assert.deepEqual(got, ["blank", "default"]);
});

void test("run --with card:ATTR=VALUE adds that card to every step; an attribute @card does not take is refused first (exit 2)", { timeout: 120_000 }, async () => {
  const bad = await python(["flow.py", "run", "--with", "card:colour=red"], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--with card:colour=red: @card takes no attribute 'colour'/);
  const run = await python(["flow.py", "run", "--with", "card:type=blank,id=extra", "--run-id-file", "with-run-id"], dir);
  assert.equal(run.code, 0, run.stderr);
  const withRun = readFileSync(join(dir, "with-run-id"), "utf8").trim();
  const out = await python(["flow.py", "--quiet", "card", "list", `${withRun}/end`, "--as-json", "--file", "with.json"], dir);
  assert.equal(out.code, 0, out.stderr);
  const listed = JSON.parse(readFileSync(join(dir, "with.json"), "utf8")) as { cards: { type: string; id: string | null }[] };
  assert.deepEqual(listed.cards.map((c) => [c.type, c.id]), [["blank", "extra"]]);
});
