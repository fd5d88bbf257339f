// The base protocol as the LSP specification has it, in raw frames: requests before `initialize`
// and after `shutdown`, params of the wrong shape, and a broken stream (which must end the server
// with a line on stderr, never leave it hanging).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { frame, RawServer } from "./raw";

const uri = "file:///tmp/flowlens-protocol/flow.py";
const position = { line: 0, character: 0 };

/** Every request the server handles, with params of the right shape. */
const goodRequests: Record<string, unknown> = {
  "textDocument/hover": { textDocument: { uri }, position },
  "textDocument/completion": { textDocument: { uri }, position },
  "textDocument/definition": { textDocument: { uri }, position },
  "textDocument/prepareRename": { textDocument: { uri }, position },
  "textDocument/references": { textDocument: { uri }, position, context: { includeDeclaration: true } },
  "textDocument/rename": { textDocument: { uri }, position, newName: "x" },
  "textDocument/documentSymbol": { textDocument: { uri } },
  "textDocument/codeLens": { textDocument: { uri } },
  "textDocument/codeAction": { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [] } },
  "flowlens/graph": { uri },
  "flowlens/flowInfo": { uri },
};

void describe("LSP lifecycle and params", () => {
  void it("answers requests before initialize with ServerNotInitialized and drops notifications", async () => {
    const server = new RawServer();
    try {
      const early = await server.request("textDocument/hover", goodRequests["textDocument/hover"]);
      assert.equal(early.error?.code, -32002);
      assert.match(early.error?.message ?? "", /not initialized/);
      server.notify("textDocument/didOpen", { textDocument: { uri, languageId: "python", version: 1, text: "class A:\n    pass\n" } });
      assert.equal((await server.request("initialize", null)).error?.code, -32602, "initialize without params");
      await server.initialize();
      // The didOpen sent before initialize was dropped: the document is unknown.
      assert.deepEqual((await server.request("textDocument/documentSymbol", { textDocument: { uri } })).result, []);
      const again = await server.request("initialize", { processId: null, rootUri: null, capabilities: {} });
      assert.equal(again.error?.code, -32600);
      assert.match(server.stderr, /dropped the textDocument\/didOpen notification: the server is not initialized/);
    } finally {
      server.kill();
    }
  });

  void it("answers null and {} params with InvalidParams naming the field, never a TypeError", async () => {
    const server = new RawServer();
    try {
      await server.initialize();
      for (const method of Object.keys(goodRequests)) {
        for (const params of [null, {}, { textDocument: null, position: { line: -1, character: "a" } }]) {
          const r = await server.request(method, params);
          assert.equal(r.error?.code, -32602, `${method} with ${JSON.stringify(params)}: ${JSON.stringify(r)}`);
          assert.match(r.error?.message ?? "", new RegExp(`^${method}: invalid params: params(\\.\\w+)* must be`));
          assert.doesNotMatch(r.error?.message ?? "", /TypeError|Cannot read|undefined/);
        }
        const ok = await server.request(method, goodRequests[method]);
        assert.equal(ok.error, undefined, `${method} with good params: ${JSON.stringify(ok.error)}`);
      }
      // A notification with bad params is dropped and logged; the server goes on.
      server.notify("textDocument/didChange", { textDocument: { uri, version: 2 }, contentChanges: [{ range: null, text: "x" }] });
      server.notify("textDocument/didOpen", null);
      assert.equal((await server.request("textDocument/hover", goodRequests["textDocument/hover"])).error, undefined);
      const didOpenDropped = /dropped the textDocument\/didOpen notification: invalid params: params must be an object/;
      const stderr = await server.stderrMatching(didOpenDropped);
      assert.match(stderr, /dropped the textDocument\/didChange notification: invalid params: params\.contentChanges\[0\]\.range must be an object/);
      assert.match(stderr, didOpenDropped);
    } finally {
      server.kill();
    }
  });

  void it("answers requests after shutdown with InvalidRequest and exits 0 on exit", async () => {
    const server = new RawServer();
    await server.initialize();
    assert.equal((await server.request("shutdown")).error, undefined);
    const late = await server.request("textDocument/hover", goodRequests["textDocument/hover"]);
    assert.equal(late.error?.code, -32600);
    assert.match(late.error?.message ?? "", /shut down/);
    assert.equal((await server.request("shutdown")).error?.code, -32600);
    server.notify("exit");
    assert.equal(await server.exited, 0);
  });

  void it("exits 1 on exit without shutdown", async () => {
    const server = new RawServer();
    await server.initialize();
    server.notify("exit");
    assert.equal(await server.exited, 1);
  });
});

void describe("LSP framing", () => {
  const broken: Record<string, Buffer> = {
    "a Content-Length that is not a number": Buffer.from('Content-Length: abc\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}'),
    "a header without Content-Length": Buffer.from('Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"shutdown"}'),
    "a negative Content-Length": Buffer.from('Content-Length: -5\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"shutdown"}'),
    "a Content-Length shorter than the body": Buffer.concat([Buffer.from('Content-Length: 20\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"shutdown"}'), frame({ jsonrpc: "2.0", id: 2, method: "shutdown" })]),
    "a Content-Length over the limit": Buffer.from('Content-Length: 99999999999\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"shutdown"}'),
    "a header line without a colon": Buffer.from('Content-Length 44\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"shutdown"}'),
    "a body that is not JSON": Buffer.from("Content-Length: 5\r\n\r\nhello"),
    "endless bytes without a header end": Buffer.alloc(10000, "x"),
  };
  for (const [name, bytes] of Object.entries(broken)) {
    void it(`logs to stderr and exits 1 on ${name}`, async () => {
      const server = new RawServer();
      try {
        server.write(bytes);
        assert.equal(await server.exited, 1);
        assert.match(server.stderr, /flowlens: the language server's input is broken, so it stops: /);
        assert.doesNotMatch(server.stderr, /\n\s+at /, "no stack trace");
      } finally {
        server.kill();
      }
    });
  }

  void it("reads a message split across writes and two messages in one write", async () => {
    const server = new RawServer();
    try {
      const init = frame({ jsonrpc: "2.0", id: 1, method: "initialize", params: { processId: null, rootUri: null, capabilities: {} } });
      server.write(init.subarray(0, 10));
      server.write(init.subarray(10, 40));
      server.write(init.subarray(40));
      assert.ok((await server.response(1)).result);
      server.write(Buffer.concat([frame({ jsonrpc: "2.0", id: 2, method: "shutdown" }), frame({ jsonrpc: "2.0", id: 3, method: "shutdown" })]));
      assert.equal((await server.response(2)).error, undefined);
      assert.equal((await server.response(3)).error?.code, -32600);
    } finally {
      server.kill();
    }
  });
});
