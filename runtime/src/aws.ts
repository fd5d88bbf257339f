// Everything that needs the AWS SDK, as one bundle of its own (dist/aws.js, scripts/build.mjs):
// the S3 store and the Batch executor. Loaded only when a run or the Runs view uses S3 or
// Batch, so local work never parses the SDK.
export { S3ObjectStore } from "./datastore/s3/store";
export * from "./executors/batch";
