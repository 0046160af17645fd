/**
 * Object storage for the emulator: s3rver 3.7.1 (an S3 clone on the local filesystem) behind a
 * small node:http front on the same port that verifies presigned-URL signatures, which s3rver
 * itself does not do.
 *
 * Facts about s3rver 3.7.1 relied on here (read from node_modules/s3rver/lib):
 * - `callback()` (Koa) returns a `(req, res)` handler, so it can be mounted on our own server.
 * - It never verifies V4 signatures, and checks expiry against the real clock; the front does
 *   both (against the emulator's clock) and strips the auth parameters before handing on.
 * - Its credentials are `S3RVER` / `S3RVER`; buckets and CORS rules are set up with
 *   `configureBuckets`; `vhostBuckets: false` keeps every request path-style.
 * - Its filesystem store answers a PUT before the file is fully flushed to disk; the store's
 *   `putObject` is replaced below so that the object is complete (written to a temporary file
 *   and renamed) before the ETag goes out, and an aborted PUT leaves nothing behind.
 *
 * Faults (see faults.ts), when a `FaultInjector` is given: latency and the offline window for
 * every request; after a valid signature, failing or cut PUTs, PUT answers without `ETag`, and
 * objects altered after they are stored.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, readdirSync, rmSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { createServer, IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultInjector } from './fault-injector.ts';
import type { FaultName } from './faults.ts';
import { uploadIdFromKey } from './keys.ts';
import { hasQuerySignature, parseQuery, presignPutUrl, verifyPresignedRequest } from './sigv4.ts';
import { corruptFile, cutRequest, drainRequest, stripEtag } from './storage-faults.ts';
import type { EmulatorRequestLogEntry } from './types.ts';

/** s3rver's fixed credentials (s3rver 3.7.1 README: access key and secret are both `S3RVER`). */
export const STORAGE_ACCESS_KEY_ID = 'S3RVER';
export const STORAGE_SECRET_ACCESS_KEY = 'S3RVER';
/** Region the URLs are signed for (emulator's choice; s3rver ignores regions). */
export const STORAGE_REGION = 'us-east-1';
/** The one storage bucket all Mixpeek buckets' uploads go to (emulator's choice). */
export const STORAGE_BUCKET = 'mixpeek-emulator';

/**
 * CORS rules of the storage bucket: any origin may PUT/GET/HEAD with any header, and `ETag`
 * is exposed so the browser can read it (Mixpeek's admin CORS endpoint exposes ETag and
 * x-amz-request-id by default, per its SDK docs `ConfigureCORSRequest`). Max age in seconds.
 */
const STORAGE_CORS_XML = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <ExposeHeader>x-amz-request-id</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

/** Headers exposed on the front's own error responses (mirrors the bucket CORS rule). */
const EXPOSE_HEADERS = 'ETag, x-amz-request-id';

// --- the parts of s3rver 3.7.1 used here (it ships no types) ---
interface S3ObjectLike {
  bucket: string;
  key: string;
  content: NodeJS.ReadableStream | Buffer;
  metadata: Record<string, string>;
}
interface S3rverStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  getBucketPath(bucket: string): string;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5?: string): Promise<void>;
  getMetadata(bucket: string, key: string): Promise<Record<string, string | number>>;
  deleteObject(bucket: string, key: string): Promise<void>;
  putObject(object: S3ObjectLike): Promise<{ size: number; md5: string }>;
}
interface S3rverInstance {
  store: S3rverStore;
  logger: { close(): void };
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  configureBuckets(): Promise<unknown>;
}
type S3rverConstructor = new (options: {
  silent: boolean;
  directory: string;
  vhostBuckets: boolean;
  resetOnClose: boolean;
  configureBuckets: { name: string; configs: string[] }[];
}) => S3rverInstance;

/** Options of {@link startStorage}. */
export interface StorageOptions {
  host: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Directory for s3rver's files (`<dir>/s3`) and partial uploads (`<dir>/tmp`). */
  directory: string;
  /** Current time, ms since the Unix epoch (used for URL expiry). */
  clock: () => number;
  /** Called once per storage request, after the response ends. */
  onRequest: (entry: Omit<EmulatorRequestLogEntry, 'seq'>) => void;
  /** Fault injection; none when absent. */
  faults?: FaultInjector;
}

/** A stored object as seen by confirm. */
export interface StoredObject {
  /** Bytes. */
  size: number;
  /** Lowercase hex MD5 of the bytes (the S3 ETag of a single-part PUT, unquoted). */
  md5: string;
}

/** The running storage. */
export interface Storage {
  /** Base URL, e.g. `http://127.0.0.1:8788`. */
  url: string;
  /**
   * A presigned PUT URL for `key`, signed (SigV4, query string) for exactly `contentType`,
   * valid `expiresInS` seconds from `signingDate`.
   */
  presignPut(key: string, contentType: string, expiresInS: number, signingDate: Date): Promise<string>;
  /** The object's size and MD5, or null when it does not exist. */
  head(key: string): Promise<StoredObject | null>;
  /** Deletes the object if present. */
  remove(key: string): Promise<void>;
  /** Deletes every stored object, keeping the bucket and its CORS rules (synchronous). */
  clear(): void;
  close(): Promise<void>;
}

