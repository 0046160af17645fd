/**
 * The gateway over real HTTP on loopback, in front of the emulator. Every attack must be
 * refused with nothing forwarded upstream: a recording `fetch` sees every upstream request,
 * and the emulator's own request log must not grow.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { createGateway, type GatewayOptions } from '../../src/gateway/index.ts';
import { serveGateway, type ServedGateway } from '../../src/gateway/node.ts';
import { md5, put } from '../emulator/helpers.ts';

let emulator: Emulator;
let gateway: ServedGateway;
const upstream: { url: string; headers: Headers }[] = [];
const logLines: string[] = [];
const seenText: string[] = [];

/** A recording fetch, so tests see exactly what reached "Mixpeek". */
const recordingFetch: typeof fetch = async (input, init) => {
  upstream.push({ url: String(input), headers: new Headers(init?.headers) });
  return fetch(input, init);
};

async function start(over: Partial<GatewayOptions> = {}): Promise<ServedGateway> {
  const handler = createGateway({
    apiKey: emulator.apiKey,
    apiUrl: emulator.apiUrl,
    namespace: emulator.namespace,
    buckets: ['demo'],
    basePath: '/mixpeek',
    maxFileSize: 1_000_000,
    allowedContentTypes: ['text/*', 'image/*', 'application/octet-stream'],
    allowedOrigins: ['http://allowed.test'],
    allowedHeaders: ['X-Session'],
    authorize: (request) => request.headers.get('x-session') === 'ok',
    rateLimit: false,
    fetch: recordingFetch,
    log: (line) => logLines.push(line),
    ...over,
  });
  return serveGateway(handler);
}

/** A request to the gateway; records everything the browser would see. */
async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, base = gateway.url) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'x-session': 'ok', 'content-type': 'application/json', ...headers },
    body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  seenText.push(text, JSON.stringify([...res.headers]));
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : null };
}

/** Sends raw bytes over a socket (for paths and headers `fetch` would normalise or refuse). */
function raw(lines: string): Promise<string> {
  const { port } = new URL(gateway.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.end(lines));
    let out = '';
    socket.on('data', (d) => (out += d));
    socket.on('end', () => {
      seenText.push(out);
      resolve(out);
    });
    socket.on('error', reject);
  });
}

const apiRequests = () => emulator.requests.filter((r) => r.kind === 'api').length;

/** Runs `attack` and checks that nothing reached Mixpeek. */
async function refusedWithNothingForwarded(attack: () => Promise<number>, expected: number | RegExp) {
  const before = { upstream: upstream.length, emulator: apiRequests() };
  const status = await attack();
  if (typeof expected === 'number') assert.equal(status, expected);
  else assert.match(String(status), expected);
  assert.equal(upstream.length, before.upstream, 'a request was forwarded upstream');
  assert.equal(apiRequests(), before.emulator, "the emulator's log grew");
}

const item = (over: Record<string, unknown> = {}) => ({ filename: 'a.txt', content_type: 'text/plain', file_size_bytes: 5, ...over });

