/**
 * The gateway's rate limit: which key a request counts against (the signed-in identity, else
 * the client's address) and the limiter that counts. Any rate-limiter-flexible limiter works
 * (`RateLimiterRedis`, `RateLimiterMemcache`, `RateLimiterPostgres`…, so that every instance
 * behind a load balancer shares one budget); the default is rate-limiter-flexible's
 * `RateLimiterMemory`, which counts per process.
 */
import RateLimiterMemory from 'rate-limiter-flexible/lib/RateLimiterMemory.js';

/**
 * What the gateway needs of a limiter: rate-limiter-flexible's `consume(key)`, which resolves
 * when a point is left and rejects with a `RateLimiterRes` (`msBeforeNext`, ms) when none is,
 * or with an `Error` when its store fails.
 */
export interface RateLimiterLike {
  consume(key: string, points?: number): Promise<unknown>;
}

/** The outcome of counting one request. */
export type RateLimitOutcome = { ok: true } | { ok: false; retryAfterS: number } | { ok: false; error: unknown };

/** Default budget: requests per minute per key. */
export const DEFAULT_REQUESTS_PER_MINUTE = 120;

/** The in-memory limiter: `requestsPerMinute` per key, per process. */
export function memoryLimiter(requestsPerMinute: number): RateLimiterLike {
  return new RateLimiterMemory({ points: requestsPerMinute, duration: 60 });
}

/** Counts one request against `key`. A failing store refuses (fails closed) rather than letting everyone through. */
export async function consume(limiter: RateLimiterLike, key: string): Promise<RateLimitOutcome> {
  try {
    await limiter.consume(key);
    return { ok: true };
  } catch (error) {
    const wait = (error as { msBeforeNext?: unknown } | null)?.msBeforeNext;
    if (!(error instanceof Error) && typeof wait === 'number') return { ok: false, retryAfterS: Math.max(1, Math.ceil(wait / 1000)) };
    return { ok: false, error };
  }
}

/**
 * The client's address: the socket's, or with `trustProxy` (the number of proxies in front,
 * `true` = 1) the address the nearest trusted proxy saw, read from the right of
 * `X-Forwarded-For` (entries further left are whatever the client wrote).
 */
export function clientAddress(request: Request, socketAddress: string | undefined, trustProxy: boolean | number): string | undefined {
  const hops = trustProxy === true ? 1 : trustProxy === false ? 0 : Math.max(0, Math.floor(trustProxy));
  if (hops === 0) return socketAddress;
  const forwarded = (request.headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return forwarded[forwarded.length - hops] ?? forwarded[0] ?? socketAddress;
}