/** Formats a URL host (IPv6 in brackets; wildcard addresses become loopback). */
export function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

const xmlEscape = (s: string): string =>
  s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string);

/** S3's XML error body. */
function s3ErrorXml(code: string, message: string, detail: Record<string, string>, requestId: string): string {
  const extra = Object.entries(detail)
    .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message>${extra}<RequestId>${requestId}</RequestId></Error>`;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * True for `/<STORAGE_BUCKET>/<key>` (decoded) whose key segments are all non-empty, not `.` or
 * `..`, and free of backslashes and control characters.
 */
export function objectPathValid(path: string): boolean {
  const prefix = `/${STORAGE_BUCKET}/`;
  if (!path.startsWith(prefix)) return false;
  const segments = path.slice(prefix.length).split('/');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
  return segments.every((s) => s !== '' && s !== '.' && s !== '..' && !/[\\\u0000-\u001f\u007f]/.test(s));
}

/** Starts s3rver behind the verifying front. */
export async function startStorage(options: StorageOptions): Promise<Storage> {
  const require = createRequire(import.meta.url);
  const S3rver = require('s3rver') as S3rverConstructor;
  const s3Dir = join(options.directory, 's3');
  const tmpDir = join(options.directory, 'tmp');
  await mkdir(s3Dir, { recursive: true });
  await mkdir(tmpDir, { recursive: true });

  const s3rver = new S3rver({
    silent: true,
    directory: s3Dir,
    vhostBuckets: false,
    resetOnClose: false,
    configureBuckets: [{ name: STORAGE_BUCKET, configs: [STORAGE_CORS_XML] }],
  });
  await s3rver.configureBuckets();
  const store = s3rver.store;

  const faults = options.faults;
  /** Bytes stored by a PUT, by request (for the request log). */
  const storedSizes = new WeakMap<object, number>();
  /** PUT requests whose object was corrupted after storing (for the request log). */
  const corrupted = new WeakSet<object>();

  // Replace s3rver's putObject: stream to a temp file, hash while streaming, rename when complete.
  store.putObject = async (object: S3ObjectLike) => {
    const objectPath = store.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(dirname(objectPath), { recursive: true });
    const tmp = join(tmpDir, randomUUID());
    const hash = createHash('md5');
    let size = 0;
    try {
      if (Buffer.isBuffer(object.content)) {
        hash.update(object.content);
        size = object.content.length;
        await writeFile(tmp, object.content);
      } else {
        const counter = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            hash.update(chunk);
            size += chunk.length;
            callback(null, chunk);
          },
        });
        await pipeline(object.content, counter, createWriteStream(tmp));
      }
      const md5 = hash.digest('hex');
      // The `corrupt` fault: the PUT answers the ETag of the bytes received, the store keeps others.
      let kept = { md5, size };
      if (faults?.corruptsKey(object.key)) {
        kept = await corruptFile(tmp);
        corrupted.add(object.content);
      }
      await store.putMetadata(object.bucket, object.key, object.metadata, kept.md5);
      await rename(tmp, objectPath);
      if (object.content instanceof IncomingMessage) storedSizes.set(object.content, kept.size);
      return { size, md5 };
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  };

  const handleS3 = s3rver.callback();
  let requestCounter = 0;

  // Async for the signature check (verifyPresignedRequest never rejects).
  const server: Server = createServer(async (req, res) => {
    const started = performance.now();
    const time = options.clock();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const qi = url.indexOf('?');
    const rawPath = qi < 0 ? url : url.slice(0, qi);
    const rawQuery = qi < 0 ? '' : url.slice(qi + 1);
    const path = safeDecode(rawPath);
    const requestId = `EMU${(++requestCounter).toString(16).toUpperCase().padStart(13, '0')}`;
    res.setHeader('x-amz-request-id', requestId);

    let recorded = false;
    let fault: FaultName | undefined;
    let cutAt: number | undefined;
    const record = (): void => {
      if (recorded) return;
      recorded = true;
      const dropped = faults?.offline.wasDropped(req.socket) === true;
      if (dropped && fault === undefined) fault = 'offline';
      if (corrupted.has(req)) fault = 'corrupt';
      const entry: Omit<EmulatorRequestLogEntry, 'seq'> = {
        time,
        kind: 'storage',
        method,
        path,
        status: res.writableFinished ? res.statusCode : dropped || cutAt !== undefined ? 0 : 499,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      };
      if (method === 'PUT' || method === 'POST') {
        const ct = req.headers['content-type'];
        if (ct !== undefined) entry.contentType = ct;
        const stored = storedSizes.get(req);
        const declared = Number(req.headers['content-length']);
        if (stored !== undefined) entry.size = stored;
        else if (cutAt !== undefined) entry.size = cutAt;
        else if (Number.isFinite(declared)) entry.size = declared;
      }
      const uploadId = uploadIdFromKey(path);
      if (uploadId) entry.uploadId = uploadId;
      if (fault !== undefined) entry.fault = fault;
      options.onRequest(entry);
    };
    res.once('finish', record);
    res.once('close', record);
    if (faults) {
      res.once('finish', () => faults.offline.afterResponse(req));
      if (faults.offline.refuse(req)) return;
      if (faults.cutArmed()) res.setHeader('Connection', 'close');
      const latency = faults.latencyMs('storage');
      if (latency > 0) {
        await sleep(latency);
        if (req.socket.destroyed) return;
      }
    }

    const reject = (status: number, code: string, message: string, detail: Record<string, string> = {}): void => {
      const body = s3ErrorXml(code, message, detail, requestId);
      const origin = req.headers.origin;
      res.writeHead(status, {
        'Content-Type': 'application/xml',
        'Content-Length': Buffer.byteLength(body),
        'Access-Control-Allow-Origin': origin ?? '*',
        'Access-Control-Expose-Headers': EXPOSE_HEADERS,
        Vary: 'Origin',
      });
      res.end(body);
    };

    if (method === 'OPTIONS' && req.headers['access-control-request-private-network'] === 'true') {
      // Chrome's Private Network Access preflight; s3rver keeps access-control-* headers.
      res.setHeader('Access-Control-Allow-Private-Network', 'true');
    }
    // Bucket and key are checked before anything can reach the file system: one bucket, and
    // key segments that cannot climb out of it.
    if (
      !objectPathValid(path) ||
      rawPath.includes('%2f') ||
      rawPath.includes('%2F') ||
      rawPath.includes('%5c') ||
      rawPath.includes('%5C')
    ) {
      return reject(400, 'InvalidRequest', `This storage holds objects of bucket ${STORAGE_BUCKET} only, under plain keys`);
    }
    const signed = hasQuerySignature(rawQuery);
    if (method !== 'OPTIONS') {
      if (signed) {
        const result = await verifyPresignedRequest({
          method,
          rawPath,
          rawQuery,
          headers: req.headers,
          secretFor: (id) => (id === STORAGE_ACCESS_KEY_ID ? STORAGE_SECRET_ACCESS_KEY : undefined),
          now: options.clock(),
        });
        if (!result.ok) return reject(result.status, result.code, result.message, result.detail);
        if (method === 'PUT' && faults) {
          const failure = faults.takePutFailure();
          if (failure !== null) {
            fault = 'putFailure';
            if (failure === 'cut') return cutRequest(req, (bytes) => (cutAt = bytes));
            return drainRequest(req, () => reject(500, 'InternalError', 'We encountered an internal error. Please try again.'));
          }
          if (faults.omitEtag()) {
            fault = 'omitEtag';
            stripEtag(res);
          }
        }
      } else {
        // Only presigned requests: no unsigned reads or listings (real S3 denies them on a
        // private bucket); the emulator's own code reads objects without HTTP.
        return reject(403, 'AccessDenied', 'Access Denied: this storage accepts only presigned requests');
      }
    }
    if (signed) {
      // Verified above (preflights are never authenticated). Hand s3rver the request without
      // the auth parameters, so its own real-clock expiry check cannot disagree with ours.
      const rest = rawQuery
        .split('&')
        .filter((part) => {
          const key = (parseQuery(part)[0]?.[0] ?? '').toLowerCase();
          return part.length > 0 && !key.startsWith('x-amz-') && key !== 'x-id';
        })
        .join('&');
      req.url = rest ? `${rawPath}?${rest}` : rawPath;
    }
    handleS3(req, res);
  });
  // Large bodies may take minutes on a slow link; Node's default 300 s request timeout would cut them.
  server.requestTimeout = 0;
  faults?.offline.attach(server);
  faults?.onChange(() => {
    if (faults.cutArmed()) server.closeIdleConnections();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${urlHost(options.host)}:${port}`;

  return {
    url,
    presignPut(key, contentType, expiresInS, signingDate) {
      return presignPutUrl({
        origin: url,
        bucket: STORAGE_BUCKET,
        key,
        contentType,
        region: STORAGE_REGION,
        accessKeyId: STORAGE_ACCESS_KEY_ID,
        secretAccessKey: STORAGE_SECRET_ACCESS_KEY,
        expiresInS,
        signingDate,
      });
    },
    async head(key) {
      try {
        const meta = await store.getMetadata(STORAGE_BUCKET, key);
        return { size: Number(meta['content-length']), md5: String(meta.etag).replace(/"/g, '').toLowerCase() };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    async remove(key) {
      // Deleting what was never stored is not an error (S3's DeleteObject answers 204 too);
      // s3rver's filesystem store throws ENOENT when the key's folder does not exist.
      try {
        await store.deleteObject(STORAGE_BUCKET, key);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    },
    clear() {
      const bucketPath = store.getBucketPath(STORAGE_BUCKET);
      for (const name of readdirSync(bucketPath)) {
        if (!name.startsWith('._S3rver_')) rmSync(join(bucketPath, name), { recursive: true, force: true });
      }
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      s3rver.logger.close();
    },
  };
}
