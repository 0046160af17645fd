/**
 * The upload gateway: a web-standard fetch handler that keeps Mixpeek's secret key on the
 * server. Browsers call it with the routes `<mixpeek-uploader>` uses; it checks each request,
 * rebuilds it from the documented fields, adds `Authorization: Bearer <key>` and `X-Namespace`,
 * forwards it to Mixpeek and passes a checked answer back. Everything else is refused without
 * reaching Mixpeek.
 *
 * Why: Mixpeek's keys (`sk_…`) carry the whole organization's power, Mixpeek has no
 * publishable or short-lived upload token, and its API does not serve CORS to customer
 * origins (docs.mixpeek.com/operations/security; Mixpeek OpenAPI 0.81 has no upload-scoped
 * key type), so a page must never hold the key.
 *
 * The handler has no framework dependency and keeps no state but the default in-memory rate
 * limiter, so it runs unchanged on Node (see `./node.ts`), serverless functions and edge
 * runtimes. docs/gateway.md documents every option and the security model.
 */
import { refuse, notFound } from './envelope.ts';
import { corsHeaders, crossSiteProblem, hostAllowed, isJsonRequest, preflight } from './origin.ts';
import { consume, clientAddress, DEFAULT_REQUESTS_PER_MINUTE, memoryLimiter, type RateLimiterLike } from './rate-limit.ts';
import { readCapped } from './body.ts';
import { redactor } from './redact.ts';
import { buildBody, type ForwardedConfirmation } from './request-body.ts';
import { checkQuery, matchRoute, type RouteName } from './routes.ts';
import { callUpstream } from './upstream.ts';

export type { RateLimiterLike } from './rate-limit.ts';
export type { RouteName } from './routes.ts';

/** Where a request came from, as the hosting adapter knows it. */
export interface ClientInfo {
  /** The client's IP address (the socket's peer), when the runtime exposes it. */
  clientAddress?: string | undefined;
  /**
   * The request target exactly as received (`/a/../b?x`), when the runtime exposes it. `Request.url`
   * has dot segments already resolved; with the raw target the gateway refuses them instead.
   */
  rawUrl?: string | undefined;
}

/**
 * Who is uploading, as your `authorize` decides from your own session: never from anything the
 * browser could choose.
 */
export interface GatewayIdentity {
  /** Your id for the person: the rate limit counts per `user`, and `onConfirmed` receives it. */
  user?: string | undefined;
  /** Merged into every create item's `metadata`; these values win over the browser's. */
  metadata?: Record<string, unknown> | undefined;
  /** Merged into every create item's `object_metadata` (the bucket object's metadata); these win too. */
  objectMetadata?: Record<string, unknown> | undefined;
}

/** What `onConfirmed` receives after Mixpeek accepted a confirm (single or batch). */
export interface ConfirmedEvent {
  /** What `authorize` returned (`{}` for `true` or no `authorize`). */
  identity: GatewayIdentity;
  bucket: string;
  /** The confirmations as forwarded: upload id, ETag as sent, size in bytes (`null` when not stated). */
  uploads: ForwardedConfirmation[];
  /** The task that processes them (`task_id` of Mixpeek's answer), when it names one. */
  taskId: string | null;
  /** Mixpeek's answer, the key redacted. */
  answer: unknown;
  /** The browser's request (its headers, e.g. for your session). */
  request: Request;
}

