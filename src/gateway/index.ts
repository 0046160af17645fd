/**
 * The upload gateway: a web-standard fetch handler that keeps Mixpeek's secret key on the
 * server. Browsers call it with the routes `<mixpeek-uploader>` uses; it checks them, adds
 * `Authorization: Bearer <key>` and `X-Namespace`, forwards them to Mixpeek and passes the
 * answer back. Everything else is refused without reaching Mixpeek.
 *
 * Why: Mixpeek's keys (`sk_…`) carry the whole organization's power, Mixpeek has no
 * publishable or short-lived upload token, and its API does not serve CORS to customer
 * origins (docs.mixpeek.com/operations/security; Mixpeek OpenAPI 0.81 has no upload-scoped
 * key type), so a page must never hold the key.
 *
 * The handler keeps no state but the optional in-memory rate limiter, so it runs unchanged on
 * Node (with `@hono/node-server`), serverless functions and edge runtimes.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { checkCreateBody } from './policy.ts';

/** Where a request came from, as the hosting adapter knows it. */
export interface ClientInfo {
  /** The client's IP address, when the runtime exposes it. */
  clientAddress?: string | undefined;
  /**
   * The request target exactly as received (`/a/../b?x`), when the runtime exposes it. `Request.url`
   * has dot segments already resolved; with the raw target the gateway refuses them instead.
   */
  rawUrl?: string | undefined;
}

/** Options of {@link createGateway}. Units: bytes and requests per minute. */
export interface GatewayOptions {
  /** Mixpeek's secret API key (`sk_…`). Required. Never sent to browsers, never logged. */
  apiKey: string;
  /** Mixpeek's API base URL. Default `https://api.mixpeek.com`. */
  apiUrl?: string;
  /**
   * Sent as `X-Namespace` on every bucket route, replacing any the browser sent. When unset,
   * the browser's `X-Namespace` is forwarded: leave it unset only if every namespace the key
   * reaches may be written by anyone your `authorize` lets in.
   */
  namespace?: string;
  /** The bucket identifiers browsers may upload to (a list, or a predicate). Others get 403. */
  buckets: readonly string[] | ((bucket: string, request: Request) => boolean | Promise<boolean>);
  /**
   * Your site's own check (session cookie, token). Resolve `false` to refuse: the gateway
   * answers 401 and forwards nothing. Default: everyone is allowed.
   */
  authorize?: (request: Request) => boolean | Promise<boolean>;
  /** Largest `file_size_bytes` a create may declare, bytes. Creates must then declare it. */
  maxFileSize?: number;
  /** Content types creates may declare: exact (`image/png`) or wildcard (`image/*`). Default: any. */
  allowedContentTypes?: readonly string[];
  /**
   * Requests per minute per client; `false` turns limiting off. Default 120 per minute, keyed
   * by {@link ClientInfo.clientAddress} (else the first `X-Forwarded-For` address, else one
   * shared key). The in-memory limiter counts per process; pass your own `key` to count per
   * user.
   */
  rateLimit?: false | { requestsPerMinute: number; key?: (request: Request, info: ClientInfo) => string };
  /** Path prefix the gateway is mounted at, e.g. `/mixpeek`. Default `''`. */
  basePath?: string;
  /** Origins allowed to call the gateway cross-origin (CORS). Default none: same-origin only. */
  allowedOrigins?: readonly string[];
  /**
   * Request headers a cross-origin page may send besides `Content-Type`, `Authorization`,
   * `X-Namespace` and `X-Requested-With`: the ones your `getHeaders` adds (e.g. `X-Session`).
   * Without them the browser refuses those requests before they leave the page (CORS preflight).
   */
  allowedHeaders?: readonly string[];
  /** Largest request body, bytes. Default 256 KiB: a batch of 100 creates fits, a megabyte of JSON does not. */
  maxBodyBytes?: number;
  /** `fetch` used to reach Mixpeek (injected for tests). */
  fetch?: typeof fetch;
  /** One line per request: `METHOD path → status (ms)`; never contains the key. Default silent. */
  log?: (line: string) => void;
}

