/**
 * When to try a request again and how long to wait: dropped connections and timeouts, and (when the
 * policy says so) 408, 429 and 5xx answers, are retried with exponential backoff and jitter; a
 * `Retry-After` header (seconds or an HTTP date) is honoured, up to a ceiling so a hostile value
 * cannot stall a run.
 */

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  baseDelayMs: number;
  /** Ceiling for any single wait, `Retry-After` included. */
  maxDelayMs: number;
  /** Retry 408, 429 and 5xx answers too, not only failed connections (off for requests whose answer is final). */
  statuses: boolean;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 4,
  baseDelayMs: 200,
  maxDelayMs: 30_000,
  statuses: true,
};

/** One attempt only. */
export const NO_RETRY: RetryPolicy = { ...DEFAULT_RETRY_POLICY, retries: 0 };

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status);
}

// Refused connections and unknown hosts will not heal in a second; resets and timeouts may.
const RETRYABLE_NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

export function isRetryableNetworkError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE_NETWORK_CODES.has(code);
}

/** Milliseconds a `Retry-After` value asks for, or undefined when absent or unreadable. */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now: number = Date.now(),
): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** The wait before retry number `attempt` (0-based). */
export function retryDelayMs(
  attempt: number,
  policy: RetryPolicy,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  const exponential = policy.baseDelayMs * 2 ** attempt;
  // Full jitter on the upper half spreads many clients hitting the same limit.
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.min(jittered, policy.maxDelayMs);
}
