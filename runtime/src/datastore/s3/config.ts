// Where the AWS settings come from. AWS conventions, in the order the AWS CLI uses them:
// region from AWS_REGION, then AWS_DEFAULT_REGION, then the SDK's own profile lookup;
// endpoints from AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL; credentials from the
// SDK's default provider chain (env, profile, SSO, container and instance roles).

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface AwsSettings {
  region?: string;
  /** Custom endpoint for the service (S3-compatible stores, test servers); implies path-style addressing. */
  endpoint?: string;
  /** Only set when the caller passed an environment other than the process's own (tests, the editor). */
  credentials?: AwsCredentials;
}

export type AwsService = "S3" | "BATCH";

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== "" ? value.trim() : undefined;
}

/** Resolves region, endpoint and (for a non-process environment) static credentials for one service. */
export function resolveAwsSettings(service: AwsService, env: NodeJS.ProcessEnv = process.env): AwsSettings {
  const settings: AwsSettings = {};
  const region = nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION);
  if (region) settings.region = region;
  const ignoreEndpoints = (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? "").toLowerCase() === "true";
  const endpoint = ignoreEndpoints ? undefined : (nonEmpty(env[`AWS_ENDPOINT_URL_${service}`]) ?? nonEmpty(env.AWS_ENDPOINT_URL));
  if (endpoint) settings.endpoint = endpoint;
  // The SDK's default chain reads process.env itself; an explicitly passed environment would
  // otherwise be ignored for credentials, so its keys are handed over as static credentials.
  if (env !== process.env) {
    const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
    const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
    if (accessKeyId && secretAccessKey) {
      settings.credentials = { accessKeyId, secretAccessKey };
      const token = nonEmpty(env.AWS_SESSION_TOKEN);
      if (token) settings.credentials.sessionToken = token;
    }
  }
  return settings;
}

/** A region is required by the SDK; with a custom endpoint and none configured, us-east-1 is what S3-compatible stores expect. */
export function regionOrDefault(settings: AwsSettings): string | undefined {
  return settings.region ?? (settings.endpoint ? "us-east-1" : undefined);
}
