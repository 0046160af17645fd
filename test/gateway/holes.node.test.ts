/**
 * Each hole an attack pass found in the gateway, replayed against it: in front of the real
 * emulator, and in front of a hostile fake upstream on 127.0.0.1 that echoes the key, redirects,
 * stalls and sends 200 MiB. Every refusal is checked together with what reached the upstream.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { createGateway, type GatewayHandler, type GatewayOptions } from '../../src/gateway/index.ts';
import { serveGateway, type ServedGateway } from '../../src/gateway/node.ts';
import { md5, put } from '../emulator/helpers.ts';
import { startHostileUpstream, type HostileUpstream } from './support/hostile-upstream.ts';

let emulator: Emulator;
let gateway: ServedGateway;
const forwarded: string[] = [];

const options = (over: Partial<GatewayOptions> = {}): GatewayOptions => ({
  apiKey: emulator.apiKey,
  apiUrl: emulator.apiUrl,
  namespace: emulator.namespace,
  buckets: ['demo'],
  maxFileSize: 1000,
  allowedContentTypes: ['image/*', 'text/plain'],
  rateLimit: false,
  fetch: async (input, init) => {
    forwarded.push(String(input));
    return fetch(input, init);
  },
  ...over,
});

/** A JSON request from the gateway's own page (same host), as the element sends it. */
async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, base = gateway.url) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', origin: base, ...headers },
    body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : null };
}

const apiRequests = () => emulator.requests.filter((r) => r.kind === 'api').length;

/** Runs `attack`, expecting `status` and nothing forwarded to the emulator. */
// biome-ignore lint/suspicious/noExplicitAny: answers are read loosely, field by field
type Answer = { status: number; json: any };

async function refused<T extends Answer>(attack: () => Promise<T>, status: number): Promise<T> {
  const before = { forwarded: forwarded.length, emulator: apiRequests() };
  const r = await attack();
  assert.equal(r.status, status);
  assert.equal(typeof r.json?.error?.message, 'string', "the refusal is in Mixpeek's envelope");
  assert.equal(forwarded.length, before.forwarded, 'a request was forwarded upstream');
  assert.equal(apiRequests(), before.emulator, "the emulator's log grew");
  return r;
}

const item = (over: Record<string, unknown> = {}) => ({ filename: 'a.png', content_type: 'image/png', file_size_bytes: 10, ...over });

