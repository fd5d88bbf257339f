// s3://bucket/prefix roots and the keys below them.

export interface S3Location {
  bucket: string;
  /** "" or a prefix without leading or trailing "/". */
  prefix: string;
}

/** Parses `s3://bucket[/prefix]`; throws a message naming the setting for anything else. */
export function parseS3Url(url: string): S3Location {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url.trim());
  if (!m || !m[1]) throw new Error(`"${url}" is not an S3 root: expected s3://bucket/prefix (--datastore-root / flowlens.datastoreRoot)`);
  const bucket = m[1];
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new Error(`"${bucket}" is not a valid S3 bucket name (3-63 lower-case letters, digits, dots, hyphens) in --datastore-root ${url}`);
  }
  return { bucket, prefix: (m[2] ?? "").replace(/^\/+|\/+$/g, "") };
}

export function joinKey(prefix: string, key: string): string {
  const k = key.replace(/^\/+/, "");
  if (k === "") return prefix;
  return prefix === "" ? k : `${prefix}/${k}`;
}

export function s3Url(loc: S3Location, key = ""): string {
  const full = joinKey(loc.prefix, key);
  return full === "" ? `s3://${loc.bucket}` : `s3://${loc.bucket}/${full}`;
}
