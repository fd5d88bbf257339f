// `flowlens card list|get|view` on a datastore holding cards in Metaflow's layout: pages written
// as a task writes them (test/support/cardPages.ts), read by the real CLI.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { flowlensCardPage, metaflowStylePage, writeCardFile, writeTaskSkeleton, type TaskSpot } from "../support/cardPages";
import { flowlens, workspace } from "./cli";

function setup(): { dir: string; t: TaskSpot; report: string; def: string } {
  const { dir } = workspace();
  const t: TaskSpot = { root: join(dir, ".metaflow"), flow: "CardFlow", run: "4", step: "train", task: "9" };
  writeTaskSkeleton(t);
  const report = writeCardFile(t, "blank-report-1a2b3c4d.html", flowlensCardPage({ pathspec: "CardFlow/4/train/9", final: true, components: [{ type: "markdown", source: "# hi" }] }));
  const def = writeCardFile(t, "default-9e8d7c6b.html", metaflowStylePage("CardFlow/4/train/9", [], true));
  return { dir, t, report, def };
}

void test("card list prints each card of the task, and --json gives type, id, hash and path", async () => {
  const { dir, report } = setup();
  const text = await flowlens(["card", "list", "CardFlow/latest/train/9"], dir);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /CardFlow\/4\/train\/9 {2}type=blank {2}id=report {2}hash=1a2b3c4d/);
  assert.match(text.stdout, /type=default {2}id=- {2}hash=9e8d7c6b/);
  const json = await flowlens(["card", "list", "CardFlow/4/train", "--json", "--type", "blank"], dir);
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(
    (JSON.parse(json.stdout) as { type: string; id: string | null; hash: string; path: string }[]).map((c) => [c.type, c.id, c.hash, c.path]),
    [["blank", "report", "1a2b3c4d", report]],
  );
});

void test("card get writes the chosen card's page; with several matches it says it took the newest", async () => {
  const { dir, report } = setup();
  const out = await flowlens(["card", "get", "CardFlow/4/train/9", "--id", "report", "--file", "out.html"], dir);
  assert.equal(out.code, 0, out.stderr);
  assert.equal(readFileSync(join(dir, "out.html"), "utf8"), readFileSync(report, "utf8"));
  const stdout = await flowlens(["card", "get", "CardFlow/4/train/9", "--hash", "9e8d"], dir);
  assert.match(stdout.stdout, /__MF_DATA__/);
  const many = await flowlens(["card", "get", "CardFlow/4/train/9", "--file", "x.html"], dir);
  assert.equal(many.code, 0);
  assert.match(many.stderr, /2 cards match; using the newest/);
});

void test("card view opens the page, or prints its path when no opener can start", async () => {
  const { dir, def } = setup();
  const r = await flowlens(["card", "view", "CardFlow/4/train/9", "--type", "default"], dir, { FLOWLENS_NO_BROWSER: "1" });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), def);
  assert.ok(existsSync(r.stdout.trim()));
});

void test("a missing card is one line and exit 1; a bad subcommand or option is a usage error (exit 2)", async () => {
  const { dir } = setup();
  const none = await flowlens(["card", "get", "CardFlow/4/train/9", "--type", "html"], dir);
  assert.equal(none.code, 1);
  assert.equal(none.stderr.trim().split("\n").length, 1);
  assert.match(none.stderr, /^flowlens card: no card at CardFlow\/4\/train\/9 matching type=html in local:/);
  const noTask = await flowlens(["card", "list", "CardFlow/4/train/77"], dir);
  assert.equal(noTask.code, 1);
  assert.match(noTask.stderr, /has no task 77/);
  const bad = await flowlens(["card", "show", "CardFlow/4/train/9"], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown subcommand 'show'/);
  const opt = await flowlens(["card", "list", "CardFlow/4/train/9", "--colour", "x"], dir);
  assert.equal(opt.code, 2);
  const missing = await flowlens(["card"], dir);
  assert.equal(missing.code, 2);
});
