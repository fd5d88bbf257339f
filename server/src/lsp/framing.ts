// Reads LSP's base protocol (`Content-Length: N\r\n\r\n` + N bytes of JSON) from a stream,
// strictly. The library's reader reports a malformed header and then goes on reading the body as
// the next header, which wedges the server without a word; here any framing fault is one error
// and nothing after it is read: the stream cannot be resynchronised, so the caller ends the server.
import { AbstractMessageReader, type DataCallback, type Disposable, type Message, type MessageReader } from "vscode-languageserver/node";

/** The largest message accepted: an 8 MiB document escaped as JSON, with room to spare. */
export const maxMessageBytes = 64 * 1024 * 1024;
/** A header block longer than this without its blank line is not a header. */
const maxHeaderBytes = 8 * 1024;

const separator = Buffer.from("\r\n\r\n", "ascii");

export class StrictStreamReader extends AbstractMessageReader implements MessageReader {
  private buffer: Buffer = Buffer.alloc(0);
  private bodyLength = -1;
  private broken = false;

  constructor(private readonly input: NodeJS.ReadableStream) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    const onData = (chunk: Buffer | string) => this.onData(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk, callback);
    const onError = (error: unknown) => this.fireError(error);
    const onClose = () => this.fireClose();
    this.input.on("data", onData);
    this.input.on("error", onError);
    this.input.on("end", onClose);
    this.input.on("close", onClose);
    return {
      dispose: () => {
        this.input.off("data", onData);
        this.input.off("error", onError);
        this.input.off("end", onClose);
        this.input.off("close", onClose);
      },
    };
  }

  private onData(chunk: Buffer, callback: DataCallback): void {
    if (this.broken) return;
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    try {
      for (let message = this.next(); message !== undefined; message = this.next()) callback(message);
    } catch (error) {
      this.broken = true;
      this.buffer = Buffer.alloc(0);
      this.fireError(error);
    }
  }

  /** The next whole message in the buffer, or undefined when more bytes are needed. Throws on a framing fault. */
  private next(): Message | undefined {
    if (this.bodyLength < 0) {
      const end = this.buffer.indexOf(separator);
      if (end < 0) {
        if (this.buffer.length > maxHeaderBytes) throw new Error(`no end of header after ${maxHeaderBytes} bytes (a header ends with an empty line)`);
        return undefined;
      }
      this.bodyLength = contentLength(this.buffer.subarray(0, end).toString("ascii"));
      this.buffer = this.buffer.subarray(end + separator.length);
    }
    if (this.buffer.length < this.bodyLength) return undefined;
    const body = this.buffer.subarray(0, this.bodyLength);
    this.buffer = this.buffer.subarray(this.bodyLength);
    this.bodyLength = -1;
    return parseMessage(body);
  }
}

/** The Content-Length of a header block; throws when the header is not a valid LSP header. */
function contentLength(header: string): number {
  let length: number | undefined;
  for (const line of header.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) throw new Error(`malformed header line ${JSON.stringify(line.slice(0, 80))}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === "content-length") {
      if (!/^\d{1,12}$/.test(value)) throw new Error(`Content-Length ${JSON.stringify(value.slice(0, 40))} is not a byte count`);
      length = Number(value);
      if (length > maxMessageBytes) throw new Error(`Content-Length ${length} is over the limit of ${maxMessageBytes} bytes`);
    } else if (name === "content-type") {
      const charset = /charset=([^;]+)/i.exec(value)?.[1]?.trim().toLowerCase();
      if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") throw new Error(`charset ${charset} is not supported (only utf-8)`);
    }
  }
  if (length === undefined) throw new Error("a header without Content-Length");
  return length;
}

function parseMessage(body: Buffer): Message {
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch (error) {
    // A body that is not JSON means the Content-Length did not match the message.
    throw new Error(`a body of ${body.length} bytes that is not JSON (${error instanceof Error ? error.message : String(error)}); the Content-Length does not match the message`, { cause: error });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("a body that is not a JSON-RPC message object");
  return value as Message;
}