/** A web-standard request handler. */
export type GatewayHandler = (request: Request, info?: ClientInfo) => Promise<Response>;

/** Mixpeek's API, where the gateway forwards unless told otherwise. */
export const DEFAULT_API_URL = 'https://api.mixpeek.com';

/** Default body cap: 256 KiB. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/** A path segment the gateway forwards: no `%`, no dots, no slashes, at most 200 characters. */
const SEGMENT = /^[A-Za-z0-9_-]{1,200}$/;
/** Upload ids are `upl_…` (Mixpeek OpenAPI 0.81, `CreateBlobRequest.upload_id`: `^upl_[a-zA-Z0-9_-]+$`). */
const UPLOAD_ID = /^upl_[A-Za-z0-9_-]+$/;

/** Response headers passed back from Mixpeek (rate-limit headers per docs.mixpeek.com/operations/rate-limits-quotas). */
const PASSED_HEADERS = [
  'content-type',
  'retry-after',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'x-ratelimit-window',
];

/** An error in Mixpeek's envelope, so the element shows the message like any Mixpeek error. */
function refuse(status: number, type: string, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ success: false, status, error: { message, type, details: null } }, { status, headers });
}

type Env = { Bindings: { info?: ClientInfo } };

/**
 * Creates the gateway's fetch handler. It forwards exactly these routes (Mixpeek OpenAPI 0.81),
 * below `basePath`:
 * `POST /v1/buckets/{bucket}/uploads`, `POST …/uploads/batch`, `POST …/uploads/{id}/confirm`,
 * `POST …/uploads/confirm/batch`, `GET …/uploads/{id}`, `DELETE …/uploads/{id}`,
 * `GET /v1/tasks/{id}`. Anything else is 404 (405 for another method on a known route).
 * Refusals answer in Mixpeek's error envelope: 401 (authorize), 403 (bucket), 413 (body),
 * 422 (create policy or malformed JSON), 429 (rate limit, with `Retry-After`).
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
  const limit = options.rateLimit === false ? undefined : (options.rateLimit ?? { requestsPerMinute: 120 });
  const limiter = limit && new RateLimiterMemory({ points: limit.requestsPerMinute, duration: 60 });
  const clientKey =
    limit?.key ??
    ((request: Request, info: ClientInfo) =>
      info.clientAddress ?? request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() ?? 'all-clients');
  const redact = (text: string) => text.split(options.apiKey).join('[redacted]');

  const app = new Hono<Env>().basePath(basePath || '/');

  if (options.allowedOrigins?.length) {
    const origins = [...options.allowedOrigins];
    app.use(
      '*',
      cors({
        origin: (origin) => (origins.includes(origin) ? origin : null),
        allowMethods: ['GET', 'POST', 'DELETE'],
        allowHeaders: ['Content-Type', 'X-Namespace', 'Authorization', 'X-Requested-With', ...(options.allowedHeaders ?? [])],
        exposeHeaders: PASSED_HEADERS.filter((h) => h !== 'content-type'),
        maxAge: 600,
      }),
    );
  }

  // Guards that apply to every request, before any route is considered.
  app.use('*', async (c, next) => {
    const received = c.env?.info?.rawUrl?.split('?')[0];
    const path = received ?? new URL(c.req.url).pathname;
    // Encoded characters and dot segments have no place in these routes: `%2F`, `%2e%2e` or
    // `/../` could smuggle a request past the route check into another Mixpeek route.
    if (/%|\\|\/\/|(^|\/)\.{1,2}(\/|$)/.test(path)) {
      return refuse(404, 'NotFoundError', 'Not found.');
    }
    if (limiter) {
      try {
        await limiter.consume(clientKey(c.req.raw, c.env?.info ?? {}));
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
        return refuse(429, 'TooManyRequestsError', `Too many requests; try again in ${seconds} s.`, { 'Retry-After': String(seconds) });
      }
    }
    if (options.authorize && !(await options.authorize(c.req.raw))) {
      return refuse(401, 'UnauthorizedError', 'Not signed in, or not allowed to upload.');
    }
    return next();
  });

  const limitBody = bodyLimit({
    maxSize: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    // The rest of the body is not read, so the connection cannot carry another request.
    onError: () => refuse(413, 'PayloadTooLargeError', 'The request body is too large.', { Connection: 'close' }),
  });

  /** Checks the bucket and path segments, then forwards. */
  const forward = (check?: (body: unknown) => string | null) => async (c: Context<Env>) => {
    const params = c.req.param() as Record<string, string>;
    const valid = Object.values(params).every((v) => SEGMENT.test(v)) && (params.uploadId === undefined || UPLOAD_ID.test(params.uploadId));
    if (!valid) return refuse(404, 'NotFoundError', 'Not found.');
    const bucket = params.bucket;
    if (bucket !== undefined && !(await allowBucket(bucket, c.req.raw))) {
      return refuse(403, 'ForbiddenError', `Uploads to bucket "${bucket}" are not allowed here.`);
    }
    let body: string | undefined;
    if (c.req.method === 'POST') {
      body = await c.req.text();
      if (check) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          return refuse(422, 'ValidationError', 'The request body is not valid JSON.');
        }
        const problem = check(parsed);
        if (problem) return refuse(422, 'ValidationError', problem);
      }
    }
    const path = new URL(c.req.url).pathname.slice(basePath.length);
    const search = new URL(c.req.url).search;
    const headers: Record<string, string> = { Authorization: `Bearer ${options.apiKey}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const namespace = options.namespace ?? c.req.header('x-namespace');
    if (bucket !== undefined && namespace) headers['X-Namespace'] = namespace;
    let upstream: Response;
    try {
      upstream = await upstreamFetch(`${apiUrl}${path}${search}`, { method: c.req.method, headers, body: body ?? null });
    } catch {
      return refuse(502, 'BadGatewayError', 'Mixpeek could not be reached.');
    }
    const out = new Headers();
    for (const name of PASSED_HEADERS) {
      const value = upstream.headers.get(name);
      if (value !== null) out.set(name, value);
    }
    const text = upstream.status === 204 ? null : redact(await upstream.text());
    return new Response(text, { status: upstream.status, headers: out });
  };

  const policy = (body: unknown) => checkCreateBody(body, options);
  const bucketRoute = '/v1/buckets/:bucket/uploads';
  app.post(bucketRoute, limitBody, forward(policy));
  app.post(`${bucketRoute}/batch`, limitBody, forward(policy));
  app.post(`${bucketRoute}/confirm/batch`, limitBody, forward());
  app.post(`${bucketRoute}/:uploadId/confirm`, limitBody, forward());
  app.get(`${bucketRoute}/:uploadId`, forward());
  app.delete(`${bucketRoute}/:uploadId`, forward());
  app.get('/v1/tasks/:taskId', forward());

  const known = [
    `${bucketRoute}`,
    `${bucketRoute}/batch`,
    `${bucketRoute}/confirm/batch`,
    `${bucketRoute}/:uploadId/confirm`,
    `${bucketRoute}/:uploadId`,
    '/v1/tasks/:taskId',
  ];
  for (const route of known) app.all(route, () => refuse(405, 'MethodNotAllowedError', 'Method not allowed.'));
  app.notFound(() => refuse(404, 'NotFoundError', 'Not found.'));
  app.onError((error) => {
    options.log?.(`gateway error: ${redact(String(error))}`);
    return refuse(500, 'InternalServerError', 'The gateway failed.');
  });

  return async (request, info = {}) => {
    const started = Date.now();
    const response = await app.fetch(request, { info });
    options.log?.(`${request.method} ${redact(new URL(request.url).pathname)} → ${response.status} (${Date.now() - started} ms)`);
    return response;
  };
}
