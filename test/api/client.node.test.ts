import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MixpeekClient, apiErrorFrom, parseRetryAfter } from '../../src/api/client.ts';
import { MixpeekApiError } from '../../src/errors.ts';

const errorOf = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  apiErrorFrom(new Response(null, { status, headers }), 'POST', 'http://x/v1/y', typeof body === 'string' ? body : JSON.stringify(body));

describe('apiErrorFrom', () => {
  it("reads Mixpeek's error envelope", () => {
    const e = errorOf(404, {
      success: false,
      status: 404,
      error: { message: 'Upload upl_x not found', type: 'NotFoundError', details: null },
    });
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
      retry: { offlineTimeout: 0 },
      fetch: (async () => {
        throw new TypeError('Failed to fetch');
      }) as typeof fetch,
    });
    await assert.rejects(client.getTask('t'), (e: { code?: string }) => e.code === 'network-error');
    assert.equal(client.connectivity.online, false);
  });

  /** A fetch answering from a script of statuses, recording when each call came. */
  function scripted(statuses: (number | 'network')[], headers: Record<string, string> = {}) {
    const calls: number[] = [];
    const fetchFn = (async () => {
      calls.push(Date.now());
      const next = statuses.shift() ?? 200;
      if (next === 'network') throw new TypeError('Failed to fetch');
      const body =
        next === 200
          ? { task_id: 't', status: 'PENDING' }
          : { success: false, status: next, error: { message: `status ${next}`, type: 'X' } };
      return new Response(JSON.stringify(body), { status: next, headers: next === 429 ? headers : {} });
    }) as typeof fetch;
    return { calls, fetchFn };
  }

  it('waits out Retry-After on a 429 before calling that route again, then succeeds', async () => {
    const { calls, fetchFn } = scripted([429, 429], { 'Retry-After': '1' });
    const client = new MixpeekClient({ apiUrl: 'http://api.test', bucket: 'b', fetch: fetchFn, retry: { baseDelay: 10 } });
    const task = await client.getTask('t');
    assert.equal(task.status, 'PENDING');
    assert.equal(calls.length, 3);
    assert.ok(calls[1]! - calls[0]! >= 1000 && calls[2]! - calls[1]! >= 1000, `gaps ${calls[1]! - calls[0]!}, ${calls[2]! - calls[1]!}`);
  });

  it('retries 5xx, 408 and network errors with backoff, but not other 4xx', async () => {
    const ok = scripted([500, 503, 408, 'network']);
    const client = new MixpeekClient({ apiUrl: 'http://api.test', bucket: 'b', fetch: ok.fetchFn, retry: { baseDelay: 5, maxDelay: 20 } });
    assert.equal((await client.getTask('t')).status, 'PENDING');
    assert.equal(ok.calls.length, 5);
    assert.equal(client.connectivity.online, true);

    const bad = scripted([404]);
    const client2 = new MixpeekClient({ apiUrl: 'http://api.test', bucket: 'b', fetch: bad.fetchFn, retry: { baseDelay: 5 } });
    await assert.rejects(client2.getTask('t'), (e: { status?: number }) => e.status === 404);
    assert.equal(bad.calls.length, 1);
  });

  it("a client given its options as a function keeps a route's Retry-After while those options change, and forgets it for another apiUrl", async () => {
    let options: {
      apiUrl: string;
      bucket: string;
      retry: { baseDelay: number };
      fetch: typeof fetch;
      getHeaders?: () => Record<string, string>;
    };
    // The first request gets a 429 with Retry-After: 1, and is dropped while it waits.
    const first = scripted([429], { 'Retry-After': '1' });
    options = { apiUrl: 'http://api.test', bucket: 'b', retry: { baseDelay: 10 }, fetch: first.fetchFn };
    const client = new MixpeekClient(() => options);
    const dropped = new AbortController();
    const waiting = client.getTask('t', dropped.signal).catch(() => undefined);
    while (first.calls.length === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20));
    dropped.abort();
    await waiting;
    const second = scripted([]);
    options = { ...options, fetch: second.fetchFn, getHeaders: () => ({}), bucket: 'other' };
    await client.getTask('t');
    assert.ok(second.calls[0]! - first.calls[0]! >= 1000, 'the route was called again inside its Retry-After');
    const third = scripted([]);
    options = { ...options, apiUrl: 'http://elsewhere.test', fetch: third.fetchFn };
    const before = Date.now();
    await client.getTask('t');
    assert.ok(third.calls[0]! - before < 900, "another API's route waited out the first API's Retry-After");
  });

  it('answers(): one GET of the upload; any status is an answer, no answer is not', async () => {
    for (const [script, expected] of [
      [[404], true],
      [[500], true],
      [['network'], false],
    ] as const) {
      const { calls, fetchFn } = scripted([...script]);
      const client = new MixpeekClient({ apiUrl: 'http://api.test', bucket: 'b', fetch: fetchFn });
      assert.equal(await client.answers('upl_1'), expected);
      assert.equal(calls.length, 1);
    }
  });

  it('gives up on 5xx after the configured attempts with the server message', async () => {
    const { calls, fetchFn } = scripted([500, 500, 500, 500]);
    const client = new MixpeekClient({ apiUrl: 'http://api.test', bucket: 'b', fetch: fetchFn, retry: { baseDelay: 1, attempts: 3 } });
    await assert.rejects(client.getTask('t'), /status 500/);
    assert.equal(calls.length, 3);
  });
});
