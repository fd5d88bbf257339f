// The server's connection: standard input/output (`--stdio`, the default) read strictly, or
// Node IPC (`--node-ipc`, as VS Code starts it), each behind the lifecycle gate. A stream that
// breaks (a malformed header, a body that does not match its Content-Length) cannot be read any
// further: the server says why on stderr and exits with 1 instead of hanging.
import { createConnection, IPCMessageReader, IPCMessageWriter, ProposedFeatures, StreamMessageWriter, type Connection, type MessageReader, type MessageWriter } from "vscode-languageserver/node";
import { StrictStreamReader } from "./framing";
import { LifecycleGate } from "./lifecycle";

const logToStderr = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

export function createServerConnection(argv: readonly string[] = process.argv.slice(2)): Connection {
  const ipc = argv.includes("--node-ipc");
  const unsupported = argv.find((a) => /^--(socket|pipe)(=|$)/.test(a));
  if (unsupported !== undefined) {
    logToStderr(`flowlens: the language server speaks over --stdio or --node-ipc, not ${unsupported}`);
    process.exit(2);
  }
  const reader: MessageReader = ipc ? new IPCMessageReader(process) : new StrictStreamReader(process.stdin);
  const writer: MessageWriter = ipc ? new IPCMessageWriter(process) : new StreamMessageWriter(process.stdout);
  const gate = new LifecycleGate(reader, writer, logToStderr);
  gate.onError((error) => {
    logToStderr(`flowlens: the language server's input is broken, so it stops: ${error.message}`);
    process.exit(1);
  });
  // The client went away: as after `exit`, the code tells whether it had asked for a shutdown.
  gate.onClose(() => process.exit(gate.shutdownReceived ? 0 : 1));
  return createConnection(ProposedFeatures.all, gate, writer);
}
