/**
 * Verification of AWS Signature Version 4 query-string ("presigned URL") authentication, as
 * real S3 does it (AWS docs, "Authenticating Requests: Using Query Parameters (AWS Signature
 * Version 4)"). s3rver 3.7.1 does not verify V4 signatures at all, so the emulator's storage
 * front does it here before handing the request on. Only the parameter checks and the expiry
 * are ours; the signature itself is recomputed by the AWS SDK's own signer. The same signer also
 * issues the emulator's presigned PUT URLs ({@link presignPutUrl}).
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { MAX_PRESIGNED_TTL, SignatureV4 } from '@smithy/signature-v4';

/** Result of checking one request. */
export type VerifyResult =
  | { ok: true; accessKeyId: string }
  | { ok: false; status: number; code: string; message: string; detail: Record<string, string> };

/** What to verify. */
export interface VerifyInput {
  method: string;
  /** Path exactly as received (still percent-encoded), without the query. */
  rawPath: string;
  /** Query string as received, without the leading `?`. */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  /** Secret for an access key id, or undefined when the key is unknown. */
  secretFor: (accessKeyId: string) => string | undefined;
  /** Current time, ms since the Unix epoch. */
  now: number;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Query pairs in arrival order, decoded (a `+` is kept literally, as the AWS SDK never sends one). */
export function parseQuery(rawQuery: string): [string, string][] {
  if (!rawQuery) return [];
  return rawQuery
    .split('&')
    .filter((part) => part.length > 0)
    .map((part) => {
      const eq = part.indexOf('=');
      return eq < 0 ? [safeDecode(part), ''] : [safeDecode(part.slice(0, eq)), safeDecode(part.slice(eq + 1))];
    });
}

/** True when the query carries SigV4 presign parameters. */
export function hasQuerySignature(rawQuery: string): boolean {
  return parseQuery(rawQuery).some(([k]) => k === 'X-Amz-Signature' || k === 'X-Amz-Algorithm');
}

/** Parses `YYYYMMDDTHHMMSSZ` into ms since the epoch, or NaN. */
export function parseAmzDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/** The SDK's signer, keeping the canonical request and string to sign for the error body (S3 returns both). */
class Signer extends SignatureV4 {
  canonicalRequest = '';
  stringToSign = '';
  protected override async createStringToSign(
    longDate: string,
    scope: string,
    canonicalRequest: string,
    algorithm: string,
  ): Promise<string> {
    this.canonicalRequest = canonicalRequest;
    this.stringToSign = await super.createStringToSign(longDate, scope, canonicalRequest, algorithm);
    return this.stringToSign;
  }
}

/**
 * An S3 object key as a URL path, each segment encoded as the AWS SDK encodes it (RFC 3986:
 * `encodeURIComponent`, plus `!'()*`).
 */
export function encodeKeyPath(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

/** What {@link presignPutUrl} signs. */
export interface PresignPutInput {
  /** Storage origin, e.g. `http://127.0.0.1:8788` (path-style URLs). */
  origin: string;
  bucket: string;
  key: string;
  /** Signed as a header: a PUT with another `Content-Type` fails with `SignatureDoesNotMatch`, as on S3. */
  contentType: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Lifetime, s (at most {@link MAX_PRESIGNED_TTL}). */
  expiresInS: number;
  signingDate: Date;
}

/**
 * A presigned (SigV4 query-string) PUT URL, as the AWS SDK's `getSignedUrl` issues one with
 * `signableHeaders: content-type`, signed by the SDK's own signer but without the S3 client's
 * middleware: about ten times faster (100 URLs in ~10 ms instead of ~100 ms on a 2-core machine).
 */
export async function presignPutUrl(input: PresignPutInput): Promise<string> {
  const origin = new URL(input.origin);
  const path = `/${input.bucket}/${encodeKeyPath(input.key)}`;
  const signer = new SignatureV4({
    service: 's3',
    region: input.region,
    credentials: { accessKeyId: input.accessKeyId, secretAccessKey: input.secretAccessKey },
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: false, // the path above is already encoded once, as S3 signs it
  });
  const signedHeaders = new Set(['content-type']);
  const presigned = await signer.presign(
    {
      method: 'PUT',
      protocol: origin.protocol,
      hostname: origin.hostname,
      path,
      query: { 'x-id': 'PutObject' }, // as the SDK's URLs carry it
      // The signer hoists this into the query, as the SDK's presigner has it: the body is not hashed.
      headers: { host: origin.host, 'content-type': input.contentType, 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
      body: {},
    },
    { signingDate: input.signingDate, expiresIn: input.expiresInS, signableHeaders: signedHeaders, unhoistableHeaders: signedHeaders },
  );
  const query = new URLSearchParams(
    Object.entries(presigned.query ?? {})
      .map(([k, v]): [string, string] => [k, String(v)])
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  return `${origin.origin}${path}?${query}`;
}

const fail = (status: number, code: string, message: string, detail: Record<string, string> = {}): VerifyResult => ({
  ok: false,
  status,
  code,
  message,
  detail,
});

/**
 * Verifies a presigned request: parameters present and well formed, not expired (against
 * `now`), known access key, and the signature recomputed over the method, path, query and
 * every header named in `X-Amz-SignedHeaders` (so a different `Content-Type` than the one
 * signed fails, as on S3).
 */
export async function verifyPresignedRequest(input: VerifyInput): Promise<VerifyResult> {
  const pairs = parseQuery(input.rawQuery);
  const q = new Map(pairs);
  const algorithm = q.get('X-Amz-Algorithm');
  const credential = q.get('X-Amz-Credential');
  const amzDate = q.get('X-Amz-Date');
  const expiresRaw = q.get('X-Amz-Expires');
  const signedHeadersRaw = q.get('X-Amz-SignedHeaders');
  const signature = q.get('X-Amz-Signature');
  if (!algorithm || !credential || !amzDate || !expiresRaw || !signedHeadersRaw || !signature) {
    return fail(
      400,
      'AuthorizationQueryParametersError',
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  if (algorithm !== 'AWS4-HMAC-SHA256') {
    return fail(400, 'AuthorizationQueryParametersError', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  }
  const [accessKeyId, scopeDate, region, service, terminator, ...extra] = credential.split('/');
  if (!accessKeyId || !scopeDate || !region || !service || terminator !== 'aws4_request' || extra.length > 0) {
    return fail(400, 'AuthorizationQueryParametersError', 'Error parsing the X-Amz-Credential parameter.');
  }
  const signedAt = parseAmzDate(amzDate);
  if (Number.isNaN(signedAt)) {
    return fail(400, 'AuthorizationQueryParametersError', "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  }
  if (!amzDate.startsWith(scopeDate)) {
    return fail(400, 'AuthorizationQueryParametersError', 'The date in X-Amz-Credential does not match X-Amz-Date.');
  }
  const expires = Number(expiresRaw);
  if (!/^\d+$/.test(expiresRaw) || expires > MAX_PRESIGNED_TTL) {
    return fail(
      400,
      'AuthorizationQueryParametersError',
      'X-Amz-Expires must be a non-negative integer less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds',
    );
  }
  const expiresAt = signedAt + expires * 1000;
  if (input.now > expiresAt) {
    return fail(403, 'AccessDenied', 'Request has expired', {
      'X-Amz-Expires': expiresRaw,
      Expires: new Date(expiresAt).toISOString().replace(/\.\d+Z$/, 'Z'),
      ServerTime: new Date(input.now).toISOString().replace(/\.\d+Z$/, 'Z'),
    });
  }
  const secret = input.secretFor(accessKeyId);
  if (secret === undefined) {
    return fail(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', {
      AWSAccessKeyId: accessKeyId,
    });
  }

  // Rebuild the request as received, without its signature, and have the SDK presign it again
  // with the known secret, the same date and the same lifetime; the signatures must agree.
  const query: Record<string, string | string[]> = Object.create(null);
  for (const [k, v] of pairs) {
    if (k !== 'X-Amz-Signature') query[k] = k in query ? [query[k] ?? []].flat().concat(v) : v;
  }
  const headers: Record<string, string> = {};
  const signedHeaders = new Set(signedHeadersRaw.toLowerCase().split(';'));
  for (const name of signedHeaders) headers[name] = String(input.headers[name] ?? '');
  // The payload hash is X-Amz-Content-Sha256 (the signer reads it as a header and moves it back
  // into the query) or else UNSIGNED-PAYLOAD, which the signer uses for a body it cannot hash.
  const payloadHash = query['X-Amz-Content-Sha256'];
  if (typeof payloadHash === 'string') {
    headers['X-Amz-Content-Sha256'] = payloadHash;
    delete query['X-Amz-Content-Sha256'];
  }
  const signer = new Signer({
    service,
    region,
    credentials: { accessKeyId, secretAccessKey: secret },
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: false, // S3 signs the path as sent, encoded once
  });
  let expected: string;
  try {
    const presigned = await signer.presign(
      {
        method: input.method.toUpperCase(),
        protocol: 'http:',
        hostname: headers.host ?? '',
        path: input.rawPath,
        query,
        headers,
        body: {},
      },
      { signingDate: new Date(signedAt), expiresIn: expires, signableHeaders: signedHeaders, unhoistableHeaders: signedHeaders },
    );
    expected = String(presigned.query?.['X-Amz-Signature']);
  } catch (err) {
    return fail(500, 'InternalError', `The emulator could not check the signature: ${String(err)}`);
  }
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(signature.toLowerCase(), 'utf8');
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    return fail(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      {
        AWSAccessKeyId: accessKeyId,
        StringToSign: signer.stringToSign,
        SignatureProvided: signature,
        CanonicalRequest: signer.canonicalRequest,
      },
    );
  }
  return { ok: true, accessKeyId };
}
