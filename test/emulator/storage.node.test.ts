/**
 * The storage front on its own: SigV4 verification of presigned URLs made by the AWS SDK,
 * with keys that need percent-encoding, and with wrong keys/secrets.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { verifyPresignedRequest } from '../../src/emulator/sigv4.ts';
import { keySafeFilename, buildS3Key, uploadIdFromKey } from '../../src/emulator/keys.ts';
import { STORAGE_BUCKET, startStorage, type Storage } from '../../src/emulator/storage.ts';
import type { EmulatorRequestLogEntry } from '../../src/emulator/types.ts';
import { md5, put } from './helpers.ts';

let dir: string;
let storage: Storage;
const log: Omit<EmulatorRequestLogEntry, 'seq'>[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emulator-storage-test-'));
  storage = await startStorage({ host: '127.0.0.1', port: 0, directory: dir, clock: Date.now, onRequest: (e) => log.push(e) });
});
after(async () => {
  await storage.close();
  await rm(dir, { recursive: true, force: true });
});

const signWith = (accessKeyId: string, secretAccessKey: string, key: string, contentType: string) =>
  getSignedUrl(
    new S3Client({
      region: 'us-east-1',
      endpoint: storage.url,
      forcePathStyle: true,
      credentials: { accessKeyId, secretAccessKey },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    }),
    new PutObjectCommand({ Bucket: STORAGE_BUCKET, Key: key, ContentType: contentType }),
    { expiresIn: 300, signableHeaders: new Set(['content-type']) },
  );

describe('storage front', () => {
  it('presigns PUT URLs exactly as the SDK does (same path, same signature)', async () => {
    const key = "ns/upl_1/my file + ü 😀 #1 100% (x)!*'.txt";
    const signingDate = new Date('2026-11-29T12:00:00Z');
    const ours = new URL(await storage.presignPut(key, 'text/plain', 300, signingDate));
    const sdk = new URL(
      await getSignedUrl(
        new S3Client({
          region: 'us-east-1',
          endpoint: storage.url,
          forcePathStyle: true,
          credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
          requestChecksumCalculation: 'WHEN_REQUIRED',
        }),
        new PutObjectCommand({ Bucket: STORAGE_BUCKET, Key: key, ContentType: 'text/plain' }),
        { expiresIn: 300, signingDate, signableHeaders: new Set(['content-type']) },
      ),
    );
    assert.equal(ours.pathname, sdk.pathname);
    for (const name of [
      'x-id',
      'X-Amz-Content-Sha256',
      'X-Amz-Credential',
      'X-Amz-Date',
      'X-Amz-Expires',
      'X-Amz-SignedHeaders',
      'X-Amz-Signature',
    ]) {
      assert.equal(ours.searchParams.get(name), sdk.searchParams.get(name), name);
    }
  });

  it('accepts SDK-presigned PUTs for keys with spaces, +, #, %, quotes, non-ASCII and emoji', async () => {
    const key = "dir/my file + ü 😀 #1 100% (x)!*'.txt";
    const url = await storage.presignPut(key, 'text/plain; charset=utf-8', 300, new Date());
    const res = await put(url, 'weird', 'text/plain; charset=utf-8');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('etag'), `"${md5('weird')}"`);
    assert.deepEqual(await storage.head(key), { size: 5, md5: md5('weird') });
    assert.equal(log.at(-1)?.path, `/${STORAGE_BUCKET}/${key}`);
    await storage.remove(key);
    assert.equal(await storage.head(key), null);
  });

  it('rejects a URL signed with the wrong secret or an unknown access key', async () => {
    const wrongSecret = await signWith('S3RVER', 'not-the-secret', 'k.txt', 'text/plain');
    const a = await put(wrongSecret, 'x', 'text/plain');
    assert.equal(a.status, 403);
    assert.match(a.text, /SignatureDoesNotMatch/);
    const wrongKey = await signWith('SOMEONE', 'S3RVER', 'k.txt', 'text/plain');
    const b = await put(wrongKey, 'x', 'text/plain');
    assert.equal(b.status, 403);
    assert.match(b.text, /InvalidAccessKeyId/);
    const right = await signWith('S3RVER', 'S3RVER', 'k.txt', 'text/plain');
    assert.equal((await put(right, 'x', 'text/plain')).status, 200);
    assert.equal((await put(right, 'x', 'text/plain;charset=utf-8')).status, 403);
  });

  it('clear() removes objects but keeps the bucket CORS rules', async () => {
    const url = await storage.presignPut('c.txt', 'text/plain', 300, new Date());
    assert.equal((await put(url, 'c', 'text/plain')).status, 200);
    storage.clear();
    assert.equal(await storage.head('c.txt'), null);
    const pre = await fetch(url, {
      method: 'OPTIONS',
      headers: { origin: 'http://a.test', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(pre.status, 200);
    assert.equal((await put(url, 'c', 'text/plain')).status, 200);
  });
});

describe('keys and SigV4 helpers', () => {
  it('verifies SDK-presigned URLs directly: content type, tampering, expiry, unknown key, missing parameters', async () => {
    const signedAt = new Date('2024-05-01T12:00:00Z');
    const key = "a b+c/ü 😀 #1 100%!'()*~.txt";
    const url = new URL(await storage.presignPut(key, 'text/plain', 60, signedAt));
    const check = (over: { query?: string; path?: string; contentType?: string; now?: number }) =>
      verifyPresignedRequest({
        method: 'PUT',
        rawPath: over.path ?? url.pathname,
        rawQuery: over.query ?? url.search.slice(1),
        headers: { host: url.host, 'content-type': over.contentType ?? 'text/plain', 'user-agent': 'test' },
        secretFor: (id) => (id === 'S3RVER' ? 'S3RVER' : undefined),
        now: over.now ?? signedAt.getTime() + 60_000,
      });
    assert.deepEqual(await check({}), { ok: true, accessKeyId: 'S3RVER' });

    const wrongType = await check({ contentType: 'text/html' });
    assert.equal(wrongType.ok, false);
    assert.ok(!wrongType.ok && wrongType.code === 'SignatureDoesNotMatch' && wrongType.status === 403);
    assert.ok(!wrongType.ok && wrongType.detail.CanonicalRequest?.includes('content-type:text/html\nhost:'));
    for (const tampered of [
      { path: url.pathname.replace('.txt', '.bin') },
      { query: `${url.search.slice(1)}&extra=1` },
      { query: url.search.slice(1).replace('X-Amz-Expires=60', 'X-Amz-Expires=600') },
    ]) {
      const result = await check(tampered);
      assert.ok(!result.ok && result.code === 'SignatureDoesNotMatch', JSON.stringify(tampered));
    }

    const expired = await check({ now: signedAt.getTime() + 60_001 });
    assert.ok(!expired.ok && expired.status === 403 && expired.code === 'AccessDenied' && expired.message === 'Request has expired');
    assert.equal(!expired.ok && expired.detail.Expires, '2024-05-01T12:01:00Z');

    const unknown = await check({ query: url.search.slice(1).replace('X-Amz-Credential=S3RVER', 'X-Amz-Credential=OTHER') });
    assert.ok(!unknown.ok && unknown.code === 'InvalidAccessKeyId');

    const missing = await check({ query: url.search.slice(1).replace(/&X-Amz-Signature=[0-9a-f]+/, '') });
    assert.ok(!missing.ok && missing.status === 400 && missing.code === 'AuthorizationQueryParametersError');
  });

  it('builds URL-safe keys and finds the upload id in them', () => {
    assert.equal(keySafeFilename('my file + ü 😀.txt'), 'my_file______.txt');
    assert.equal(keySafeFilename('..'), 'file___');
    assert.ok(keySafeFilename(`${'x'.repeat(300)}.jpeg`).endsWith('.jpeg'));
    assert.ok(keySafeFilename('x'.repeat(300)).length <= 180);
    const key = buildS3Key('demo', 'upl_ABCDEFGHIJKLMNOP', 'a b.txt');
    assert.equal(key, 'org_emulator/demo/api_buckets_uploads_create/upl_ABCDEFGHIJKLMNOP/a_b.txt');
    assert.equal(uploadIdFromKey(`/${STORAGE_BUCKET}/${key}`), 'upl_ABCDEFGHIJKLMNOP');
    assert.equal(uploadIdFromKey('/x/y'), undefined);
  });
});
