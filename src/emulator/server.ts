/**
 * The emulated Mixpeek HTTP API (Hono on @hono/node-server): the seven bucket-upload routes,
 * `GET /v1/tasks/{task_id}`, and the emulator's own `/_emulator/*` control routes.
 *
 * Routes, headers and bodies follow Mixpeek's public OpenAPI document, API version 0.81
 * (tags "Bucket Uploads" and "Tasks"). Where that document is silent the choice is marked
 * "emulator's choice".
 *
 * Faults (see faults.ts): latency and the offline window apply to every request (latency not
 * to the control routes); `rateLimit` answers 429 after auth, namespace and bucket checks and
 * before the body is validated.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { ApiError, badRequest, notFound, RequestValidationError, tooManyRequests, unauthorized } from './errors.ts';
import type { FaultInjector } from './fault-injector.ts';
import { FaultsValidationError, type ApiRoute, type FaultName } from './faults.ts';
import { parseJsonText } from '../api/json-text.ts';
import { urlHost } from './storage.ts';
import { BATCH_CONFIRM_MESSAGE, type UploadStore } from './store.ts';
import type { EmulatorRequestLogEntry } from './types.ts';
import {
  jsonInvalid,
  queryInvalid,
  validateBatchConfirm,
  validateBatchCreate,
  validateConfirm,
  validateCreateUpload,
  validateList,
} from './validate.ts';

/** Options of {@link startApiServer}. */
export interface ApiServerOptions {
  host: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  /** The only accepted `Authorization: Bearer` token. */
  apiKey: string;
  /** The only namespace that exists (`X-Namespace` header, or `?namespace=`). */
  namespace: string;
  /** Bucket identifiers that exist. */
  buckets: string[];
  /** Origins answered with CORS headers, or `'*'` for any. */
  corsOrigins: string[] | '*';
  store: UploadStore;
  /** Current time, ms since the Unix epoch. */
  clock: () => number;
  /** Storage base URL (for `/_emulator/info`). */
  storageUrl: string;
  /** The live request log (for `/_emulator/requests`). */
  requests: () => EmulatorRequestLogEntry[];
  /** Forgets uploads, tasks, the log and the faults (for `/_emulator/reset`). */
  reset: () => void;
  /**
   * When set, every `/_emulator/*` request must carry it in `X-Emulator-Token`. Control routes
   * answer pages on loopback origins only, whether or not it is set.
   */
  controlToken?: string | undefined;
  /** The fault set (for `/_emulator/faults`, rate limits, latency and the offline window). */
  faults: FaultInjector;
  /** Called once per request, after the response ends. */
  onRequest: (entry: Omit<EmulatorRequestLogEntry, 'seq'>) => void;
}

/** The running API server. */
export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

/** A parsed request body. */
type Body =
  | { present: false }
  | { present: true; ok: true; value: unknown }
  | { present: true; ok: false; position: number; error: string };

type Env = { Bindings: HttpBindings; Variables: { body: Body } };

/** The emulator's own routes (not Mixpeek's). */
const CONTROL_PREFIX = '/_emulator/';
/** Header carrying {@link ApiServerOptions.controlToken}. */
export const CONTROL_TOKEN_HEADER = 'X-Emulator-Token';

/** True for an origin on this machine: `http(s)://localhost`, `127.0.0.0/8` or `[::1]`, any port. */
export function isLoopbackOrigin(origin: string): boolean {
  try {
    const { hostname, protocol } = new URL(origin);
    if (protocol !== 'http:' && protocol !== 'https:') return false;
    return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
  } catch {
    return false;
  }
}

/** Methods the API allows from browsers. */
const CORS_METHODS = 'GET, POST, DELETE, OPTIONS';
/** Request headers always allowed (any other requested header is allowed too). */
const CORS_ALLOW_HEADERS = ['Authorization', 'Content-Type', 'X-Namespace', CONTROL_TOKEN_HEADER];
/**
 * Response headers a browser may read: the rate-limit headers of Mixpeek's rate-limit docs
 * (docs.mixpeek.com/operations/rate-limits-quotas: X-RateLimit-Limit/-Remaining/-Reset/-Window,
 * Retry-After on 429). The emulator does not rate-limit; a gateway in front of it might.
 */
