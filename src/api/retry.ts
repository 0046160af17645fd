/**
 * The retry policy, in one place, for API calls and storage PUTs.
 *
 * - Retried: network errors (the request got no answer), 5xx, 408 and 429. Not retried: any
 *   other 4xx (Mixpeek's troubleshooting guide: retry 500/503 with backoff and jitter; a 4xx
 *   other than 408/429 means the request itself is wrong).
 * - Waits: exponential backoff from `baseDelay`, doubling up to `maxDelay`, with "equal
 *   jitter" (half fixed, half random), and never less than the server's `Retry-After`
 *   (seconds or an HTTP date; RFC 9110 §10.2.3).
 * - Network errors are retried until `offlineTimeout` has passed since the last answer, so a
 *   dropped connection is waited out; other retryable answers at most `attempts` times.
 */

/** Settings of the retry policy; times in ms. */
export interface RetryOptions {
  /** Tries per request for 5xx/408/429 answers, the first included. Default 8. */
  attempts: number;
  /** First backoff, ms. Default 1000. */
  baseDelay: number;
  /** Longest backoff, ms. Default 30000. */
  maxDelay: number;
  /** How long network errors are retried without any answer, ms. Default 10 minutes. */
  offlineTimeout: number;
}

export const defaultRetryOptions: RetryOptions = {
  attempts: 8,
  baseDelay: 1000,
  maxDelay: 30_000,
  offlineTimeout: 10 * 60_000,
};

/** What a failed attempt tells the policy. */
export interface Failure {
  /** HTTP status, or undefined when no answer came (a network error). */
  status?: number | undefined;
  /** Seconds the server asked to wait (`Retry-After`). */
  retryAfter?: number | undefined;
}

/** True for failures worth another try: no answer, 5xx, 408 or 429. */
export function isRetryable(failure: Failure): boolean {
  const { status } = failure;
  return status === undefined || status === 0 || status >= 500 || status === 408 || status === 429;
}

/** Longest wait between tries that got no answer at all, ms: the network's return is noticed within it. */
export const OFFLINE_RETRY_MAX_DELAY = 4000;

/** Tries without any answer, from a server that never answered, before it counts as unreachable. */
export const UNREACHABLE_ATTEMPTS = 4;

/**
 * True when a server that has not answered once in this session fails again without an answer
 * while the browser says it is online (`navigator.onLine`): rather than a lost network, the
 * browser refuses the request (CORS: an origin or a header the server does not allow) or the
 * address is wrong or down. Waiting out `offlineTimeout` would only show "Offline" for minutes.
 */
export function isUnreachable(attempt: number, failure: Failure, everAnswered: boolean): boolean {
  const online = (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine ?? true;
  return isNetworkFailure(failure) && !everAnswered && online && attempt >= UNREACHABLE_ATTEMPTS;
}

/** True when no answer came at all (offline, connection cut, DNS, CORS). */
export function isNetworkFailure(failure: Failure): boolean {
  return failure.status === undefined || failure.status === 0;
}

/** Backoff before attempt `attempt + 1` (attempt counts from 1), ms, never below `Retry-After`. */
export function backoffDelay(attempt: number, failure: Failure, options: RetryOptions, random = Math.random): number {
  // Without an answer nobody is being overloaded: try often enough to notice the network is back.
  const cap = isNetworkFailure(failure) ? Math.min(options.maxDelay, OFFLINE_RETRY_MAX_DELAY) : options.maxDelay;
  const exponential = Math.min(cap, options.baseDelay * 2 ** Math.max(0, attempt - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  const serverWait = failure.retryAfter !== undefined ? failure.retryAfter * 1000 : 0;
  return Math.max(jittered, serverWait);
}

/**
 * Whether to try again after `attempt` failed tries, given when the last answer of any kind
 * came (ms since epoch) and the time now.
 */
export function shouldRetry(attempt: number, failure: Failure, lastAnswerAt: number, now: number, options: RetryOptions): boolean {
  if (!isRetryable(failure)) return false;
  if (isNetworkFailure(failure)) return now - lastAnswerAt < options.offlineTimeout;
  return attempt < options.attempts;
}
