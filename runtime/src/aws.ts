// Everything that needs the AWS SDK, as one bundle of its own (dist/aws.js, scripts/build.mjs):
// the S3 store and the Batch executor. Loaded only when a run or the Runs view uses S3 or
// Batch, so local work never parses the SDK.
export { S3ObjectStore } from "./datastore/s3/store";
export * from "./executors/batch";
// What other lazily loaded executors (Kubernetes) share with Batch and the S3 store: one copy,
// so a secret registered by the store is redacted everywhere.
export { LogTail } from "./executors/batch/logTail";
export { redact } from "./datastore/s3/redact";
