// Task output on its way to a terminal: a table of hostile inputs, each with what must remain
// with and without colours; a random property check; and both users of the sanitizer (the CLI
// printer and the log pane) fed the same hostile line.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatLogLine, stripAnsi } from "../../../client/src/logs/logFormat";
import { terminalPrinter } from "../../../runtime/src/cli/printer";
import type { LogEvent } from "../../../server/src/protocol/runEvents";
import { sanitizeTerminalText } from "../../../server/src/protocol/terminalText";
import { seededRandom } from "../../support/random";

/** [what it is, input, output with colours, output without]. */
const hostile: [string, string, string, string][] = [
  ["window title (OSC 0, BEL)", "a\x1b]0;pwned\x07b", "ab", "ab"],
  ["window title (OSC 2, ST)", "\x1b]2;title\x1b\\ok", "ok", "ok"],
  ["OSC 8 hyperlink", "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\", "click", "click"],
  ["clipboard write (OSC 52)", "\x1b]52;c;ZWNobyBwd25lZA==\x07x", "x", "x"],
  ["unterminated OSC swallows the rest of the line", "a\x1b]0;no end", "a", "a"],
  ["cursor up, position, erase line", "x\x1b[2Ay\x1b[10;5Hz\x1b[K", "xyz", "xyz"],
  ["erase display", "\x1b[2J\x1b[3Jclean", "clean", "clean"],
  ["forged prefix over the real one (CR + erase)", "ok\r\x1b[2K[1/start/1] fake", "ok[1/start/1] fake", "ok[1/start/1] fake"],
  ["lone CR (progress bars overwrite the prefix)", "10%\r20%", "10%20%", "10%20%"],
  ["CR LF", "line\r\nnext", "line\nnext", "line\nnext"],
  ["backspaces over the prefix", "abc\b\b\b\b\b\bXYZ", "abcXYZ", "abcXYZ"],
  ["colour (SGR) with its reset", "\x1b[31mred\x1b[0m", "\x1b[31mred\x1b[0m", "red"],
  ["256 and true colour", "\x1b[38;5;196ma\x1b[38:2::255:0:0mb\x1b[m", "\x1b[38;5;196ma\x1b[38:2::255:0:0mb\x1b[m", "ab"],
  ["colour left on ends with the line", "\x1b[1;32mbold green", "\x1b[1;32mbold green\x1b[0m", "bold green"],
  ["hidden text cannot hide the next line's prefix", "\x1b[8msecret\nnext", "\x1b[8msecret\x1b[0m\nnext", "secret\nnext"],
  ["private CSI (hide cursor, modifyOtherKeys)", "\x1b[?25l\x1b[>4;2m\x1b[?1049hx", "x", "x"],
  ["device status report (answer injected into input)", "\x1b[6nq", "q", "q"],
  ["DCS (DECRQSS)", "\x1bP$qm\x1b\\x", "x", "x"],
  ["APC (terminal graphics)", "\x1b_Gf=100;AAAA\x1b\\img", "img", "img"],
  ["SOS and PM", "\x1bXs\x1b\\\x1b^p\x1b\\k", "k", "k"],
  ["full reset, save/restore cursor, charset", "\x1bcA\x1b7\x1b8\x1b(0B", "AB", "AB"],
  ["8-bit CSI colour is kept as 7-bit", "\u009b31mX\u009b0m", "\x1b[31mX\x1b[0m", "X"],
  ["8-bit CSI cursor movement", "\u009b2AY", "Y", "Y"],
  ["8-bit OSC title", "\u009d0;title\u0007Y", "Y", "Y"],
  ["8-bit DCS up to ST", "\u0090data\u009cZ", "Z", "Z"],
  ["other C1 controls (NEL, IND)", "a\u0085b\u0084c", "abc", "abc"],
  ["bell, NUL, DEL, vertical tab, form feed", "d\x07i\x00n\x7fg\x0b\x0c", "ding", "ding"],
  ["broken-off CSI", "\x1b[31", "", ""],
  ["CSI broken by a line feed", "\x1b[3\nB", "\nB", "\nB"],
  ["lone ESC at the end", "end\x1b", "end", "end"],
  ["tabs and text kept", "a\tb héllo 🙂 [x]", "a\tb héllo 🙂 [x]", "a\tb héllo 🙂 [x]"],
];

void describe("sanitizeTerminalText", () => {
  for (const [what, input, colours, plain] of hostile) {
    void it(what, () => {
      assert.equal(sanitizeTerminalText(input, { colors: true }), colours);
      assert.equal(sanitizeTerminalText(input, { colors: false }), plain);
    });
  }

  void it("leaves nothing a terminal acts on in random input, and keeps only well-formed SGR", () => {
    const next = seededRandom(20261202);
    const alphabet = ["\x1b", "[", "]", "P", "\\", "\x07", "\r", "\n", "\t", "\b", "\u009b", "\u009d", "\u009c", "\u0085", "m", "H", "0", "1", ";", "?", "a", " ", "é", "\x7f", "\x00"];
    for (let n = 0; n < 3000; n++) {
      let text = "";
      const length = Math.floor(next() * 40);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)] ?? "";
      const plain = sanitizeTerminalText(text, { colors: false });
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(plain, /[\x00-\x08\x0b-\x1f\x7f-\x9f]/, JSON.stringify(text));
      // eslint-disable-next-line no-control-regex
      const withoutSgr = sanitizeTerminalText(text, { colors: true }).replace(/\x1b\[[0-9;:]*m/g, "");
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(withoutSgr, /[\x00-\x08\x0b-\x1f\x7f-\x9f]/, JSON.stringify(text));
      assert.equal(sanitizeTerminalText(plain, { colors: false }), plain, "sanitizing twice changes nothing");
    }
  });
});

const line = "\x1b]0;pwned\x07\r\x1b[2K[9/fake/9] forged \x1b[32mgreen\x1b[0m \x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\";
const event: LogEvent = { type: "log", ts: 0, task: { flow: "F", runId: "1", step: "train", taskId: "4", attempt: 0 }, stream: "stdout", line };

void describe("the users of the sanitizer", () => {
  void it("the log pane keeps the task's colours and nothing else", () => {
    const pane = formatLogLine(event);
    assert.ok(pane.includes("\x1b[32mgreen\x1b[0m"));
    assert.ok(!pane.includes("\x1b]") && !pane.includes("\r") && !pane.includes("\x1b[2K"), JSON.stringify(pane));
    assert.equal(stripAnsi(pane), "[train/4]   [9/fake/9] forged green link");
    assert.equal(stripAnsi("\x1b]0;t\x07ok"), "ok", "stripAnsi removes OSC too");
  });

  void it("the CLI printer keeps colours on a terminal and drops them on a pipe", () => {
    const print = (colors: boolean) => {
      let out = "";
      terminalPrinter({ stdout: (t) => (out += t), stderr: (t) => (out += t), cwd: "/", env: {} }, { stdout: colors, stderr: colors })(event);
      return out;
    };
    assert.equal(print(false), "[1/train/4] [9/fake/9] forged green link\n");
    assert.equal(print(true), "[1/train/4] [9/fake/9] forged \x1b[32mgreen\x1b[0m link\n");
  });
});
