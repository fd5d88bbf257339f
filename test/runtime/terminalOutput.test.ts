// A real Python task prints escape sequences meant for the user's terminal (a window title, an
// OSC 8 link, cursor movement, a forged `[run/step/task]` prefix after a carriage return, 8-bit
// controls) and fails with one in its exception. `flowlens run` shows its text, and its colours
// only on a terminal; nothing else reaches stdout or stderr.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { flowlens, repo, workspace } from "./cli";

const flow = String.raw`import sys
from metaflow import FlowSpec, step


class HostileFlow(FlowSpec):
    @step
    def start(self):
        print("\x1b]0;pwned title\x07title")
        print("\x1b]8;;https://evil.example/\x1b\\click here\x1b]8;;\x1b\\")
        print("\x1b[2A\x1b[10;1Hmoved\x1b[K")
        print("real\r\x1b[2K[99/fake/1] forged")
        print("\x1b[31mred\x1b[0m")
        print("\x1bPq#0\x1b\\\u009b6n\u009d0;t\u0007c1")
        sys.stderr.write("err\x1b]2;t2\x1b\\ \x08\x08\x08over\n")
        self.next(self.end)

    @step
    def end(self):
        raise ValueError("boom\x1b]0;owned\x07\x1b[2J")


if __name__ == "__main__":
    HostileFlow()
`;

// eslint-disable-next-line no-control-regex
const controls = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

function checkText(output: string): void {
  assert.match(output, /^\[\d+\/start\/1\] title$/m);
  assert.match(output, /^\[\d+\/start\/1\] click here$/m);
  assert.match(output, /^\[\d+\/start\/1\] moved$/m);
  assert.match(output, /^\[\d+\/start\/1\] real\[99\/fake\/1\] forged$/m, "the forged prefix stays behind the real one");
  assert.match(output, /^\[\d+\/start\/1\] c1$/m);
  assert.match(output, /^\[\d+\/start\/1\] err over$/m);
  assert.match(output, /^\[\d+\/end\/2\] ValueError: boom$/m);
  assert.match(output, /^\[\d+\/end\/2\] task failed: ValueError: boom$/m);
  // The traceback quotes the source line, where the sequence is written out as escapes: that stays.
  assert.doesNotMatch(output, /pwned|evil\.example|t2/);
}

void test("flowlens run on a pipe: a task's escape sequences and controls are removed, its text kept", { timeout: 120_000 }, async () => {
  const { dir } = workspace();
  writeFileSync(join(dir, "flow.py"), flow);
  const r = await flowlens(["run", "flow.py"], dir);
  assert.equal(r.code, 1, r.stderr);
  const output = r.stdout + r.stderr;
  checkText(output);
  assert.doesNotMatch(output, controls, JSON.stringify(output.match(new RegExp(`.{0,20}${controls.source}.{0,20}`))?.[0]));
  assert.match(output, /^\[\d+\/start\/1\] red$/m, "no colours on a pipe");
  // The stored log, printed again by `flowlens logs`, is sanitized the same way.
  const logs = await flowlens(["logs", "HostileFlow/latest/start"], dir);
  assert.equal(logs.code, 0, logs.stderr);
  const printed = logs.stdout + logs.stderr;
  assert.match(printed, /^\[\d+\/start\/1\] real\[99\/fake\/1\] forged$/m);
  assert.doesNotMatch(printed, /pwned|evil\.example|t2/);
  assert.doesNotMatch(printed, controls, JSON.stringify(printed));
});

void test("flowlens run on a terminal: the task's colours are kept, nothing else", { timeout: 120_000 }, async () => {
  const { dir } = workspace();
  writeFileSync(join(dir, "flow.py"), flow);
  const tsx = pathToFileURL(join(repo, "node_modules/tsx/dist/loader.mjs")).href;
  const command = [process.execPath, "--import", tsx, join(repo, "runtime/src/cli/main.ts"), "run", "flow.py"].map((a) => `'${a}'`).join(" ");
  // `script` gives the CLI a pseudo-terminal for stdout and stderr (which turns each \n into \r\n).
  const child = spawn("script", ["-qec", command, "/dev/null"], { cwd: dir, env: { ...process.env, NO_COLOR: "" }, stdio: ["ignore", "pipe", "pipe"] });
  let raw = "";
  child.stdout.on("data", (d: Buffer) => (raw += d.toString("utf8")));
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  assert.equal(code, 1, raw);
  const output = raw.replace(/\r\n/g, "\n");
  checkText(output.replace(/\x1b\[[0-9;]*m/g, "")); // eslint-disable-line no-control-regex
  assert.match(output, /^\[\d+\/start\/1\] \x1b\[31mred\x1b\[0m$/m, "colours kept on a terminal"); // eslint-disable-line no-control-regex
  // eslint-disable-next-line no-control-regex
  const withoutSgr = output.replace(/\x1b\[[0-9;:]*m/g, "");
  assert.doesNotMatch(withoutSgr, controls, JSON.stringify(withoutSgr.match(new RegExp(`.{0,20}${controls.source}.{0,20}`))?.[0]));
});
