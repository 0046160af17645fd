/**
 * The routes the gateway forwards (Mixpeek OpenAPI 0.81, tags "Bucket Uploads" and "Tasks"),
 * matched from the request's path, and the query parameters each accepts. Anything else is
 * never forwarded.
 */
import { UPLOAD_ID_PATTERN } from '../api/schemas.ts';

/** The forwarded routes. */
export type RouteName = 'create' | 'batchCreate' | 'confirm' | 'batchConfirm' | 'get' | 'delete' | 'task';

/** A request matched to a route, with its path parameters checked. */
export interface MatchedRoute {
  name: RouteName;
  /** The bucket identifier, on bucket routes. */
  bucket?: string;
  /** The upload id (`upl_…`), on single-upload routes. */
  uploadId?: string;
  /** The path to ask Mixpeek for, rebuilt from the checked parameters. */
  upstreamPath: string;
}

/** A bucket identifier or task id: letters, digits, `_` and `-`, 1–200 characters. */
const ID = /^[A-Za-z0-9_-]{1,200}$/;
const isUploadId = (s: string) => s.length <= 200 && UPLOAD_ID_PATTERN.test(s);

/**
 * The query parameters each route accepts, with their allowed values (Mixpeek OpenAPI 0.81:
 * confirm's `async`, a boolean). Others are refused rather than forwarded: `namespace` would
 * pick another namespace, `delete_s3_object=false` would keep bytes after a cancel.
 */
export const ROUTE_QUERY: Record<RouteName, Record<string, readonly string[]>> = {
  create: {},
  batchCreate: {},
  confirm: { async: ['true', 'false'] },
  batchConfirm: {},
  get: {},
  delete: {},
  task: {},
};

/** The route for `method` and `path` (below the base path), else the status to refuse with. */
export function matchRoute(method: string, path: string): MatchedRoute | 404 | 405 {
  const parts = path.split('/');
  // ['', 'v1', 'buckets', b, 'uploads', ...rest] or ['', 'v1', 'tasks', id]
  if (parts[0] !== '' || parts[1] !== 'v1') return 404;
  const want = (name: RouteName, allowed: string, route: Omit<MatchedRoute, 'name'>): MatchedRoute | 405 =>
    method === allowed ? { name, ...route } : 405;
  if (parts[2] === 'tasks' && parts.length === 4) {
    const id = parts[3]!;
    return ID.test(id) ? want('task', 'GET', { upstreamPath: `/v1/tasks/${id}` }) : 404;
  }
  if (parts[2] !== 'buckets' || parts[4] !== 'uploads' || !ID.test(parts[3] ?? '')) return 404;
  const bucket = parts[3]!;
  const base = `/v1/buckets/${bucket}/uploads`;
  const rest = parts.slice(5);
  if (rest.length === 0) return want('create', 'POST', { bucket, upstreamPath: base });
  if (rest.length === 1 && rest[0] === 'batch') return want('batchCreate', 'POST', { bucket, upstreamPath: `${base}/batch` });
  if (rest.length === 2 && rest[0] === 'confirm' && rest[1] === 'batch') {
    return want('batchConfirm', 'POST', { bucket, upstreamPath: `${base}/confirm/batch` });
  }
  const uploadId = rest[0]!;
  if (!isUploadId(uploadId)) return 404;
  if (rest.length === 2 && rest[1] === 'confirm') {
    return want('confirm', 'POST', { bucket, uploadId, upstreamPath: `${base}/${uploadId}/confirm` });
  }
  if (rest.length !== 1) return 404;
  const route = { bucket, uploadId, upstreamPath: `${base}/${uploadId}` };
  if (method === 'GET') return { name: 'get', ...route };
  if (method === 'DELETE') return { name: 'delete', ...route };
  return 405;
}

/**
 * The query string to forward for `route`, or a message naming the parameter refused. Each
 * parameter may appear once, with one of its allowed values.
 */
export function checkQuery(route: RouteName, search: URLSearchParams): { query: string } | { problem: string } {
  const allowed = ROUTE_QUERY[route];
  const out = new URLSearchParams();
  for (const [name, value] of search) {
    const values = Object.hasOwn(allowed, name) ? allowed[name] : undefined;
    if (!values) return { problem: `The query parameter "${name.slice(0, 40)}" is not accepted here.` };
    if (!values.includes(value) || out.has(name)) {
      return { problem: `The query parameter "${name}" must be given once, as one of: ${values.join(', ')}.` };
    }
    out.set(name, value);
  }
  const query = out.toString();
  return { query: query ? `?${query}` : '' };
}
