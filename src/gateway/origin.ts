/**
 * Who may talk to the gateway: the `Host` it answers for (against DNS rebinding), the origins
 * that may write through it (against cross-site request forgery), and the CORS headers for the
 * origins allowed cross-origin.
 *
 * Browsers send `Origin` on every POST and DELETE, and `Sec-Fetch-Site` on every request from
 * current engines (Fetch Standard, "Sec-Fetch-Site"; W3C Fetch Metadata). A state-changing
 * request must come from the gateway's own origin or an allowed one, and a POST must be
 * `application/json`, which a cross-origin page can only send after a CORS preflight.
 */

/** Request headers a cross-origin page may always send. */
const BASE_ALLOWED_HEADERS = ['Content-Type', 'X-Namespace', 'Authorization', 'X-Requested-With'];
/** Mixpeek's rate-limit headers, readable cross-origin (docs.mixpeek.com/operations/rate-limits-quotas). */
export const EXPOSED_HEADERS = ['Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'X-RateLimit-Window'];

/** True when the request's `Host` is one of `allowed` (a name matches any port; `name:port` only that port). */
export function hostAllowed(request: Request, allowed: readonly string[]): boolean {
  const host = (request.headers.get('host') ?? new URL(request.url).host).toLowerCase();
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
  return allowed.some((entry) => {
    const e = entry.toLowerCase();
    return e === host || e === name;
  });
}

/**
 * Why a POST or DELETE is refused as cross-site, or `null` when it may go on. Allowed: no
 * `Origin` and no cross-site `Sec-Fetch-Site` (not a browser, or a same-origin navigation), an
 * `Origin` on the request's own host, or one of `allowedOrigins`.
 */
export function crossSiteProblem(request: Request, allowedOrigins: readonly string[]): string | null {
  const origin = request.headers.get('origin');
  if (origin !== null) {
    if (allowedOrigins.includes(origin)) return null;
    let host: string | null = null;
    try {
      host = new URL(origin).host;
    } catch {
      // "null" or garbage: a sandboxed or privacy-hidden origin, never allowed to write
    }
    if (host !== null && host === (request.headers.get('host') ?? new URL(request.url).host)) return null;
    return `Requests from ${origin.slice(0, 100)} are not allowed here.`;
  }
  const site = request.headers.get('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') return 'Requests from another site are not allowed here.';
  return null;
}

/** True when a POST's `Content-Type` is `application/json` (parameters allowed). */
export function isJsonRequest(request: Request): boolean {
  const type = request.headers.get('content-type') ?? '';
  return type.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/** CORS headers for a response to `origin`, when it is allowed; none otherwise. */
export function corsHeaders(origin: string | null, allowedOrigins: readonly string[]): Record<string, string> {
  if (origin === null || !allowedOrigins.includes(origin)) return {};
  return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': EXPOSED_HEADERS.join(', '), Vary: 'Origin' };
}

/** The answer to a CORS preflight: 204, with permissions only for an allowed origin. */
export function preflight(request: Request, allowedOrigins: readonly string[], allowedHeaders: readonly string[]): Response {
  const origin = request.headers.get('origin');
  const headers: Record<string, string> = { Vary: 'Origin' };
  if (origin !== null && allowedOrigins.includes(origin)) {
    Object.assign(headers, {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': 'GET, POST, DELETE',
      'Access-Control-Allow-Headers': [...BASE_ALLOWED_HEADERS, ...allowedHeaders].join(', '),
      'Access-Control-Max-Age': '600',
    });
  }
  return new Response(null, { status: 204, headers });
}
