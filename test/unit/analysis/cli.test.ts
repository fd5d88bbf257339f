// `flowlens check` and `flowlens show`, run in-process through the Command interface.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { checkCommand } from "../../../runtime/src/cli/check";
import type { CliIo } from "../../../runtime/src/cli/command";
import { UsageError } from "../../../runtime/src/cli/command";
import { showCommand } from "../../../runtime/src/cli/show";

const root = join(__dirname, "..", "..", "..");
const fixtures = join(root, "test", "fixtures");

function io(): CliIo & { out: string; err: string } {
  const o = { out: "", err: "", cwd: root, env: process.env } as CliIo & { out: string; err: string };
  o.stdout = (t) => {
    o.out += t;
  };
  o.stderr = (t) => {
    o.err += t;
  };
  return o;
}

void test("check prints file:line:col: severity code message and a summary; exit 1 on errors", async () => {
  const x = io();
  const file = "test/fixtures/fl010-unknown-target/flow.py";
  const code = await checkCommand.run([file], x);
  assert.equal(code, 1);
  assert.match(x.out, /^test\/fixtures\/fl010-unknown-target\/flow\.py:6:24: error FL010 Step start transitions to unknown step trian\. Did you mean train\?/m);
  assert.match(x.out, /^1 file, 1 flow: \d+ errors, 0 warnings$/m);
});

void test("check exits 0 on a clean flow (warnings do not fail it)", async () => {
  const x = io();
  assert.equal(await checkCommand.run(["examples/hello/flow.py", join(fixtures, "ok-every-decorator", "flow.py")], x), 0);
  assert.match(x.out, /warning FL109/);
  assert.match(x.out, /2 files, 2 flows: 0 errors, 2 warnings/);
});

void test("check --json prints exactly one JSON document with 1-based positions", async () => {
  const x = io();
  const code = await checkCommand.run(["--json", "test/fixtures/fl203-join-reads-branch-artifact/flow.py", "examples/hello/flow.py"], x);
  assert.equal(code, 1);
  const doc = JSON.parse(x.out) as { files: { file: string; flows: string[]; diagnostics: { code: string; line: number; column: number; endLine: number; endColumn: number; severity: string; message: string }[] }[] };
  assert.equal(doc.files.length, 2);
  assert.deepEqual(doc.files[0]?.flows, ["F"]);
  assert.deepEqual(
    doc.files[0]?.diagnostics.map((d) => [d.code, d.severity, d.line, d.column, d.endLine, d.endColumn]),
    [["FL203", "error", 20, 20, 20, 25]],
  );
  assert.deepEqual(doc.files[1]?.diagnostics, []);
});

void test("check reports an unreadable file and usage errors", async () => {
  const x = io();
  assert.equal(await checkCommand.run(["does/not/exist.py"], x), 1);
  assert.match(x.err, /does\/not\/exist\.py: error: cannot read the file/);
  await assert.rejects(checkCommand.run([], io()), UsageError);
  await assert.rejects(checkCommand.run(["--bogus", "x.py"], io()), UsageError);
});

void test("check resolves base flows from workspace modules next to the file; show says where inherited steps are", async () => {
  const dir = mkdtempSync(join(tmpdir(), "flowlens-check-"));
  writeFileSync(join(dir, "base.py"), "from metaflow import FlowSpec, step\n\nclass Base(FlowSpec):\n    @step\n    def start(self):\n        self.x = 1\n        self.next(self.middle)\n\n    @step\n    def end(self):\n        pass\n");
  writeFileSync(join(dir, "flow.py"), "from metaflow import step\nfrom base import Base\n\nclass Child(Base):\n    @step\n    def middle(self):\n        print(self.x)\n        self.next(self.end)\n\nif __name__ == '__main__':\n    Child()\n");
  const x = io();
  assert.equal(await checkCommand.run([join(dir, "flow.py")], x), 0, x.out);
  // show names where each inherited step is: the base flow, its file and the def's line there.
  const y = io();
  assert.equal(await showCommand.run([join(dir, "flow.py")], y), 0, y.out);
  assert.match(y.out, /Step start \(start\) {2}\[from Base, \S*base\.py:5\]/);
  assert.match(y.out, /Step middle \(linear\)\n/);
});