describe('the gateway closes the holes found by the attack pass', () => {
  before(async () => {
    emulator = await startEmulator({ taskStepMs: 20 });
    gateway = await serveGateway(createGateway(options()));
  });
  after(async () => {
    await gateway.close();
    await emulator.close();
  });

  it('a single create carrying "uploads": [] is held to the create policy', async () => {
    const r = await refused(
      () =>
        call('POST', '/v1/buckets/demo/uploads', {
          uploads: [],
          filename: 'evil.html',
          content_type: 'text/html',
          file_size_bytes: 52428800,
        }),
      422,
    );
    assert.match(r.json.error.message, /evil\.html.*text\/html/);
    // What the route reads is what is checked and forwarded: the stray "uploads" is dropped.
    const ok = await call('POST', '/v1/buckets/demo/uploads', { ...item(), uploads: [] });
    assert.equal(ok.status, 201, ok.text);
    const sent = emulator.requests.filter((r) => r.kind === 'api').at(-1)?.body as Record<string, unknown>;
    assert.equal('uploads' in sent, false);
  });

  it('cross-site writes are refused with 403: text/plain forms, no-cors fetches, other origins', async () => {
    const batch = JSON.stringify({ uploads: [item()] });
    await refused(
      () => call('POST', '/v1/buckets/demo/uploads/batch', batch, { 'content-type': 'text/plain', origin: 'http://evil.test' }),
      403,
    );
    await refused(() => call('POST', '/v1/buckets/demo/uploads/batch', batch, { origin: 'http://evil.test' }), 403);
    await refused(() => call('POST', '/v1/buckets/demo/uploads/batch', batch, { origin: 'null' }), 403);
    await refused(() => call('DELETE', '/v1/buckets/demo/uploads/upl_abc', undefined, { origin: 'http://evil.test' }), 403);
    // No Origin but a browser's cross-site fetch metadata.
    const noOrigin = (headers: Record<string, string>) =>
      fetch(`${gateway.url}/v1/buckets/demo/uploads/batch`, { method: 'POST', headers, body: batch }).then(async (res) => ({
        status: res.status,
        json: await res.json(),
      }));
    await refused(() => noOrigin({ 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }), 403);
    // Same origin, but not JSON: a simple request a form could send.
    await refused(() => call('POST', '/v1/buckets/demo/uploads/batch', batch, { 'content-type': 'text/plain' }), 415);
    await refused(() => noOrigin({ 'content-type': 'text/plain' }), 415);
    // The page's own origin with JSON goes through.
    assert.equal((await call('POST', '/v1/buckets/demo/uploads/batch', batch)).status, 200);
  });

  it('the rate limit ignores X-Forwarded-For, and counts per identity after authorize', async () => {
    const handler: GatewayHandler = createGateway(
      options({
        rateLimit: { requestsPerMinute: 5 },
        authorize: (request) => (request.headers.get('x-session') === 'u_42' ? { user: 'u_42' } : true),
      }),
    );
    // The host passes no client address (as in a bare fetch handler): a rotating header buys nothing.
    const statuses: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      const request = new Request('http://gw.test/v1/tasks/abc', { headers: { 'x-forwarded-for': `10.0.0.${i}` } });
      statuses.push((await handler(request)).status);
    }
    assert.equal(statuses.filter((s) => s !== 429).length, 5);
    // The anonymous budget is spent; a signed-in person has their own.
    const signedIn = await handler(new Request('http://gw.test/v1/tasks/abc', { headers: { 'x-session': 'u_42' } }));
    assert.notEqual(signedIn.status, 429);

    // With trustProxy, the address the proxy saw (the rightmost entry) counts, not what the client wrote.
    const proxied = createGateway(options({ rateLimit: { requestsPerMinute: 2 }, trustProxy: true }));
    const via = (written: string) =>
      proxied(new Request('http://gw.test/v1/tasks/abc', { headers: { 'x-forwarded-for': `${written}, 203.0.113.7` } }), {
        clientAddress: '10.0.0.1',
      });
    const seen = [];
    for (const written of ['1.1.1.1', '2.2.2.2', '3.3.3.3']) seen.push((await via(written)).status);
    assert.equal(seen[2], 429);
  });

  it('a failing shared rate-limit store refuses with 503 rather than letting everyone through', async () => {
    const broken = createGateway(
      options({ rateLimit: { limiter: { consume: () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379')) } } }),
    );
    await refused(async () => {
      const res = await broken(new Request('http://gw.test/v1/tasks/abc'));
      return { status: res.status, json: await res.json() };
    }, 503);
  });

  it('query strings are checked per route, never forwarded unchecked', async () => {
    for (const path of [
      '/v1/buckets/demo/uploads/batch?namespace=other',
      `/v1/buckets/demo/uploads/batch?pad=${'x'.repeat(12_000)}`,
      '/v1/buckets/demo/uploads/upl_abc/confirm?async=maybe',
      '/v1/buckets/demo/uploads/upl_abc/confirm?async=true&async=false',
    ]) {
      await refused(() => call('POST', path, path.includes('confirm') ? { etag: 'e', file_size_bytes: 5 } : { uploads: [item()] }), 422);
    }
    await refused(() => call('DELETE', '/v1/buckets/demo/uploads/upl_abc?delete_s3_object=false'), 422);
    await refused(() => call('GET', '/v1/tasks/abc?x=1'), 422);
    // The documented parameter, with a documented value, is forwarded.
    const before = forwarded.length;
    await call('POST', '/v1/buckets/demo/uploads/upl_abc/confirm?async=true', { etag: 'e', file_size_bytes: 5 });
    assert.equal(forwarded.length, before + 1);
    assert.ok(forwarded.at(-1)!.endsWith('/v1/buckets/demo/uploads/upl_abc/confirm?async=true'));
  });

  it('bodies are validated per route: depth, JSON, batch sizes, types', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const r = await refused(() => call('POST', '/v1/buckets/demo/uploads/batch', deep), 422);
    assert.match(r.json.error.message, /nested deeper/);
    await refused(() => call('POST', '/v1/buckets/demo/uploads/batch', '{"uploads": ['), 422);
    await refused(() => call('POST', '/v1/buckets/demo/uploads/batch', { uploads: Array.from({ length: 1000 }, () => item()) }), 422);
    await refused(() => call('POST', '/v1/buckets/demo/uploads/batch', { uploads: [] }), 422);
    const bad = await refused(() => call('POST', '/v1/buckets/demo/uploads/batch', { uploads: [item({ filename: 5 })] }), 422);
    assert.deepEqual(bad.json.error.details.issues[0], { path: 'uploads.0.filename', message: 'Input should be a valid string' });
    await refused(
      () =>
        call('POST', '/v1/buckets/demo/uploads/confirm/batch', {
          confirmations: Array.from({ length: 101 }, (_, i) => ({ upload_id: `upl_${i}` })),
        }),
      422,
    );
    await refused(() => call('POST', '/v1/buckets/demo/uploads/confirm/batch', { confirmations: [{ upload_id: '../x' }] }), 422);
    await refused(() => call('POST', '/v1/buckets/demo/uploads/upl_abc/confirm', { etag: 5 }), 422);
    // The emulator's request log still answers.
    assert.equal((await fetch(`${emulator.apiUrl}/_emulator/requests`)).status, 200);
  });

  it('confirms are held to maxFileSize: the stored size is what Mixpeek checks them against', async () => {
    const created = await call('POST', '/v1/buckets/demo/uploads/batch', { uploads: [item({ file_size_bytes: 10 })] });
    assert.equal(created.status, 200, created.text);
    const upload = created.json.uploads[0];
    // The PUT goes straight to object storage: the gateway never sees it, so 5 MiB lands.
    const big = Buffer.alloc(5 * 1024 * 1024, 1);
    assert.equal((await put(upload.presigned_url, big, 'image/png')).status, 200);
    const confirm = (size: number | undefined) =>
      call('POST', '/v1/buckets/demo/uploads/confirm/batch', {
        confirmations: [{ upload_id: upload.upload_id, etag: md5(big), file_size_bytes: size }],
      });
    const r = await refused(() => confirm(big.length), 422);
    assert.match(r.json.error.message, /limit here is 1000 bytes/);
    await refused(() => confirm(undefined), 422);
    await refused(() => call('POST', `/v1/buckets/demo/uploads/${upload.upload_id}/confirm`, { etag: md5(big) }), 422);
    // Stating the declared size gets through, and Mixpeek refuses the mismatch with the stored bytes.
    const lied = await confirm(10);
    assert.equal(lied.status, 200);
    let task = await call('GET', `/v1/tasks/${lied.json.task_id}`);
    for (let i = 0; i < 100 && !['COMPLETED', 'FAILED', 'COMPLETED_WITH_ERRORS'].includes(task.json.status); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      task = await call('GET', `/v1/tasks/${lied.json.task_id}`);
    }
    assert.equal(task.json.status, 'FAILED');
  });

  it('a gateway with allowedHosts answers no other Host (DNS rebinding)', async () => {
    const pinned = await serveGateway(createGateway(options({ allowedHosts: ['127.0.0.1', 'localhost'] })));
    try {
      const { port } = new URL(pinned.url);
      const ask = (host: string) =>
        new Promise<number>((resolve, reject) => {
          const socket = connect(Number(port), '127.0.0.1', () =>
            socket.end(`GET /v1/tasks/abc HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
          );
          let out = '';
          socket.on('data', (d) => (out += d));
          socket.on('end', () => resolve(Number(out.split(' ')[1])));
          socket.on('error', reject);
        });
      const before = forwarded.length;
      assert.equal(await ask(`rebound.evil.test:${port}`), 403);
      assert.equal(forwarded.length, before);
      assert.notEqual(await ask(`localhost:${port}`), 403);
      assert.notEqual(await ask(`127.0.0.1:${port}`), 403);
    } finally {
      await pinned.close();
    }
  });
});

describe('upstream answers are not trusted', () => {
  let hostile: HostileUpstream;
  let served: ServedGateway;
  const key = 'sk_live_0123456789abcdefGHIJKLmnopqrstuv';
  const logs: string[] = [];
  const seenByBrowser: string[] = [];

  before(async () => {
    hostile = await startHostileUpstream(key);
    served = await serveGateway(
      createGateway({
        apiKey: key,
        apiUrl: hostile.url,
        namespace: 'ns',
        buckets: ['demo'],
        rateLimit: false,
        upstreamTimeoutMs: 2000,
        maxResponseBytes: 1024 * 1024,
        log: (line) => logs.push(line),
      }),
    );
  });
  after(async () => {
    await served.close();
    await hostile.close();
    const everything = [...seenByBrowser, ...logs].join('\n');
    assert.ok(!everything.toLowerCase().includes(key.toLowerCase()), 'the key leaked');
  });

  async function ask(path = '/v1/tasks/abc', init: RequestInit = {}) {
    const res = await fetch(`${served.url}${path}`, init);
    const text = await res.text();
    seenByBrowser.push(text, JSON.stringify([...res.headers]));
    return { status: res.status, headers: res.headers, text, json: JSON.parse(text) };
  }

  it('passes back only listed headers, and none that holds the key', async () => {
    hostile.mode = 'echo-headers';
    const r = await ask();
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), null);
    assert.equal(r.headers.get('x-ratelimit-limit'), null);
    assert.equal(r.headers.get('x-ratelimit-remaining'), '0');
    assert.equal(r.headers.get('x-leak'), null);
    assert.equal(r.headers.get('content-type'), 'application/json');
  });

  it('scrubs the key from bodies in any case, in hex and base64, as a JSON escape and as a key', async () => {
    hostile.mode = 'echo-body';
    const r = await ask();
    assert.equal(r.status, 400);
    for (const field of ['upper', 'base64', 'hex', 'escaped']) assert.match(r.json[field], /\[redacted\]/, field);
    assert.match(r.json.basic, /\[redacted\]/);
    assert.equal(r.json['[redacted]'], 'as a key');
    assert.ok(!r.text.includes(Buffer.from(key).toString('base64').slice(0, 40)));
  });

  it('replaces a non-JSON answer with an error in the envelope', async () => {
    hostile.mode = 'html';
    const r = await ask();
    assert.equal(r.status, 502);
    assert.equal(r.json.error.type, 'BadGatewayError');
    assert.ok(!r.text.includes('<script>'));
  });

  it('does not follow redirects: a 3xx becomes 502 and the other route is never asked', async () => {
    hostile.mode = 'redirect';
    hostile.seen.length = 0;
    const r = await ask('/v1/buckets/demo/uploads', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(item()),
    });
    assert.equal(r.status, 502);
    assert.deepEqual(
      hostile.seen.map((s) => s.path),
      ['/v1/buckets/demo/uploads'],
    );
  });

  it('gives up on a stalled upstream (504) and when the browser goes away', async () => {
    hostile.mode = 'stall';
    const r = await ask();
    assert.equal(r.status, 504);
    assert.equal(r.json.error.type, 'GatewayTimeoutError');
    // A browser that aborts: the gateway drops its call upstream too.
    const long = await serveGateway(createGateway({ apiKey: key, apiUrl: hostile.url, buckets: ['demo'], rateLimit: false }));
    try {
      const controller = new AbortController();
      const pending = fetch(`${long.url}/v1/tasks/abc`, { signal: controller.signal }).catch(() => 'aborted');
      while (hostile.seen.length === 0 || hostile.seen.at(-1)!.path !== '/v1/tasks/abc') {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      controller.abort();
      assert.equal(await pending, 'aborted');
      await hostile.stalls.at(-1); // the upstream connection closes long before the 30 s default
    } finally {
      await long.close();
    }
  });

  it('caps the answer size: 200 MiB becomes 502 after the cap, not a gigabyte in memory', async () => {
    hostile.mode = 'huge';
    const r = await ask();
    assert.equal(r.status, 502);
    assert.match(r.json.error.message, /larger than 1048576 bytes/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(hostile.hugeBytesSent < 100 * 1024 * 1024, `sent ${hostile.hugeBytesSent} bytes`);
  });
});
