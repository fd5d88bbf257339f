// A language server spoken to in raw base-protocol frames, for the tests of the protocol itself
// (lifecycle, params, framing) that a well-behaved client library never sends.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "./client";

export interface RawResponse {
  id: number | string | null;
  result?: unknown;
  error?: { code: number; message: string };
}

export function frame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), "utf8");
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]);
}

export class RawServer {
  readonly child: ChildProcess;
  readonly messages: { id?: unknown; method?: string; result?: unknown; error?: RawResponse["error"] }[] = [];
  stderr = "";
  readonly exited: Promise<number | null>;
  private buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  private nextId = 1;
  private closed = false;

  constructor() {
    this.child = spawn(process.execPath, ["--import", "tsx", join(repoRoot, "server", "src", "server.ts"), "--stdio"], { cwd: repoRoot, stdio: ["pipe", "pipe", "pipe"] });
    // "close" comes after the last output has been read, so a test sees every answer before the exit.
    this.exited = new Promise((resolve) =>
      this.child.once("close", (code) => {
        this.closed = true;
        resolve(code);
        for (const w of this.waiters.splice(0)) w();
      }),
    );
    this.child.stdout?.on("data", (d: Buffer) => this.onData(d));
    this.child.stderr?.on("data", (d: Buffer) => {
      this.stderr += d.toString();
      for (const w of this.waiters.splice(0)) w();
    });
    // A server that exits while the test still writes: the write fails, the exit code tells.
    this.child.stdin?.on("error", () => undefined);
  }

  /** Stderr once it matches: stdout and stderr are separate pipes, so an answer on stdout can
   * arrive before the line the server wrote to stderr just before it. */
  async stderrMatching(pattern: RegExp): Promise<string> {
    while (!pattern.test(this.stderr) && !this.closed) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.stderr;
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString())?.[1]);
      if (this.buffer.length < end + 4 + length) return;
      this.messages.push(JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString("utf8")) as RawServer["messages"][number]);
      this.buffer = this.buffer.subarray(end + 4 + length);
      for (const w of this.waiters.splice(0)) w();
    }
  }

  write(bytes: Buffer | string): void {
    this.child.stdin?.write(bytes);
  }

  notify(method: string, params?: unknown): void {
    this.write(frame({ jsonrpc: "2.0", method, params }));
  }

  /** Sends a request and resolves with its response (result or error). */
  async request(method: string, params?: unknown): Promise<RawResponse> {
    const id = this.nextId++;
    this.write(frame(params === undefined ? { jsonrpc: "2.0", id, method } : { jsonrpc: "2.0", id, method, params }));
    return this.response(id);
  }

  response(id: number): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.messages.find((m) => m.id === id && m.method === undefined);
        if (found) resolve(found as RawResponse);
        else if (this.closed) reject(new Error(`the server exited (${this.child.exitCode}) before answering request ${id}: ${this.stderr}`));
        else this.waiters.push(check);
      };
      check();
    });
  }

  async initialize(): Promise<void> {
    const r = await this.request("initialize", { processId: null, rootUri: null, capabilities: {} });
    if (r.error) throw new Error(`initialize failed: ${r.error.message}`);
    this.notify("initialized", {});
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}
