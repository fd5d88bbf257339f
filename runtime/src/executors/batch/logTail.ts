// Tails a task's logs from S3 while its Batch job runs: the container re-uploads each log file
// whole every few seconds, so the launcher fetches only the bytes past what it already printed.
import { GetObjectCommand } from "@aws-sdk/client-s3";
import type { S3ObjectStore } from "../../datastore/s3/store";
import { joinKey } from "../../datastore/s3/url";
import { httpStatusOf, isRetryable } from "../../datastore/s3/retry";
import type { TaskOutput } from "../types";
import { parseStoredLine } from "../../datastore/logLines";

type Stream = "stdout" | "stderr";

export class LogTail {
  private readonly offsets: Record<Stream, number> = { stdout: 0, stderr: 0 };
  private readonly partial: Record<Stream, string> = { stdout: "", stderr: "" };

  constructor(
    private readonly store: S3ObjectStore,
    /** Key prefix of the attempt below the root: `<Flow>/<run>/<step>/<task>/<attempt>.` */
    private readonly attemptPrefix: string,
    private readonly sink: (output: TaskOutput) => void,
  ) {}

  /** Fetches and emits whatever is new. `final` flushes a last line that has no newline. */
  async poll(final = false): Promise<void> {
    // Both objects are fetched at once (one round trip, not two), then emitted stdout first, as before.
    const fetched = await Promise.allSettled([this.fetch("stdout"), this.fetch("stderr")]);
    this.emit("stdout", fetched[0], final);
    this.emit("stderr", fetched[1], final);
  }

  private async fetch(stream: Stream): Promise<Buffer> {
    const key = joinKey(this.store.location.prefix, `${this.attemptPrefix}runtime_${stream}.log`);
    const res = await this.store.client.send(new GetObjectCommand({ Bucket: this.store.location.bucket, Key: key, Range: `bytes=${this.offsets[stream]}-` }));
    return Buffer.from((await res.Body?.transformToByteArray()) ?? new Uint8Array());
  }

  private emit(stream: Stream, fetched: PromiseSettledResult<Buffer>, final: boolean): void {
    let text: string;
    if (fetched.status === "fulfilled") {
      this.offsets[stream] += fetched.value.length;
      text = this.partial[stream] + fetched.value.toString("utf8");
    } else {
      const error: unknown = fetched.reason;
      // 404: nothing uploaded yet; 416: nothing new. Transient errors: try again next poll.
      const status = httpStatusOf(error);
      if (status === 404 || status === 416 || isRetryable(error) || (error as { name?: string }).name === "NoSuchKey" || (error as { name?: string }).name === "InvalidRange") {
        if (!final || this.partial[stream] === "") return;
        text = this.partial[stream];
      } else {
        throw error;
      }
    }
    const lines = text.split("\n");
    this.partial[stream] = lines.pop() ?? "";
    if (final && this.partial[stream] !== "") {
      lines.push(this.partial[stream]);
      this.partial[stream] = "";
    }
    for (const raw of lines) this.sink(parseLogLine(stream, raw));
  }
}

/** A stored log line (mflog, or the `[<ISO time>] ` prefix of earlier versions) as live output; a line without a time stamp gets the current time. */
export function parseLogLine(stream: Stream, raw: string): TaskOutput {
  const { text, ts } = parseStoredLine(raw);
  return { kind: "log", stream, line: text, ts: ts ?? Date.now() };
}