describe('gateway → emulator', () => {
  before(async () => {
    emulator = await startEmulator();
    gateway = await start();
  });
  after(async () => {
    await gateway.close();
    await emulator.close();
  });
  beforeEach(() => {
    upstream.length = 0;
  });

  it('forwards the upload flow with the real key and namespace, whatever the browser sent', async () => {
    const created = await call(
      'POST',
      '/mixpeek/v1/buckets/demo/uploads/batch',
      { uploads: [item()] },
      {
        authorization: 'Bearer sk_attacker_key',
        'x-namespace': 'someone-elses-namespace',
      },
    );
    assert.equal(created.status, 200, created.text);
    assert.equal(upstream[0]!.headers.get('authorization'), `Bearer ${emulator.apiKey}`);
    assert.equal(upstream[0]!.headers.get('x-namespace'), emulator.namespace);
    assert.equal(upstream[0]!.url, `${emulator.apiUrl}/v1/buckets/demo/uploads/batch`);
    const upload = created.json.uploads[0];
    assert.equal((await put(upload.presigned_url, 'hello', 'text/plain')).status, 200);

    const confirmed = await call('POST', '/mixpeek/v1/buckets/demo/uploads/confirm/batch', {
      confirmations: [{ upload_id: upload.upload_id, etag: md5('hello'), file_size_bytes: 5 }],
    });
    assert.equal(confirmed.status, 200, confirmed.text);
    let task = await call('GET', `/mixpeek/v1/tasks/${confirmed.json.task_id}`);
    for (let i = 0; i < 50 && !['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED'].includes(task.json.status); i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      task = await call('GET', `/mixpeek/v1/tasks/${confirmed.json.task_id}`);
    }
    assert.equal(task.json.status, 'COMPLETED');
    assert.equal(upstream.at(-1)!.headers.get('x-namespace'), null, 'task routes carry no X-Namespace');
    const got = await call('GET', `/mixpeek/v1/buckets/demo/uploads/${upload.upload_id}`);
    assert.equal(got.json.status, 'COMPLETED');

    const second = await call('POST', '/mixpeek/v1/buckets/demo/uploads', item({ filename: 'b.txt' }));
    assert.equal(second.status, 201, second.text);
    const deleted = await call('DELETE', `/mixpeek/v1/buckets/demo/uploads/${second.json.upload_id}`);
    assert.equal(deleted.status, 204);
  });

  it('refuses other Mixpeek routes', async () => {
    for (const [method, path] of [
      ['GET', '/mixpeek/v1/namespaces'],
      ['POST', '/mixpeek/v1/buckets/demo/objects'],
      ['POST', '/mixpeek/v1/buckets/demo/uploads/list'],
      ['GET', '/mixpeek/v1/buckets/demo/uploads/batch'],
      ['DELETE', '/mixpeek/v1/tasks/abc'],
      ['GET', '/v1/tasks/abc'],
      ['GET', '/mixpeek/v1/buckets'],
    ] as const) {
      await refusedWithNothingForwarded(async () => (await call(method, path, method === 'POST' ? {} : undefined)).status, /^40[45]$/);
    }
  });

  it('refuses traversal, plain and encoded', async () => {
    for (const path of [
      '/mixpeek/v1/../v1/tasks/abc',
      '/mixpeek/v1/buckets/demo/uploads/../../../namespaces',
      '/mixpeek/v1/buckets/demo/uploads/%2e%2e/%2e%2e/objects',
      '/mixpeek/v1/buckets/demo%2Fobjects/uploads/batch',
      '/mixpeek/v1/buckets/demo/uploads/upl_x%2F..%2F..%2Fobjects',
      '/mixpeek/v1/tasks/..%2F..%2Fnamespaces',
      '/mixpeek/v1/tasks/%252e%252e',
      '/mixpeek//v1/tasks/abc',
      '/mixpeek/v1/tasks/a\\b',
    ]) {
      await refusedWithNothingForwarded(async () => {
        const answer = await raw(`GET ${path} HTTP/1.1\r\nHost: x\r\nX-Session: ok\r\nConnection: close\r\n\r\n`);
        return Number(answer.split(' ')[1]);
      }, /^4\d\d$/);
    }
  });

  it('refuses a bucket outside the allow list with 403', async () => {
    await refusedWithNothingForwarded(async () => {
      const r = await call('POST', '/mixpeek/v1/buckets/other/uploads/batch', { uploads: [item()] });
      assert.match(r.json.error.message, /other/);
      return r.status;
    }, 403);
  });

  it('refuses a request that fails authorize with 401', async () => {
    await refusedWithNothingForwarded(
      async () => (await call('GET', '/mixpeek/v1/tasks/abc', undefined, { 'x-session': 'nope' })).status,
      401,
    );
  });

  it('refuses an oversized body with 413 but lets a batch of 100 creates through', async () => {
    const big = { uploads: [item({ metadata: { pad: 'x'.repeat(1_048_576) } })] };
    await refusedWithNothingForwarded(async () => (await call('POST', '/mixpeek/v1/buckets/demo/uploads/batch', big)).status, 413);
    const hundred = {
      uploads: Array.from({ length: 100 }, (_, i) =>
        item({ filename: `file-${i} with a long name.txt`, metadata: { relative_path: `folder/sub/file-${i}.txt` } }),
      ),
    };
    const ok = await call('POST', '/mixpeek/v1/buckets/demo/uploads/batch', hundred);
    assert.equal(ok.status, 200, ok.text);
  });

  it('refuses creates with a disallowed content type or size, or no size, with 422', async () => {
    for (const bad of [
      { uploads: [item(), item({ filename: 'evil.exe', content_type: 'application/x-msdownload' })] },
      { uploads: [item({ content_type: 'application/pdf' })] },
      { uploads: [item({ file_size_bytes: 1_000_001 })] },
      { uploads: [item({ file_size_bytes: undefined })] },
      item({ content_type: 'video/mp4' }),
      'not json',
    ]) {
      const path =
        typeof bad === 'object' && 'uploads' in bad ? '/mixpeek/v1/buckets/demo/uploads/batch' : '/mixpeek/v1/buckets/demo/uploads';
      await refusedWithNothingForwarded(async () => {
        const r = await call('POST', path, bad);
        assert.equal(typeof r.json.error.message, 'string');
        return r.status;
      }, 422);
    }
  });

  it('refuses methods other than the route’s with 405', async () => {
    for (const [method, path] of [
      ['PUT', '/mixpeek/v1/buckets/demo/uploads/batch'],
      ['PATCH', '/mixpeek/v1/buckets/demo/uploads/upl_abc'],
      ['POST', '/mixpeek/v1/tasks/abc'],
      ['GET', '/mixpeek/v1/buckets/demo/uploads/confirm/batch'],
    ] as const) {
      await refusedWithNothingForwarded(async () => (await call(method, path, method === 'GET' ? undefined : {})).status, 405);
    }
  });

  it('refuses CR or LF inside header values before anything is forwarded', async () => {
    for (const header of ['X-Namespace: demo\rAuthorization: Bearer sk_attacker', 'X-Session: ok\nX-Evil: 1\r']) {
      await refusedWithNothingForwarded(async () => {
        const answer = await raw(`GET /mixpeek/v1/tasks/abc HTTP/1.1\r\nHost: x\r\n${header}\r\nConnection: close\r\n\r\n`);
        return Number(answer.split(' ')[1]);
      }, 400);
    }
  });

  it('answers CORS preflights only for configured origins', async () => {
    const preflight = (origin: string) =>
      fetch(`${gateway.url}/mixpeek/v1/buckets/demo/uploads/batch`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    await refusedWithNothingForwarded(async () => {
      const ok = await preflight('http://allowed.test');
      assert.equal(ok.headers.get('access-control-allow-origin'), 'http://allowed.test');
      // Headers a page's getHeaders adds are allowed when configured (allowedHeaders).
      assert.match(ok.headers.get('access-control-allow-headers') ?? '', /(^|,)\s*X-Session\s*(,|$)/i);
      const other = await preflight('http://evil.test');
      assert.equal(other.headers.get('access-control-allow-origin'), null);
      return ok.status;
    }, 204);
  });

  it("passes Mixpeek's 429 and Retry-After through unchanged", async () => {
    const body = JSON.stringify({
      success: false,
      status: 429,
      error: { message: 'Rate limit exceeded', type: 'TooManyRequestsError', details: { retry_after: 7 } },
    });
    const limited = await start({
      fetch: async () => new Response(body, { status: 429, headers: { 'Retry-After': '7', 'Content-Type': 'application/json' } }),
    });
    try {
      const r = await call('GET', '/mixpeek/v1/tasks/abc', undefined, {}, limited.url);
      assert.equal(r.status, 429);
      assert.equal(r.headers.get('retry-after'), '7');
      assert.equal(r.text, body);
    } finally {
      await limited.close();
    }
  });

  it('limits each client to its requests per minute, with Retry-After', async () => {
    const limited = await start({ rateLimit: { requestsPerMinute: 3 } });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await call('GET', '/mixpeek/v1/tasks/abc', undefined, {}, limited.url)).status);
      assert.deepEqual(
        statuses.slice(0, 3).map((s) => s !== 429),
        [true, true, true],
      );
      const r = await call('GET', '/mixpeek/v1/tasks/abc', undefined, {}, limited.url);
      assert.equal(r.status, 429);
      assert.ok(Number(r.headers.get('retry-after')) >= 1);
    } finally {
      await limited.close();
    }
  });

  it('never shows the key, even when upstream echoes it', async () => {
    const echo = await start({ fetch: async () => Response.json({ detail: `bad key ${emulator.apiKey}` }, { status: 400 }) });
    try {
      const r = await call('GET', '/mixpeek/v1/tasks/abc', undefined, {}, echo.url);
      assert.equal(r.status, 400);
      assert.ok(r.text.includes('[redacted]'));
    } finally {
      await echo.close();
    }
    const everything = [...seenText, ...logLines].join('\n');
    assert.ok(logLines.length > 10);
    assert.ok(!everything.includes(emulator.apiKey), 'the key leaked');
  });

  it('requires a key and buckets', () => {
    assert.throws(() => createGateway({ apiKey: '', buckets: ['x'] }), TypeError);
    assert.throws(() => createGateway({ apiKey: 'k' } as GatewayOptions), TypeError);
  });
});
