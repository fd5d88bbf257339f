// One S3Client per store, configured the AWS way (config.ts) with the SDK's retries off:
// retry.ts owns retries so that a streamed body that breaks halfway is retried too.
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { S3Client } from "@aws-sdk/client-s3";
import { regionOrDefault, resolveAwsSettings } from "./config";
import { registerSecret } from "./redact";

export interface S3ClientInfo {
  client: S3Client;
  region?: string;
  endpoint?: string;
}

export function createS3Client(env: NodeJS.ProcessEnv = process.env, maxSockets = 64): S3ClientInfo {
  const settings = resolveAwsSettings("S3", env);
  const region = regionOrDefault(settings);
  if (settings.credentials) {
    registerSecret(settings.credentials.secretAccessKey);
    registerSecret(settings.credentials.sessionToken);
    registerSecret(settings.credentials.accessKeyId);
  }
  const client = new S3Client({
    region,
    endpoint: settings.endpoint,
    // Custom endpoints (MinIO, moto, s3rver) rarely have wildcard DNS for virtual-hosted buckets.
    forcePathStyle: settings.endpoint !== undefined,
    credentials: settings.credentials,
    followRegionRedirects: true,
    maxAttempts: 1,
    // Checksums only where S3 requires them: S3-compatible stores differ in what they support.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    requestHandler: {
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
      connectionTimeout: 10_000,
      requestTimeout: 300_000,
    },
  });
  const info: S3ClientInfo = { client };
  if (region) info.region = region;
  if (settings.endpoint) info.endpoint = settings.endpoint;
  return info;
}
