// One datastore-root rule for the CLI and the editor (runtime/src/datastore/root.ts), on the table
// of cases the Python side also runs (test/runtime/python/test_datastore_root_cases.py).
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { datastoreRoot, type DatastoreKind } from "../../../runtime/src/datastore/root";
import { datastoreFromSettings } from "../../../client/src/runs/datastoreSettings";

interface Case {
  about: string;
  kind: DatastoreKind;
  dirs: string[];
  cwd: string;
  given?: string;
  env?: Record<string, string>;
  expect: string;
}

const cases = (JSON.parse(readFileSync(join(__dirname, "..", "..", "cases", "datastore-root.json"), "utf8")) as { cases: Case[] }).cases;

/** Runs `check` on each case in a fresh folder holding the case's folders. */
function eachCase(check: (c: Case, root: string, sub: (s: string) => string, expected: string) => void): void {
  for (const c of cases) {
    const root = mkdtempSync(join(tmpdir(), "flowlens-root-"));
    try {
      for (const d of [...c.dirs, c.cwd]) mkdirSync(join(root, d), { recursive: true });
      const sub = (s: string) => s.replaceAll("{root}", root);
      const expected = c.expect === "" || c.expect.startsWith("s3://") ? c.expect : resolve(root, c.expect);
      check(c, root, sub, expected);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
}

void test("the CLI's datastore root follows the shared table", () => {
  assert.ok(cases.length >= 15);
  eachCase((c, root, sub, expected) => {
    const env = Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, sub(v)]));
    const given = c.given === undefined ? undefined : sub(c.given);
    assert.equal(datastoreRoot({ kind: c.kind, given, env, cwd: join(root, c.cwd) }), expected, c.about);
  });
});

void test("the editor's datastore (settings over the workspace folder) follows the same table", () => {
  eachCase((c, root, sub, expected) => {
    const env = Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, sub(v)]));
    const settings: Record<string, string> = { type: c.kind, ...(c.given !== undefined ? { [c.kind === "s3" ? "s3Root" : "root"]: sub(c.given).trim() } : {}) };
    const config = datastoreFromSettings((key, fallback) => settings[key] ?? fallback, join(root, c.cwd), env);
    assert.deepEqual({ kind: config.kind, root: config.root }, { kind: c.kind, root: expected }, c.about);
  });
});
