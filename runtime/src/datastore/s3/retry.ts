// Retries for S3 and Batch calls: exponential backoff with full jitter on throttling, 5xx,
// timeouts and dropped connections. The SDK's own retries are switched off (maxAttempts 1)
// so that one policy, with one budget per operation, covers requests and streamed bodies.

export interface RetryPolicy {
  /** Attempts in all, including the first. */
  attempts: number;
  /** First backoff ceiling; doubles each retry up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 10, baseDelayMs: 100, maxDelayMs: 10_000 };

/** Counts retries, so tests and benchmarks can show that faults happened and were absorbed. */
export const retryStats = { retries: 0 };

const retryableNames = new Set([
  "SlowDown",
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestThrottled",
  "RequestThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "BandwidthLimitExceeded",
  "ProvisionedThroughputExceededException",
  "RequestTimeout",
  "RequestTimeoutException",
  "InternalError",
  "InternalFailure",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "ServerException",
  "TimeoutError",
  "NetworkingError",
  "IncompleteBody",
]);

const retryableCodes = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "ECONNABORTED", "ENETUNREACH", "EHOSTUNREACH", "UND_ERR_SOCKET", "ERR_STREAM_PREMATURE_CLOSE"]);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
  cause?: unknown;
}

export function httpStatusOf(error: unknown): number | undefined {
  const e = error as ErrorShape | undefined;
  return typeof e?.$metadata?.httpStatusCode === "number" ? e.$metadata.httpStatusCode : undefined;
}

/** Whether an error is transient: worth another attempt after a pause. */
export function isRetryable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as ErrorShape;
  if (e.name === "AbortError") return false;
  const status = httpStatusOf(error);
  if (status !== undefined && (status >= 500 || status === 429 || status === 408)) return true;
  if (typeof e.name === "string" && retryableNames.has(e.name)) return true;
  if (typeof e.code === "string" && retryableCodes.has(e.code)) return true;
  if (e.$retryable) return true;
  if (typeof e.message === "string" && /socket hang up|ECONNRESET|premature close|aborted|other side closed/i.test(e.message)) return true;
  return e.cause !== undefined && e.cause !== error && isRetryable(e.cause);
}

function isThrottle(error: unknown): boolean {
  const e = error as ErrorShape;
  return httpStatusOf(error) === 429 || httpStatusOf(error) === 503 || (typeof e.name === "string" && /Throttl|SlowDown|TooMany|LimitExceeded/.test(e.name));
}

/** Sleeps `ms`, or rejects early when `signal` aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export function abortError(): Error {
  const e = new Error("The operation was cancelled");
  e.name = "AbortError";
  return e;
}

/** Runs `fn` until it succeeds, fails with a non-transient error, or the attempts run out. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, policy: RetryPolicy = defaultRetryPolicy, signal?: AbortSignal): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw abortError();
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt + 1 >= policy.attempts || !isRetryable(error) || signal?.aborted) throw error;
      retryStats.retries++;
      // Throttling gets a longer floor: the service asked us to slow down.
      const base = isThrottle(error) ? policy.baseDelayMs * 4 : policy.baseDelayMs;
      const ceiling = Math.min(policy.maxDelayMs, base * 2 ** attempt);
      await delay(Math.random() * ceiling, signal);
    }
  }
}
