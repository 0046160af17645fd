/**
 * Verification of AWS Signature Version 4 query-string ("presigned URL") authentication, as
 * real S3 does it (AWS docs, "Authenticating Requests: Using Query Parameters (AWS Signature
 * Version 4)"). s3rver 3.7.1 does not verify V4 signatures at all, so the emulator's storage
 * front does it here before handing the request on.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Longest lifetime of a presigned URL S3 accepts: 7 days, in seconds (AWS SigV4 docs). */
export const MAX_PRESIGN_EXPIRES_S = 604800;

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

/** RFC 3986 percent-encoding as SigV4 requires (everything but `A-Z a-z 0-9 - _ . ~`). */
export function uriEscape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * S3's canonical URI: each path segment decoded and then encoded once with {@link uriEscape}
 * (S3 does not double-encode and does not normalise `.`/`..` segments).
 */
export function canonicalUri(rawPath: string): string {
  return rawPath
    .split('/')
    .map((segment) => uriEscape(safeDecode(segment)))
    .join('/');
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

const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');

/** Parses `YYYYMMDDTHHMMSSZ` into ms since the epoch, or NaN. */
export function parseAmzDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  const joined = Array.isArray(v) ? v.join(',') : v;
  return joined.trim().replace(/\s+/g, ' ');
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
export function verifyPresignedRequest(input: VerifyInput): VerifyResult {
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
    return fail(400, 'AuthorizationQueryParametersError', 'X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"');
  }
  if (!amzDate.startsWith(scopeDate)) {
    return fail(400, 'AuthorizationQueryParametersError', 'The date in X-Amz-Credential does not match X-Amz-Date.');
  }
  const expires = Number(expiresRaw);
  if (!/^\d+$/.test(expiresRaw) || expires > MAX_PRESIGN_EXPIRES_S) {
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

  const signedHeaders = signedHeadersRaw.split(';');
  const canonicalHeaders: string[] = [];
  for (const name of signedHeaders) {
    const value = headerValue(input.headers, name.toLowerCase());
    canonicalHeaders.push(`${name.toLowerCase()}:${value ?? ''}\n`);
  }
  const canonicalQuery = pairs
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [uriEscape(k), uriEscape(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const payloadHash = q.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD';
  const canonicalRequest = [
    input.method.toUpperCase(),
    canonicalUri(input.rawPath),
    canonicalQuery,
    canonicalHeaders.join(''),
    signedHeaders.map((h) => h.toLowerCase()).join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${scopeDate}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secret}`, scopeDate), region), service), 'aws4_request');
  const expected = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');

  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(signature.toLowerCase(), 'utf8');
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    return fail(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      {
        AWSAccessKeyId: accessKeyId,
        StringToSign: stringToSign,
        SignatureProvided: signature,
        CanonicalRequest: canonicalRequest,
      },
    );
  }
  return { ok: true, accessKeyId };
}