void test("check DIR checks the flow files below it and skips other scripts, hidden folders and virtual environments", async () => {
  const dir = mkdtempSync(join(tmpdir(), "flowlens-check-dir-"));
  const good = "from metaflow import FlowSpec, step\n\nclass Good(FlowSpec):\n    @step\n    def start(self):\n        self.next(self.end)\n\n    @step\n    def end(self):\n        pass\n";
  mkdirSync(join(dir, "flows", "nested"), { recursive: true });
  mkdirSync(join(dir, ".venv", "lib"), { recursive: true });
  mkdirSync(join(dir, "env2"), { recursive: true });
  writeFileSync(join(dir, "flows", "good.py"), good);
  writeFileSync(join(dir, "flows", "nested", "bad.py"), good.replace("self.next(self.end)", "self.next(self.ned)"));
  // Not parseable yet, but it names Metaflow: its syntax error is reported.
  writeFileSync(join(dir, "flows", "typing.py"), "from metaflow import FlowSpec\n\nclass Half(FlowSpec:\n");
  writeFileSync(join(dir, "flows", "notes.py"), "def (\n");
  writeFileSync(join(dir, ".venv", "lib", "vendored.py"), good.replace("self.end)", "self.gone)"));
  writeFileSync(join(dir, "env2", "pyvenv.cfg"), "home = /usr/bin\n");
  writeFileSync(join(dir, "env2", "inside.py"), good.replace("self.end)", "self.gone)"));
  const x = io();
  x.cwd = dir;
  assert.equal(await checkCommand.run(["."], x), 1, x.out + x.err);
  assert.match(x.out, /^flows\/nested\/bad\.py:6:\d+: error FL010 /m);
  assert.match(x.out, /^flows\/typing\.py:\d+:\d+: error FL000 /m);
  assert.doesNotMatch(x.out, /notes\.py|vendored|inside/);
  assert.match(x.out, /^3 files, 2 flows: /m);
  const y = io();
  y.cwd = dir;
  assert.equal(await checkCommand.run(["flows/good.py"], y), 0, y.out);
});

void test("show lists steps in order with type, docstring, decorators and edges", async () => {
  const x = io();
  assert.equal(await showCommand.run([join(fixtures, "ok-branches-merge", "flow.py")], x), 0);
  assert.match(x.out, /^BranchFlow\n {2}Two branches whose artifacts merge\.\n {2}--alpha \(float, default 0\.1\) {2}rate\n/);
  assert.match(x.out, /Step start \(split-static\)\n {4}Prepare data\.\n {4}=> linear, tree\n/);
  assert.match(x.out, /Step join \(join\)\n {4}Pick the best branch\.\n {4}=> end\n/);
  const y = io();
  await showCommand.run([join(fixtures, "ok-every-decorator", "flow.py")], y);
  assert.match(y.out, /Step prepare \(linear\) {2}@retry\(times=3, minutes_between_retries=0\) @catch\(var="failure", print_exception=False\)/);
  const z = io();
  await showCommand.run([join(fixtures, "ok-switch-loop", "flow.py")], z);
  assert.match(z.out, /=> again: refine, done: check \(condition decision\)/);
});

void test("show --json prints the graph (Metaflow's _graph_info)", async () => {
  const x = io();
  assert.equal(await showCommand.run(["--json", "examples/hello/flow.py"], x), 0);
  const g = JSON.parse(x.out) as { steps: Record<string, { type: string }>; graph_structure: unknown[] };
  assert.equal(g.steps.start?.type !== undefined, true);
  assert.equal(g.graph_structure[0], "start");
  assert.equal(g.graph_structure[g.graph_structure.length - 1], "end");
});
