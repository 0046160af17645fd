/**
 * Identity from the host, not from the page: what `authorize` returns is merged into every
 * create (the server's values win), and `onConfirmed` hears about each confirm Mixpeek accepted,
 * once, and never about a refused one. Against the real emulator.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { type ConfirmedEvent, createGateway } from '../../src/gateway/index.ts';
import { serveGateway, type ServedGateway } from '../../src/gateway/node.ts';
import { md5, put } from '../emulator/helpers.ts';

let emulator: Emulator;
let gateway: ServedGateway;
const confirmed: ConfirmedEvent[] = [];

async function call(method: string, path: string, body?: unknown, session = 'alice') {
  const res = await fetch(`${gateway.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-session': session },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

describe('authorize identity and onConfirmed', () => {
  before(async () => {
    emulator = await startEmulator({ taskStepMs: 20 });
    gateway = await serveGateway(
      createGateway({
        apiKey: emulator.apiKey,
        apiUrl: emulator.apiUrl,
        namespace: emulator.namespace,
        buckets: ['demo'],
        rateLimit: false,
        authorize: (request) => {
          const session = request.headers.get('x-session');
          if (session === 'alice') return { user: 'u_42', metadata: { user_id: 'u_42', tenant: 't_1' }, objectMetadata: { owner: 'u_42' } };
          return false;
        },
        onConfirmed: (event) => {
          confirmed.push(event);
        },
      }),
    );
  });
  after(async () => {
    await gateway.close();
    await emulator.close();
  });

  it('merges the server metadata into every create item, over what the browser sent', async () => {
    const created = await call('POST', '/v1/buckets/demo/uploads/batch', {
      uploads: [
        { filename: 'a.txt', content_type: 'text/plain', metadata: { user_id: 'u_admin', album: 'x' } },
        { filename: 'b.txt', content_type: 'text/plain', object_metadata: { owner: 'u_admin', kept: 1 } },
      ],
      shared_metadata: { tenant: 't_other' },
    });
    assert.equal(created.status, 200);
    const sent = emulator.requests.filter((r) => r.kind === 'api').at(-1)?.body as { uploads: Record<string, unknown>[] };
    assert.deepEqual(sent.uploads[0]!.metadata, { user_id: 'u_42', album: 'x', tenant: 't_1' });
    assert.deepEqual(sent.uploads[1]!.metadata, { user_id: 'u_42', tenant: 't_1' });
    assert.deepEqual(sent.uploads[1]!.object_metadata, { owner: 'u_42', kept: 1 });
    assert.deepEqual(created.json.uploads[0].metadata, { user_id: 'u_42', album: 'x', tenant: 't_1' });

    const single = await call('POST', '/v1/buckets/demo/uploads', {
      filename: 'c.txt',
      content_type: 'text/plain',
      metadata: { user_id: 'me' },
    });
    assert.equal(single.status, 201);
    assert.deepEqual(single.json.metadata, { user_id: 'u_42', tenant: 't_1' });
  });

  it('refuses when authorize says no, before anything is forwarded', async () => {
    const before = emulator.requests.length;
    const r = await call(
      'POST',
      '/v1/buckets/demo/uploads/batch',
      { uploads: [{ filename: 'a.txt', content_type: 'text/plain' }] },
      'mallory',
    );
    assert.equal(r.status, 401);
    assert.equal(emulator.requests.length, before);
  });

  it('calls onConfirmed once per accepted confirm, with identity, uploads and task, and never for a refused one', async () => {
    confirmed.length = 0;
    const created = await call('POST', '/v1/buckets/demo/uploads/batch', {
      uploads: [
        { filename: 'x.txt', content_type: 'text/plain', file_size_bytes: 3 },
        { filename: 'y.txt', content_type: 'text/plain', file_size_bytes: 3 },
        { filename: 'z.txt', content_type: 'text/plain', file_size_bytes: 3 },
      ],
    });
    const [x, y, z] = created.json.uploads;
    for (const u of [x, y, z]) assert.equal((await put(u.presigned_url, 'abc', 'text/plain')).status, 200);

    const batch = await call('POST', '/v1/buckets/demo/uploads/confirm/batch', {
      confirmations: [
        { upload_id: x.upload_id, etag: md5('abc'), file_size_bytes: 3 },
        { upload_id: y.upload_id, etag: md5('abc'), file_size_bytes: 3 },
      ],
    });
    assert.equal(batch.status, 200);
    assert.equal(confirmed.length, 1);
    assert.deepEqual(confirmed[0]!.identity.user, 'u_42');
    assert.equal(confirmed[0]!.bucket, 'demo');
    assert.equal(confirmed[0]!.taskId, batch.json.task_id);
    assert.deepEqual(confirmed[0]!.uploads, [
      { upload_id: x.upload_id, etag: md5('abc'), file_size_bytes: 3 },
      { upload_id: y.upload_id, etag: md5('abc'), file_size_bytes: 3 },
    ]);

    const single = await call('POST', `/v1/buckets/demo/uploads/${z.upload_id}/confirm`, { etag: md5('abc'), file_size_bytes: 3 });
    assert.equal(single.status, 200);
    assert.equal(confirmed.length, 2);
    assert.deepEqual(confirmed[1]!.uploads, [{ upload_id: z.upload_id, etag: md5('abc'), file_size_bytes: 3 }]);

    // Refused: by the gateway (invalid), by Mixpeek (unknown id, already confirmed), by authorize.
    await call('POST', '/v1/buckets/demo/uploads/confirm/batch', { confirmations: [] });
    await call('POST', '/v1/buckets/demo/uploads/confirm/batch', {
      confirmations: [{ upload_id: 'upl_doesnotexist0000', etag: md5('abc'), file_size_bytes: 3 }],
    });
    assert.equal(
      (await call('POST', `/v1/buckets/demo/uploads/${z.upload_id}/confirm`, { etag: md5('abc'), file_size_bytes: 3 })).status,
      400,
    );
    await call('POST', `/v1/buckets/demo/uploads/${x.upload_id}/confirm`, { etag: md5('abc'), file_size_bytes: 3 }, 'mallory');
    assert.equal(confirmed.length, 2);
  });
});