/** Options of {@link createGateway}. Units: bytes, milliseconds and requests per minute. */
export interface GatewayOptions {
  /** Mixpeek's secret API key (`sk_…`). Required. Never sent to browsers, never logged. */
  apiKey: string;
  /** Mixpeek's API base URL. Default `https://api.mixpeek.com`. */
  apiUrl?: string | undefined;
  /**
   * Sent as `X-Namespace` on every bucket route, replacing any the browser sent. When unset,
   * the browser's `X-Namespace` is forwarded: leave it unset only if every namespace the key
   * reaches may be written by anyone your `authorize` lets in.
   */
  namespace?: string | undefined;
  /** The bucket identifiers browsers may upload to (a list, or a predicate). Others get 403. */
  buckets: readonly string[] | ((bucket: string, request: Request) => boolean | Promise<boolean>);
  /**
   * Your site's own check (session cookie, token), run on every request before it is counted
   * or forwarded. Return `false` (or nothing) to refuse with 401; `true` to let an anonymous
   * request in; a {@link GatewayIdentity} to let it in as that person, whose metadata is
   * merged into every create. Default: everyone is let in, anonymously.
   */
  authorize?: (
    request: Request,
    info: ClientInfo,
  ) => boolean | GatewayIdentity | null | undefined | Promise<boolean | GatewayIdentity | null | undefined>;
  /**
   * Called once after Mixpeek accepts a confirm (2xx), never for a refused one, before the
   * answer goes back to the page: link the uploads to your own records here. If it throws, the
   * error is logged and the page still gets Mixpeek's answer (the confirm has happened).
   */
  onConfirmed?: (event: ConfirmedEvent) => void | Promise<void>;
  /**
   * Largest file, bytes: every create must declare `file_size_bytes` ≤ this, and every confirm
   * must state a `file_size_bytes` ≤ this (Mixpeek checks the stored object against it).
   */
  maxFileSize?: number | undefined;
  /** Content types creates may declare: exact (`image/png`) or wildcard (`image/*`). Default: any. */
  allowedContentTypes?: readonly string[] | undefined;
  /**
   * The rate limit, counted after `authorize`, per `identity.user`, else per client address,
   * else in one shared anonymous budget. `false` turns it off. Default 120 requests per minute,
   * counted in memory (per process). Pass `limiter` (any rate-limiter-flexible limiter, e.g.
   * `RateLimiterRedis`) to share one budget across instances; its own points and duration then
   * apply. `key` replaces the default key.
   */
  rateLimit?:
    | false
    | {
        requestsPerMinute?: number;
        limiter?: RateLimiterLike;
        key?: (request: Request, context: { identity: GatewayIdentity; clientAddress: string | undefined }) => string;
      }
    | undefined;
  /**
   * Whether the direct peer is a proxy you run, so that the client's address comes from
   * `X-Forwarded-For`: `true` for one proxy, a number for that many. Default `false`: the header
   * is ignored, as any client can write it.
   */
  trustProxy?: boolean | number | undefined;
  /**
   * Host names the gateway answers for (`Host` header; `name` matches any port, `name:port`
   * one). Others get 403, which stops DNS rebinding. Default: any host.
   */
  allowedHosts?: readonly string[] | undefined;
  /** Path prefix the gateway is mounted at, e.g. `/mixpeek`. Default `''`. */
  basePath?: string | undefined;
  /**
   * Origins allowed to call the gateway cross-origin (CORS) and to write through it. The
   * gateway's own origin is always allowed. Default none.
   */
  allowedOrigins?: readonly string[] | undefined;
  /**
   * Request headers a cross-origin page may send besides `Content-Type`, `Authorization`,
   * `X-Namespace` and `X-Requested-With`: the ones your `getHeaders` adds (e.g. `X-Session`).
   * Without them the browser refuses those requests before they leave the page (CORS preflight).
   */
  allowedHeaders?: readonly string[] | undefined;
  /** Largest request body, bytes. Default 256 KiB: a batch of 100 creates fits, a megabyte of JSON does not. */
  maxBodyBytes?: number | undefined;
  /** Largest answer read from Mixpeek, bytes; a larger one becomes 502. Default 1 MiB. */
  maxResponseBytes?: number | undefined;
  /** ms to wait for Mixpeek's whole answer before answering 504. Default 30 000. */
  upstreamTimeoutMs?: number | undefined;
  /** `fetch` used to reach Mixpeek (injected for tests). */
  fetch?: typeof fetch | undefined;
  /** One line per request: `METHOD path → status (ms)`, and errors; never contains the key. Default silent. */
  log?: ((line: string) => void) | undefined;
}

/** A web-standard request handler. */
export type GatewayHandler = (request: Request, info?: ClientInfo) => Promise<Response>;

/** Mixpeek's API, where the gateway forwards unless told otherwise. */
export const DEFAULT_API_URL = 'https://api.mixpeek.com';
/** Default body cap: 256 KiB. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;
/** Default answer cap: 1 MiB (a batch of 100 creates answers about 200 KB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
/** Default upstream timeout: 30 s. */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 30_000;

