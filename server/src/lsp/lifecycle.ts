// What the LSP specification says a server accepts when: before `initialize` only `initialize`
// (other requests: ServerNotInitialized; notifications are dropped, except `exit`), after
// `shutdown` nothing but `exit` (requests: InvalidRequest), and in between only params of the
// shape the handlers read (InvalidParams, with the field named). It sits between the transport's
// reader and the connection, so no handler ever sees a message it should not.
import { ErrorCodes, type DataCallback, type Disposable, type Message, type MessageReader, type MessageWriter, type PartialMessageInfo, type Event } from "vscode-languageserver/node";
import { paramsProblem } from "./params";

type Phase = "uninitialized" | "running" | "shutdown";

interface Incoming {
  jsonrpc?: unknown;
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

export class LifecycleGate implements MessageReader {
  private phase: Phase = "uninitialized";

  constructor(
    private readonly inner: MessageReader,
    private readonly writer: MessageWriter,
    private readonly log: (message: string) => void,
  ) {}

  /** Whether `shutdown` was received (the exit code depends on it). */
  get shutdownReceived(): boolean {
    return this.phase === "shutdown";
  }

  get onError(): Event<Error> {
    return this.inner.onError;
  }
  get onClose(): Event<void> {
    return this.inner.onClose;
  }
  get onPartialMessage(): Event<PartialMessageInfo> {
    return this.inner.onPartialMessage;
  }

  listen(callback: DataCallback): Disposable {
    return this.inner.listen((message) => {
      if (this.admit(message)) callback(message);
    });
  }

  dispose(): void {
    this.inner.dispose();
  }

  /** Whether the message goes on to the connection; a refused request is answered here. */
  private admit(message: Message): boolean {
    const m = message as Incoming;
    const isRequest = m.id !== undefined && "method" in m;
    if (!("method" in m)) return true; // a response to a request of the server's
    if (typeof m.method !== "string") {
      if (isRequest) this.refuse(m, ErrorCodes.InvalidRequest, "a request's method must be a string");
      return false;
    }
    if (!isRequest) return this.admitNotification(m.method, m.params);
    const refusal = this.refusalOf(m.method, m.params);
    if (refusal) {
      this.refuse(m, refusal.code, refusal.message);
      return false;
    }
    if (m.method === "initialize") this.phase = "running";
    else if (m.method === "shutdown") this.phase = "shutdown";
    return true;
  }

  private refusalOf(method: string, params: unknown): { code: number; message: string } | undefined {
    if (this.phase === "uninitialized" && method !== "initialize") return { code: ErrorCodes.ServerNotInitialized, message: `${method}: the server is not initialized; send initialize first` };
    if (this.phase === "running" && method === "initialize") return { code: ErrorCodes.InvalidRequest, message: "initialize: the server is already initialized (initialize may be sent once)" };
    if (this.phase === "shutdown") return { code: ErrorCodes.InvalidRequest, message: `${method}: the server is shut down; only the exit notification is accepted` };
    const problem = paramsProblem(method, params, true);
    return problem === undefined ? undefined : { code: ErrorCodes.InvalidParams, message: `${method}: invalid params: ${problem}` };
  }

  private admitNotification(method: string, params: unknown): boolean {
    if (method === "exit") return true;
    if (this.phase !== "running") {
      this.log(`flowlens: dropped the ${method} notification: ${this.phase === "shutdown" ? "the server is shut down" : "the server is not initialized yet"}`);
      return false;
    }
    const problem = paramsProblem(method, params, false);
    if (problem === undefined) return true;
    this.log(`flowlens: dropped the ${method} notification: invalid params: ${problem}`);
    return false;
  }

  private refuse(m: Incoming, code: number, message: string): void {
    const id = typeof m.id === "number" || typeof m.id === "string" ? m.id : null;
    const response = { jsonrpc: "2.0", id, error: { code, message } } as Message;
    this.writer.write(response).catch((error: unknown) => this.log(`flowlens: could not answer a refused request: ${String(error)}`));
  }
}
