// Errors from S3 turned into one clear, credential-free message that says what to set.
import { redact } from "./redact";
import { httpStatusOf } from "./retry";

/** An S3 failure with a headline a person can act on. `setting` names what to change, when there is one. */
export class S3StoreError extends Error {
  override name = "S3StoreError";
  constructor(
    message: string,
    readonly code: string,
    readonly setting?: string,
  ) {
    super(redact(message));
  }
}

function errorName(error: unknown): string {
  const e = error as { name?: unknown; Code?: unknown; code?: unknown };
  if (typeof e?.Code === "string") return e.Code;
  if (typeof e?.name === "string" && e.name !== "Error") return e.name;
  if (typeof e?.code === "string") return e.code;
  return "Error";
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Describes a failed S3 call on `s3://bucket/key` without ever echoing credentials. */
export function describeS3Error(error: unknown, operation: string, bucket: string, key?: string): S3StoreError {
  if (error instanceof S3StoreError) return error;
  const name = errorName(error);
  const status = httpStatusOf(error);
  const where = key !== undefined ? `s3://${bucket}/${key}` : `s3://${bucket}`;
  if (name === "NoSuchBucket" || (status === 404 && key === undefined)) {
    return new S3StoreError(`S3 bucket "${bucket}" does not exist (${operation} ${where}). Create it, or point --datastore-root / flowlens.datastoreRoot at an existing bucket.`, "NoSuchBucket", "datastore root");
  }
  if (name === "CredentialsProviderError" || /Could not load credentials/i.test(errorMessage(error))) {
    return new S3StoreError(
      `No AWS credentials found for ${operation} ${where}. Set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), run \`aws sso login\`, or run where an instance/container role is available.`,
      "NoCredentials",
      "AWS credentials",
    );
  }
  if (/Region is missing/i.test(errorMessage(error))) {
    return new S3StoreError(`No AWS region configured for ${operation} ${where}. Set AWS_REGION (or AWS_DEFAULT_REGION, or a region in your AWS profile).`, "NoRegion", "AWS_REGION");
  }
  if (name === "InvalidAccessKeyId" || name === "SignatureDoesNotMatch" || name === "ExpiredToken" || name === "InvalidToken") {
    return new S3StoreError(`AWS rejected the credentials (${name}) for ${operation} ${where}. Check AWS_PROFILE / the access key in use; the key itself is not shown.`, name, "AWS credentials");
  }
  if (name === "AccessDenied" || status === 403) {
    return new S3StoreError(`Access denied for ${operation} ${where}. The role or user needs s3:GetObject, s3:PutObject, s3:ListBucket on this bucket (docs/remote.md lists them).`, "AccessDenied", "IAM permissions");
  }
  const detail = status !== undefined ? `${name}, HTTP ${status}` : name;
  return new S3StoreError(`S3 ${operation} ${where} failed (${detail}): ${errorMessage(error)}`, name);
}

/** Whether an error means "this key does not exist" (as opposed to the bucket, or access). */
export function isNoSuchKey(error: unknown): boolean {
  const name = errorName(error);
  return name === "NoSuchKey" || name === "NotFound" || (httpStatusOf(error) === 404 && name !== "NoSuchBucket");
}
