// The Batch client, configured like the S3 one: AWS_ENDPOINT_URL_BATCH / AWS_ENDPOINT_URL,
// region from the environment, the default credential chain, SDK retries off (retry.ts retries).
import { BatchClient } from "@aws-sdk/client-batch";
import { regionOrDefault, resolveAwsSettings } from "../../datastore/s3/config";
import { redact, registerSecret } from "../../datastore/s3/redact";
import { httpStatusOf } from "../../datastore/s3/retry";

export function createBatchClient(env: NodeJS.ProcessEnv = process.env): { client: BatchClient; region?: string } {
  const settings = resolveAwsSettings("BATCH", env);
  if (settings.credentials) {
    registerSecret(settings.credentials.secretAccessKey);
    registerSecret(settings.credentials.sessionToken);
    registerSecret(settings.credentials.accessKeyId);
  }
  const region = regionOrDefault(settings);
  const client = new BatchClient({ region, endpoint: settings.endpoint, credentials: settings.credentials, maxAttempts: 1 });
  return region ? { client, region } : { client };
}

/** A Batch failure as one credential-free sentence naming what to change. */
export class BatchSetupError extends Error {
  override name = "BatchSetupError";
  constructor(message: string) {
    super(redact(message));
  }
}

export function describeBatchError(error: unknown, operation: string): BatchSetupError {
  if (error instanceof BatchSetupError) return error;
  const e = error as { name?: string; message?: string };
  const message = e?.message ?? String(error);
  if (e?.name === "CredentialsProviderError" || /Could not load credentials/i.test(message)) {
    return new BatchSetupError(`No AWS credentials found for AWS Batch ${operation}. Set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run \`aws sso login\`.`);
  }
  if (/Region is missing/i.test(message)) return new BatchSetupError(`No AWS region configured for AWS Batch ${operation}. Set AWS_REGION.`);
  if (httpStatusOf(error) === 403 || /AccessDenied|UnrecognizedClient|InvalidSignature|security token/i.test(`${e?.name} ${message}`)) {
    return new BatchSetupError(`AWS Batch ${operation} was denied (${e?.name ?? "AccessDenied"}): check the credentials in use and that they allow batch:${operation} (docs/remote.md lists the permissions).`);
  }
  return new BatchSetupError(`AWS Batch ${operation} failed (${e?.name ?? "Error"}): ${message}`);
}
