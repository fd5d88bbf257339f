// Credentials must never reach a log line, an event or an error message. Every message that
// leaves the S3 and Batch code passes through `redact`, which removes the secrets known from
// the environment and anything shaped like an AWS key or a request signature.

const secretNames = ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECURITY_TOKEN"];
const extraSecrets = new Set<string>();

/** Registers a secret value (e.g. credentials resolved by the SDK) so that `redact` removes it too. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 8) extraSecrets.add(value);
}

const patterns: RegExp[] = [
  // Access key ids: AKIA (long-term), ASIA (temporary) and friends.
  /\b(?:AKIA|ASIA|AIDA|AROA|ANPA|ANVA|AGPA)[A-Z0-9]{12,}\b/g,
  // Signed-request pieces that carry the key id or the signature.
  /(X-Amz-(?:Credential|Signature|Security-Token)=)[^&\s"'<]+/gi,
  /(Credential=)[^,\s"']+/g,
  /(Signature=)[0-9a-f]{16,}/gi,
  /((?:aws_secret_access_key|aws_session_token|secretAccessKey|sessionToken|SecretAccessKey|SessionToken)["']?\s*[:=]\s*["']?)[^"'\s,}]+/gi,
  /(<(?:AWSAccessKeyId|SignatureProvided|StringToSign|CanonicalRequest)>)[^<]*/g,
];

/** Returns `text` with every known secret and credential-shaped token replaced by "***". */
export function redact(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let out = text;
  const values = new Set<string>(extraSecrets);
  for (const name of secretNames) {
    const v = env[name];
    if (v && v.length >= 4) values.add(v);
    const pv = process.env[name];
    if (pv && pv.length >= 4) values.add(pv);
  }
  // Longest first, so a value that contains another is removed whole.
  for (const v of [...values].sort((a, b) => b.length - a.length)) out = out.split(v).join("***");
  for (const p of patterns) out = out.replace(p, (_m, keep?: string) => (typeof keep === "string" ? `${keep}***` : "***"));
  return out;
}
