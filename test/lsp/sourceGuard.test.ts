// What the server reads as source: a device, a FIFO, a directory or an oversized file is refused
// with its reason (the graph request answers RequestFailed; an oversized open document gets one
// diagnostic), and the server goes on answering.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { PublishDiagnosticsParams } from "vscode-languageserver-protocol";
import { maxSourceFileBytes, readSourceFileGuarded } from "../../server/src/parser/sourceFileGuard";
import { LspClient, uriOf } from "./client";
import { goodFlow } from "./fixtures";

let dir = "";
before(() => {
  dir = mkdtempSync(join(tmpdir(), "flowlens-guard-"));
  writeFileSync(join(dir, "flow.py"), goodFlow);
  mkdirSync(join(dir, "folder.py"));
  execFileSync("mkfifo", [join(dir, "fifo.py")]);
  // Sparse: the size is over the limit without writing the bytes.
  writeFileSync(join(dir, "big.py"), "");
  truncateSync(join(dir, "big.py"), maxSourceFileBytes + 1);
});
after(() => rmSync(dir, { recursive: true, force: true }));

void describe("readSourceFileGuarded", () => {
  void it("reads a regular file and refuses devices, FIFOs, directories and oversized files with the reason", () => {
    assert.deepEqual(readSourceFileGuarded(join(dir, "flow.py")), { ok: true, text: goodFlow });
    const refused = (path: string) => {
      const r = readSourceFileGuarded(path);
      assert.equal(r.ok, false, path);
      return r.ok ? "" : r.reason;
    };
    assert.equal(refused("/dev/zero"), "/dev/zero is not a regular file (a device, FIFO or socket): Flowlens reads source only from regular files");
    assert.match(refused(join(dir, "fifo.py")), /fifo\.py is not a regular file \(a device, FIFO or socket\)/);
    assert.match(refused(join(dir, "folder.py")), /folder\.py is not a regular file \(a directory\)/);
    assert.match(refused(join(dir, "big.py")), /big\.py is 8\.1 MiB: Flowlens reads source files of up to 8 MiB/);
    assert.deepEqual(readSourceFileGuarded(join(dir, "missing.py")), { ok: false, missing: true, reason: `${join(dir, "missing.py")} does not exist` });
  });
});

void describe("the server's reads from disk", () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ rootDir: dir });
  });
  after(async () => {
    await client.stop();
  });

  void it("answers flowlens/graph for a device, a FIFO, a directory and an oversized file with RequestFailed and the reason, and stays responsive", { timeout: 60000 }, async () => {
    const cases: [string, RegExp][] = [
      ["/dev/zero", /^\/dev\/zero is not a regular file/],
      [join(dir, "fifo.py"), /fifo\.py is not a regular file/],
      [join(dir, "folder.py"), /folder\.py is not a regular file \(a directory\)/],
      [join(dir, "big.py"), /big\.py is 8\.1 MiB: Flowlens reads source files of up to 8 MiB/],
    ];
    for (const [path, reason] of cases) {
      const error = await client.request("flowlens/graph", { uri: uriOf(path) }).then(
        () => assert.fail(`${path}: a graph, not an error`),
        (e: unknown) => e as { code: number; message: string },
      );
      assert.equal(error.code, -32803, path);
      assert.match(error.message, reason);
    }
    const graph = await client.request<{ flows: unknown[] }>("flowlens/graph", { uri: uriOf(join(dir, "flow.py")) });
    assert.equal(graph.flows.length, 1, "a regular file on disk still answers");
    assert.equal(await client.request("flowlens/graph", { uri: uriOf(join(dir, "missing.py")) }), null, "a missing file is no graph, as before");
  });

  void it("says on the first line of an open document over the limit that it is not checked", { timeout: 60000 }, async () => {
    const uri = uriOf(join(dir, "huge_open.py"));
    const line = "x = 1  # padding\n";
    client.open(uri, goodFlow + line.repeat(Math.ceil(maxSourceFileBytes / line.length)));
    const pushed: PublishDiagnosticsParams = await client.diagnostics(uri, 1, 50000);
    assert.deepEqual(
      pushed.diagnostics.map((d) => [d.code, d.severity, d.range.start.line, d.message]),
      [["FL000", 2, 0, "This file is 8.1 MiB: Flowlens analyses files of up to 8 MiB, so it is not checked."]],
    );
    client.close(uri);
  });
});