const CORS_EXPOSE_HEADERS = 'Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, X-RateLimit-Window';
/** Seconds a browser may cache a preflight (emulator's choice). */
const CORS_MAX_AGE_S = 600;

/** Parses a FastAPI-style boolean query parameter. */
function boolQuery(c: Context<Env>, name: string, fallback: boolean): boolean {
  const raw = c.req.query(name);
  if (raw === undefined) return fallback;
  const v = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on', 't', 'y'].includes(v)) return true;
  if (['false', '0', 'no', 'off', 'f', 'n'].includes(v)) return false;
  throw queryInvalid(name, 'bool_parsing', 'Input should be a valid boolean, unable to interpret input', raw);
}

/** Parses an optional integer query parameter within [min, max]. */
function intQuery(c: Context<Env>, name: string, min: number, max: number): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw.trim())) {
    throw queryInvalid(name, 'int_parsing', 'Input should be a valid integer, unable to parse string as an integer', raw);
  }
  const v = Number(raw);
  if (v < min) throw queryInvalid(name, 'greater_than_equal', `Input should be greater than or equal to ${min}`, raw);
  if (v > max) throw queryInvalid(name, 'less_than_equal', `Input should be less than or equal to ${max}`, raw);
  return v;
}

/** The JSON body, `undefined` when absent; 422 `json_invalid` when malformed. */
function jsonBody(c: Context<Env>): unknown {
  const body = c.get('body');
  if (!body.present) return undefined;
  if (!body.ok) throw jsonInvalid(body.position, body.error);
  return body.value;
}

/** Hooks from the Node server into the application. */
export interface AppHooks {
  /** Receives each POST's parsed JSON body, for the request log. */
  noteBody: (req: IncomingMessage, body: unknown) => void;
  /** Receives the fault that answered a request, for the request log. */
  noteFault: (req: IncomingMessage, fault: FaultName) => void;
  /** The API's own base URL once it listens. */
  apiUrl: () => string;
}

