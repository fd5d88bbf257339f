// A file of the datastore that exists but is not what the layout says it is: JSON that does not
// parse, a record of the wrong shape, a blob whose size or sha1 does not match its data.json.
// Readers raise this (never a bare SyntaxError or zlib error), so every command can name the
// file and go on with what is still whole.

export class DamagedData extends Error {
  override name = "DamagedData";
  constructor(
    /** The file: an absolute path on a local store, s3://bucket/key on S3. */
    readonly file: string,
    /** What is wrong with it, in a few words. */
    readonly reason: string,
  ) {
    super(`${file} is damaged: ${reason}`);
  }
}

/**
 * Whether an error is a DamagedData. The CLI entry and each command bundle have their own copy of
 * the class, so `instanceof` across them is not enough.
 */
export function isDamagedData(error: unknown): error is DamagedData {
  return error instanceof DamagedData || (error instanceof Error && error.name === "DamagedData" && typeof (error as DamagedData).file === "string");
}

/** The first line of an error's message, without a stack: enough to say why a file did not parse. */
export function shortReason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? text;
}
