// The S3 datastore: ObjectStore over s3://bucket/prefix, plus the pieces the Batch executor reuses.
export { S3ObjectStore, type S3ObjectStoreOptions } from "./store";
export { S3StoreError } from "./errors";
export { parseS3Url, s3Url, joinKey, type S3Location } from "./url";
export { resolveAwsSettings, type AwsSettings } from "./config";
export { redact, registerSecret } from "./redact";
export { withRetry, isRetryable, retryStats, defaultRetryPolicy, type RetryPolicy } from "./retry";
