// The commands package.json contributes are exactly the ones the protocol module declares, both
// ways, and every command a menu names is one of them; the CodeLens' commands are declared ones.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { contributedCommands, lensCommands, linkCommands, parseLensArguments } from "../../../server/src/protocol/commands";

interface Manifest {
  contributes: { commands: { command: string; category?: string }[]; menus: Record<string, { command: string }[]> };
}

const manifest = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "..", "package.json"), "utf8")) as Manifest;
const contributed = manifest.contributes.commands.map((c) => c.command);
const declared: string[] = Object.values(contributedCommands);

void test("package.json contributes every declared command, and only those", () => {
  assert.deepEqual(
    declared.filter((id) => !contributed.includes(id)),
    [],
    "declared in server/src/protocol/commands.ts but missing from package.json",
  );
  assert.deepEqual(
    contributed.filter((id) => !declared.includes(id)),
    [],
    "in package.json but not declared in server/src/protocol/commands.ts",
  );
  assert.equal(new Set(contributed).size, contributed.length, "no command is contributed twice");
  assert.equal(new Set(declared).size, declared.length, "no command is declared under two names");
});

void test("every menu entry names a contributed command; link commands are not contributed", () => {
  for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
    for (const e of entries) assert.ok(declared.includes(e.command), `${menu} names ${e.command}, which is not declared`);
  }
  for (const id of Object.values(linkCommands)) assert.ok(!contributed.includes(id), `${id} is reached only by a webview link`);
});

void test("the CodeLens' commands are declared commands; their arguments are checked", () => {
  for (const id of Object.values(lensCommands)) assert.ok(declared.includes(id), id);
  assert.deepEqual(parseLensArguments({ uri: "file:///f.py", file: "/f.py", flow: "F", step: "a" }), { uri: "file:///f.py", file: "/f.py", flow: "F", step: "a" });
  assert.equal(parseLensArguments({ uri: "file:///f.py", file: "/f.py" }), undefined);
  assert.equal(parseLensArguments({ uri: "file:///f.py", file: "/f.py", flow: "F", step: 3 }), undefined);
  assert.equal(parseLensArguments("flowlens.runFlow"), undefined);
});
