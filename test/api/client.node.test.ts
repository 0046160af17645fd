import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MixpeekClient, apiErrorFrom, parseRetryAfter } from '../../src/api/client.ts';
import { MixpeekApiError } from '../../src/errors.ts';

const errorOf = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  apiErrorFrom(new Response(null, { status, headers }), 'POST', 'http://x/v1/y', typeof body === 'string' ? body : JSON.stringify(body));

describe('apiErrorFrom', () => {
  it("reads Mixpeek's error envelope", () => {
    const e = errorOf(404, { success: false, status: 404, error: { message: 'Upload upl_x not found', type: 'NotFoundError', details: null } });
    assert.ok(e instanceof MixpeekApiError);
    assert.equal(e.status, 404);
    assert.equal(e.type, 'NotFoundError');
    assert.equal(e.message, 'Upload upl_x not found');
    assert.equal(e.code, 'api-error');
  });

  it("reads FastAPI's validation detail list", () => {
    const e = errorOf(422, { detail: [{ loc: ['body', 'uploads', 3, 'content_type'], msg: 'field required', type: 'missing' }] });
    assert.equal(e.type, 'ValidationError');
    assert.equal(e.message, 'body.uploads.3.content_type: field required');
  });

  it('reads a string detail, and keeps a body that is not JSON', () => {
    assert.equal(errorOf(400, { detail: 'Bad thing' }).message, 'Bad thing');
    assert.match(errorOf(502, '<html>Bad gateway</html>').message, /HTTP 502: <html>Bad gateway/);
  });

  it('keeps Retry-After in seconds, from seconds or an HTTP date', () => {
    assert.equal(errorOf(429, {}, { 'Retry-After': '2' }).retryAfter, 2);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6);
    assert.equal(parseRetryAfter(null), undefined);
  });
});

describe('MixpeekClient', () => {
  it('sends Authorization, X-Namespace only on bucket routes, getHeaders, and encoded paths', async () => {
    const seen: { url: string; headers: Record<string, string>; body: unknown }[] = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      seen.push({ url, headers: init.headers as Record<string, string>, body: init.body && JSON.parse(String(init.body)) });
      const body = url.includes('/tasks/') ? { task_id: 't', status: 'PENDING' } : { uploads: [{ upload_id: 'upl_1' }], total: 1 };
      return new Response(JSON.stringify(body), { status: 200 });
    }) as typeof fetch;
    const client = new MixpeekClient({
      apiUrl: 'http://api.test/',
      bucket: 'my bucket',
      namespace: 'ns',
      apiKey: 'sk_test',
      getHeaders: async () => ({ 'X-Session': 's1' }),
      fetch: fakeFetch,
    });
    await client.createUploads([{ filename: 'a', content_type: 'text/plain', file_size_bytes: 1 }]);
    await client.getTask('t/1');
    assert.equal(seen[0]!.url, 'http://api.test/v1/buckets/my%20bucket/uploads/batch');
    assert.equal(seen[0]!.headers.Authorization, 'Bearer sk_test');
    assert.equal(seen[0]!.headers['X-Namespace'], 'ns');
    assert.equal(seen[0]!.headers['X-Session'], 's1');
    assert.deepEqual(seen[0]!.body, { uploads: [{ filename: 'a', content_type: 'text/plain', file_size_bytes: 1 }] });
    assert.equal(seen[1]!.url, 'http://api.test/v1/tasks/t%2F1');
    assert.equal(seen[1]!.headers['X-Namespace'], undefined);
  });

  it('turns a failed request into a network-error', async () => {
    const client = new MixpeekClient({
      apiUrl: 'http://api.test',
      bucket: 'b',
      fetch: (async () => {
        throw new TypeError('Failed to fetch');
      }) as typeof fetch,
    });
    await assert.rejects(client.getTask('t'), (e: { code?: string }) => e.code === 'network-error');
  });
});