const CONFIRM_ROUTES: ReadonlySet<RouteName> = new Set(['confirm', 'batchConfirm']);

/**
 * Creates the gateway's fetch handler. It forwards exactly these routes (Mixpeek OpenAPI 0.81),
 * below `basePath`:
 * `POST /v1/buckets/{bucket}/uploads`, `POST …/uploads/batch`, `POST …/uploads/{id}/confirm`,
 * `POST …/uploads/confirm/batch`, `GET …/uploads/{id}`, `DELETE …/uploads/{id}`,
 * `GET /v1/tasks/{id}`. Anything else is 404 (405 for another method on a known route).
 * Refusals answer in Mixpeek's error envelope: 403 (host, cross-site write, bucket), 401
 * (authorize), 429 (rate limit, with `Retry-After`), 413 (body), 415 (not JSON), 422 (query,
 * body or policy, with `details.issues`), 502/504 (Mixpeek unreachable, slow or misbehaving),
 * 503 (the rate-limit store failed).
 *
 * @throws TypeError when `apiKey` or `buckets` is missing.
 */
export function createGateway(options: GatewayOptions): GatewayHandler {
  if (!options.apiKey) throw new TypeError('createGateway: apiKey is required.');
  if (!options.buckets) throw new TypeError('createGateway: buckets is required (a list or a predicate).');
  const apiUrl = (options.apiUrl ?? DEFAULT_API_URL).replace(/\/+$/, '');
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const upstreamFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const allowBucket =
    typeof options.buckets === 'function'
      ? options.buckets
      : (
          (list: ReadonlySet<string>) => (bucket: string) =>
            list.has(bucket)
        )(new Set(options.buckets));
  const allowedOrigins = options.allowedOrigins ?? [];
  const limit = options.rateLimit === false ? undefined : (options.rateLimit ?? {});
  const limiter = limit && (limit.limiter ?? memoryLimiter(limit.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE));
  const redact = redactor(options.apiKey);
  const policy = { maxFileSize: options.maxFileSize, allowedContentTypes: options.allowedContentTypes };
  const log = (line: string) => options.log?.(redact.text(line));

  async function handle(request: Request, info: ClientInfo): Promise<Response> {
    if (options.allowedHosts && !hostAllowed(request, options.allowedHosts)) {
      return refuse(403, 'ForbiddenError', 'This gateway does not answer for this host name.');
    }
    const url = new URL(request.url);
    const received = info.rawUrl?.split('?')[0] ?? url.pathname;
    // Encoded characters and dot segments have no place in these routes: `%2F`, `%2e%2e` or
    // `/../` could smuggle a request past the route check into another Mixpeek route.
    if (/%|\\|\/\/|(^|\/)\.{1,2}(\/|$)/.test(received)) return notFound();
    if (basePath && !(url.pathname === basePath || url.pathname.startsWith(`${basePath}/`))) return notFound();
    const method = request.method.toUpperCase();
    if (method === 'OPTIONS') return preflight(request, allowedOrigins, options.allowedHeaders ?? []);

    // No cross-site writes: before anything else runs.
    if (method === 'POST' || method === 'DELETE') {
      const problem = crossSiteProblem(request, allowedOrigins);
      if (problem) return refuse(403, 'ForbiddenError', problem);
      if (method === 'POST' && !isJsonRequest(request)) {
        return refuse(415, 'UnsupportedMediaTypeError', 'Requests must be sent as application/json.');
      }
    }
    const route = matchRoute(method, url.pathname.slice(basePath.length));
    if (route === 404) return notFound();
    if (route === 405) return refuse(405, 'MethodNotAllowedError', 'Method not allowed.');

    const verdict = options.authorize ? await options.authorize(request, info) : true;
    if (!verdict) return refuse(401, 'UnauthorizedError', 'Not signed in, or not allowed to upload.');
    const identity: GatewayIdentity = verdict === true ? {} : verdict;

    if (limit && limiter) {
      const address = clientAddress(request, info.clientAddress, options.trustProxy ?? false);
      const key =
        limit.key?.(request, { identity, clientAddress: address }) ??
        (identity.user !== undefined ? `user:${identity.user}` : address !== undefined ? `ip:${address}` : 'anonymous');
      const counted = await consume(limiter, key);
      if (!counted.ok) {
        if ('retryAfterS' in counted) {
          const s = counted.retryAfterS;
          return refuse(429, 'TooManyRequestsError', `Too many requests; try again in ${s} s.`, null, { 'Retry-After': String(s) });
        }
        log(`gateway: the rate limiter failed: ${String(counted.error)}`);
        return refuse(503, 'ServiceUnavailableError', 'The gateway cannot count requests right now; try again shortly.');
      }
    }

    if (route.bucket !== undefined && !(await allowBucket(route.bucket, request))) {
      return refuse(403, 'ForbiddenError', `Uploads to bucket "${route.bucket}" are not allowed here.`);
    }
    const query = checkQuery(route.name, url.searchParams);
    if ('problem' in query) return refuse(422, 'ValidationError', query.problem);

    let body: string | undefined;
    let confirmations: ForwardedConfirmation[] | undefined;
    if (method === 'POST') {
      const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
      const tooLarge = () => refuse(413, 'PayloadTooLargeError', 'The request body is too large.', null, { Connection: 'close' });
      if (Number(request.headers.get('content-length') ?? 0) > maxBody) return tooLarge();
      const text = await readCapped(request.body, maxBody);
      if (text === null) return tooLarge();
      const built = buildBody(route.name, text, route.uploadId, policy, identity);
      if (!built.ok) return refuse(422, 'ValidationError', built.message, built.issues ? { issues: built.issues } : null);
      body = built.text;
      confirmations = built.confirmations;
    }

    const headers: Record<string, string> = { Authorization: `Bearer ${options.apiKey}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const namespace = options.namespace ?? request.headers.get('x-namespace') ?? undefined;
    if (route.bucket !== undefined && namespace) headers['X-Namespace'] = namespace;
    const answer = await callUpstream({
      fetch: upstreamFetch,
      url: `${apiUrl}${route.upstreamPath}${query.query}`,
      method,
      headers,
      body,
      timeoutMs: options.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS,
      maxBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      signal: request.signal,
      redact,
    });
    if (!answer.ok) return refuse(answer.status, answer.status === 504 ? 'GatewayTimeoutError' : 'BadGatewayError', answer.message);
    if (answer.status === 401 || answer.status === 403) {
      // Mixpeek refused the gateway's own key: not something the person can fix by signing in.
      log(`gateway: Mixpeek answered ${answer.status} to the gateway's key`);
      return refuse(502, 'BadGatewayError', "Mixpeek refused the gateway's credentials; the site's operator must check its key.");
    }

    if (confirmations && CONFIRM_ROUTES.has(route.name) && answer.status >= 200 && answer.status < 300 && options.onConfirmed) {
      const taskId = (answer.json as { task_id?: unknown } | null)?.task_id;
      try {
        await options.onConfirmed({
          identity,
          bucket: route.bucket!,
          uploads: confirmations,
          taskId: typeof taskId === 'string' ? taskId : null,
          answer: answer.json,
          request,
        });
      } catch (error) {
        log(`gateway: onConfirmed failed: ${String(error)}`);
      }
    }
    const text = answer.status === 204 ? null : JSON.stringify(answer.json);
    const out = new Headers(answer.headers);
    if (text !== null) out.set('Content-Type', 'application/json');
    return new Response(text, { status: answer.status, headers: out });
  }

  return async (request, info = {}) => {
    const started = Date.now();
    let response: Response;
    try {
      response = await handle(request, info);
    } catch (error) {
      log(`gateway error: ${String(error)}`);
      response = refuse(500, 'InternalServerError', 'The gateway failed.');
    }
    for (const [name, value] of Object.entries(corsHeaders(request.headers.get('origin'), allowedOrigins))) {
      response.headers.set(name, value);
    }
    log(`${request.method} ${new URL(request.url).pathname.slice(0, 300)} → ${response.status} (${Date.now() - started} ms)`);
    return response;
  };
}