/** Builds the Hono application. */
export function createApiApp(options: ApiServerOptions, hooks: AppHooks): Hono<Env> {
  const { store } = options;
  const app = new Hono<Env>();

  // Control routes answer pages on loopback only; API routes the configured origins. No route
  // allows credentials: the API takes its key in a header, never from cookies.
  const originAllowed = (origin: string | undefined, path: string): origin is string =>
    origin !== undefined &&
    (path.startsWith(CONTROL_PREFIX) ? isLoopbackOrigin(origin) : options.corsOrigins === '*' || options.corsOrigins.includes(origin));

  // Control routes: a page on another site must not reset or fault the emulator (a form POST
  // needs no preflight), so a non-loopback Origin is refused outright; with a control token
  // set, the token is required too.
  app.use(`${CONTROL_PREFIX}*`, async (c, next) => {
    if (c.req.method === 'OPTIONS') return next();
    const origin = c.req.header('origin');
    if (origin !== undefined && !isLoopbackOrigin(origin)) {
      throw new ApiError(403, 'ForbiddenError', 'The emulator control routes answer pages on this machine (loopback) only');
    }
    if (options.controlToken !== undefined && c.req.header(CONTROL_TOKEN_HEADER) !== options.controlToken) {
      throw unauthorized(`Missing or wrong ${CONTROL_TOKEN_HEADER} header (the emulator's control token)`);
    }
    await next();
  });

  // CORS: preflights answered here; other responses get the headers on the way out.
  app.use('*', async (c, next) => {
    const origin = c.req.header('origin');
    const allowed = originAllowed(origin, c.req.path);
    if (c.req.method === 'OPTIONS') {
      const headers = new Headers({ Vary: 'Origin, Access-Control-Request-Headers' });
      if (allowed) {
        const requested = (c.req.header('access-control-request-headers') ?? '')
          .split(',')
          .map((h) => h.trim())
          .filter((h) => h.length > 0);
        const allowHeaders = [...CORS_ALLOW_HEADERS];
        for (const h of requested) {
          if (!allowHeaders.some((a) => a.toLowerCase() === h.toLowerCase())) allowHeaders.push(h);
        }
        headers.set('Access-Control-Allow-Origin', origin);
        headers.set('Access-Control-Allow-Methods', CORS_METHODS);
        headers.set('Access-Control-Allow-Headers', allowHeaders.join(', '));
        headers.set('Access-Control-Max-Age', String(CORS_MAX_AGE_S));
        // Chrome's Private Network Access preflight (a public page calling a loopback emulator).
        if (c.req.header('access-control-request-private-network') === 'true') {
          headers.set('Access-Control-Allow-Private-Network', 'true');
        }
      }
      return new Response(null, { status: 204, headers });
    }
    await next();
    if (allowed) {
      c.res.headers.set('Access-Control-Allow-Origin', origin);
      c.res.headers.set('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS);
      c.res.headers.append('Vary', 'Origin');
    }
  });

  // Read POST bodies once: for the handlers and for the request log.
  app.use('*', async (c, next) => {
    let body: Body = { present: false };
    if (c.req.method === 'POST') {
      const text = await c.req.text();
      if (text.trim().length > 0) {
        try {
          const value: unknown = parseJsonText(text);
          body = { present: true, ok: true, value };
          hooks.noteBody(c.env.incoming, value);
        } catch (err) {
          const message = (err as Error).message;
          const position = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
          body = { present: true, ok: false, position, error: message };
        }
      }
    }
    c.set('body', body);
    await next();
  });

  // Auth: Mixpeek OpenAPI 0.81, every route: `Authorization: Bearer <api_key>`.
  app.use('/v1/*', async (c, next) => {
    const header = c.req.header('authorization');
    if (!header) throw unauthorized('Missing Authorization header; send "Authorization: Bearer <api key>"');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match || match[1] !== options.apiKey) throw unauthorized('Invalid API key');
    await next();
  });

  // Namespace and bucket: Mixpeek OpenAPI 0.81 requires `X-Namespace` on every bucket route;
  // the newer docs add a `?namespace=` query fallback. Status codes are the emulator's choice.
  const bucketGuard: MiddlewareHandler<Env> = async (c, next) => {
    const namespace = c.req.header('x-namespace') ?? c.req.query('namespace');
    if (namespace === undefined || namespace.trim() === '') {
      throw badRequest('Missing X-Namespace header (or ?namespace= query parameter)');
    }
    if (namespace !== options.namespace) throw notFound(`Namespace '${namespace}' not found`, { namespace });
    const bucket = c.req.param('bucket');
    if (bucket === undefined || !options.buckets.includes(bucket)) {
      throw notFound(`Bucket '${bucket ?? ''}' not found in namespace '${namespace}'`, { bucket_identifier: bucket ?? null });
    }
    await next();
  };
  app.use('/v1/buckets/:bucket/*', bucketGuard);

  const bucketOf = (c: Context<Env>): string => c.req.param('bucket') as string;

  // The `rateLimit` fault: 429 in the envelope, `Retry-After` (seconds) when the fault has one.
  const limit =
    (name: ApiRoute): MiddlewareHandler<Env> =>
    async (c, next) => {
      const hit = options.faults.takeRateLimit(name);
      if (!hit) return next();
      hooks.noteFault(c.env.incoming, 'rateLimit');
      if (hit.retryAfter !== null) c.header('Retry-After', String(hit.retryAfter));
      return c.json(tooManyRequests(hit.retryAfter).toJSON(), 429);
    };
  const routes: { path: string; methods: string[] }[] = [];
  const route = (path: string, ...methods: string[]): void => {
    routes.push({ path, methods });
  };

  // 1. Create one upload (201 per Mixpeek OpenAPI 0.81 route description "201 Created").
  route('/v1/buckets/:bucket/uploads', 'POST');
  app.post('/v1/buckets/:bucket/uploads', limit('create'), async (c) => {
    const item = validateCreateUpload(jsonBody(c));
    const [record] = await store.create(bucketOf(c), [item]);
    return c.json(store.toUploadResponse(record!), 201);
  });

  // 2. Batch create, 1–100 items (Mixpeek OpenAPI 0.81, `BatchUploadRequest`, 200 `BatchUploadResponse`).
  route('/v1/buckets/:bucket/uploads/batch', 'POST');
  app.post('/v1/buckets/:bucket/uploads/batch', limit('create'), async (c) => {
    const items = validateBatchCreate(jsonBody(c));
    const records = await store.create(bucketOf(c), items);
    return c.json({ uploads: records.map((r) => store.toUploadResponse(r)), total: records.length }, 200);
  });

  // 6. List (Mixpeek OpenAPI 0.81, `ListUploadsRequest` body; `limit` 1–1000 / `offset` 0–10000 query).
  route('/v1/buckets/:bucket/uploads/list', 'POST');
  app.post('/v1/buckets/:bucket/uploads/list', limit('list'), (c) => {
    const limit = intQuery(c, 'limit', 1, 1000);
    const offset = intQuery(c, 'offset', 0, 10000);
    const fallback: { limit?: number; offset?: number } = {};
    if (limit !== undefined) fallback.limit = limit;
    if (offset !== undefined) fallback.offset = offset;
    const input = validateList(jsonBody(c), fallback);
    return c.json(store.list(bucketOf(c), input), 200);
  });

  // 4. Batch confirm, always async (Mixpeek OpenAPI 0.81, `BatchConfirmRequest` / `BatchConfirmResponse`).
  route('/v1/buckets/:bucket/uploads/confirm/batch', 'POST');
  app.post('/v1/buckets/:bucket/uploads/confirm/batch', limit('confirm'), (c) => {
    const confirmations = validateBatchConfirm(jsonBody(c));
    const task = store.batchConfirm(bucketOf(c), confirmations);
    return c.json(
      {
        task_id: task.task_id,
        status: task.status,
        confirmations_count: confirmations.length,
        task: store.toTaskResponse(task),
        message: BATCH_CONFIRM_MESSAGE,
      },
      200,
    );
  });

  // 3. Confirm one upload (Mixpeek OpenAPI 0.81, `ConfirmUploadRequest`, query `async` default false).
  route('/v1/buckets/:bucket/uploads/:uploadId/confirm', 'POST');
  app.post('/v1/buckets/:bucket/uploads/:uploadId/confirm', limit('confirm'), async (c) => {
    const runAsync = boolQuery(c, 'async', false);
    const conf = validateConfirm(jsonBody(c));
    const result = await store.confirm(bucketOf(c), c.req.param('uploadId'), conf, runAsync);
    return c.json(result, 200);
  });

  // 5. Get and 7. delete (cancel) one upload.
  route('/v1/buckets/:bucket/uploads/:uploadId', 'GET', 'DELETE');
  app.get('/v1/buckets/:bucket/uploads/:uploadId', limit('get'), (c) => {
    const record = store.get(bucketOf(c), c.req.param('uploadId'));
    return c.json(store.toUploadResponse(record), 200);
  });
  app.delete('/v1/buckets/:bucket/uploads/:uploadId', limit('delete'), async (c) => {
    // Mixpeek OpenAPI 0.81: `delete_s3_object` defaults to true.
    const deleteObject = boolQuery(c, 'delete_s3_object', true);
    await store.cancel(bucketOf(c), c.req.param('uploadId'), deleteObject);
    return c.body(null, 204);
  });

  // Tasks (Mixpeek OpenAPI 0.81, `GET /v1/tasks/{task_id}`: only `Authorization`, no namespace).
  route('/v1/tasks/:taskId', 'GET');
  app.get('/v1/tasks/:taskId', limit('task'), (c) => c.json(store.toTaskResponse(store.getTask(c.req.param('taskId'))), 200));

  // Control routes (not Mixpeek): no Mixpeek key; loopback pages only, and the control token when set (above).
  route('/_emulator/requests', 'GET');
  app.get('/_emulator/requests', (c) => c.json(options.requests(), 200));
  route('/_emulator/reset', 'POST');
  app.post('/_emulator/reset', (c) => {
    options.reset();
    return c.json({ ok: true }, 200);
  });
  route('/_emulator/faults', 'GET', 'POST');
  app.get('/_emulator/faults', (c) => c.json(options.faults.state(), 200));
  // The body replaces the fault set; the asking connection survives an `offline` until it has its answer.
  app.post('/_emulator/faults', (c) => {
    const body = jsonBody(c);
    try {
      return c.json(options.faults.set(body ?? {}, c.env.incoming.socket), 200);
    } catch (err) {
      if (err instanceof FaultsValidationError) throw badRequest(err.message);
      throw err;
    }
  });
  route('/_emulator/info', 'GET');
  app.get('/_emulator/info', (c) =>
    c.json({ apiUrl: hooks.apiUrl(), storageUrl: options.storageUrl, namespace: options.namespace, buckets: options.buckets }, 200),
  );

  // A known path with another method: 405 in the envelope, with `Allow`.
  for (const { path, methods } of routes) {
    app.all(path, (c) => {
      const allow = [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
      c.header('Allow', allow);
      return c.json(
        new ApiError(405, 'MethodNotAllowedError', `Method ${c.req.method} not allowed on ${c.req.path}; allowed: ${allow}`).toJSON(),
        405,
      );
    });
  }

  app.notFound((c) => c.json(notFound(`Route ${c.req.method} ${c.req.path} not found`).toJSON(), 404));

  app.onError((err, c) => {
    if (err instanceof ApiError) return c.json(err.toJSON(), err.status as 400);
    if (err instanceof RequestValidationError) return c.json(err.toJSON(), 422);
    return c.json(new ApiError(500, 'InternalServerError', `Internal error: ${err.message}`).toJSON(), 500);
  });

  return app;
}

/** Starts the API server; each request is reported to `options.onRequest` after its response ends. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const bodies = new WeakMap<IncomingMessage, unknown>();
  const faultsOf = new WeakMap<IncomingMessage, FaultName>();
  const { faults } = options;
  let url = '';
  const app = createApiApp(options, {
    noteBody: (req, body) => bodies.set(req, body),
    noteFault: (req, fault) => faultsOf.set(req, fault),
    apiUrl: () => url,
  });
  const listener = getRequestListener(app.fetch, { overrideGlobalObjects: false });

  const server: Server = createServer(async (req, res) => {
    const started = performance.now();
    const time = options.clock();
    const method = (req.method ?? 'GET').toUpperCase();
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    let path = rawPath;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      // keep the raw path
    }
    const control = path.startsWith('/_emulator/');
    let recorded = false;
    const record = (): void => {
      if (recorded) return;
      recorded = true;
      const dropped = faults.offline.wasDropped(req.socket);
      const entry: Omit<EmulatorRequestLogEntry, 'seq'> = {
        time,
        kind: control ? 'control' : 'api',
        method,
        path,
        status: res.writableFinished ? res.statusCode : dropped ? 0 : 499,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      };
      if (bodies.has(req)) entry.body = bodies.get(req);
      const fault = faultsOf.get(req) ?? (dropped ? 'offline' : undefined);
      if (fault !== undefined) entry.fault = fault;
      options.onRequest(entry);
    };
    res.once('finish', record);
    res.once('close', record);
    res.once('finish', () => faults.offline.afterResponse(req));
    if (faults.offline.refuse(req)) return;
    const latency = control ? 0 : faults.latencyMs('api');
    if (latency > 0) {
      await sleep(latency);
      if (req.socket.destroyed) return;
    }
    void listener(req, res);
  });

  faults.offline.attach(server);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  url = `http://${urlHost(options.host)}:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
