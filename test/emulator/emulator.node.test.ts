/**
 * The emulator over real HTTP on 127.0.0.1: auth, namespace, validation, the full
 * create → PUT → confirm → task flow, storage signatures, expiry, delete, list, CORS and the
 * request log.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { client, md5, put, sleep, storedStatus, type Json } from './helpers.ts';

let offsetMs = 0;
let em: Emulator;
let api: ReturnType<typeof client>;

before(async () => {
  em = await startEmulator({ taskStepMs: 40, clock: () => Date.now() + offsetMs });
  api = client(em);
});
after(async () => {
  await em.close();
});

const envelope = (json: Json, status: number, type: string): void => {
  assert.equal(json.success, false);
  assert.equal(json.status, status);
  assert.equal(json.error.type, type);
  assert.equal(typeof json.error.message, 'string');
  assert.ok('details' in json.error);
};

const item = (over: Json = {}): Json => ({ filename: 'a.txt', content_type: 'text/plain', ...over });

describe('auth and namespace', () => {
  it('401 without a key and with a wrong key, in the envelope', async () => {
    const res = await fetch(`${em.apiUrl}/v1/buckets/demo/uploads/batch`, { method: 'POST', body: '{}' });
    assert.equal(res.status, 401);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    envelope((await res.json()) as Json, 401, 'UnauthorizedError');

    const wrong = await api.call('POST', '/v1/buckets/demo/uploads/batch', { uploads: [item()] }, { authorization: 'Bearer sk_wrong' });
    assert.equal(wrong.status, 401);
    envelope(wrong.json, 401, 'UnauthorizedError');

    const tasks = await fetch(`${em.apiUrl}/v1/tasks/x`);
    assert.equal(tasks.status, 401);
  });

  it('X-Namespace missing → 400, other value → 404, ?namespace= fallback works', async () => {
    const missing = await fetch(`${em.apiUrl}/v1/buckets/demo/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${em.apiKey}` },
      body: JSON.stringify(item()),
    });
    assert.equal(missing.status, 400);
    envelope((await missing.json()) as Json, 400, 'BadRequestError');

    const other = await api.create({ ...item() });
    assert.equal(other.status, 201);
    const wrongNs = await api.call('POST', '/v1/buckets/demo/uploads', item(), { 'x-namespace': 'elsewhere' });
    assert.equal(wrongNs.status, 404);
    envelope(wrongNs.json, 404, 'NotFoundError');

    const viaQuery = await fetch(`${em.apiUrl}/v1/buckets/demo/uploads?namespace=demo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${em.apiKey}` },
      body: JSON.stringify(item()),
    });
    assert.equal(viaQuery.status, 201);
  });

  it('unknown bucket → 404; tasks need no namespace; unknown task → 404', async () => {
    const res = await client(em, 'nope').batch({ uploads: [item()] });
    assert.equal(res.status, 404);
    envelope(res.json, 404, 'NotFoundError');

    const task = await fetch(`${em.apiUrl}/v1/tasks/00000000-0000-4000-8000-000000000000`, {
      headers: { authorization: `Bearer ${em.apiKey}` },
    });
    assert.equal(task.status, 404);
    envelope((await task.json()) as Json, 404, 'NotFoundError');
  });

  it('unknown route → 404, wrong method → 405, both in the envelope', async () => {
    const nf = await api.call('GET', '/v1/nothing-here');
    assert.equal(nf.status, 404);
    envelope(nf.json, 404, 'NotFoundError');
    const na = await api.call('GET', '/v1/buckets/demo/uploads/batch/x');
    assert.equal(na.status, 404);
    const mna = await api.call('PUT', '/v1/buckets/demo/uploads/upl_x');
    assert.equal(mna.status, 405);
    assert.match(mna.headers.get('allow') ?? '', /DELETE/);
    envelope(mna.json, 405, 'MethodNotAllowedError');
  });
});

describe('create validation', () => {
  it('batch of 0 and of 101 items → 422 with a detail array', async () => {
    const zero = await api.batch({ uploads: [] });
    assert.equal(zero.status, 422);
    assert.ok(Array.isArray(zero.json.detail));
    assert.deepEqual(zero.json.detail[0].loc, ['body', 'uploads']);
    assert.equal(zero.json.detail[0].type, 'too_short');

    const many = await api.batch({ uploads: Array.from({ length: 101 }, (_, i) => item({ filename: `f${i}.txt` })) });
    assert.equal(many.status, 422);
    assert.equal(many.json.detail[0].type, 'too_long');

    const missing = await api.batch({});
    assert.equal(missing.status, 422);
    assert.equal(missing.json.detail[0].type, 'missing');
  });

  it('bad content_type, path traversal, file_size_bytes 0 → 422 naming each item', async () => {
    const res = await api.batch({
      uploads: [
        item(),
        item({ content_type: 'not a mime' }),
        item({ filename: '../x' }),
        item({ file_size_bytes: 0 }),
        item({ filename: 'a\\b.txt', presigned_url_expiration: 59, blob_property: 'a-b', file_hash: 'ABC' }),
        { content_type: 'text/plain' },
      ],
    });
    assert.equal(res.status, 422);
    const locs = (res.json.detail as Json[]).map((d) => d.loc.join('.'));
    for (const expected of [
      'body.uploads.1.content_type',
      'body.uploads.2.filename',
      'body.uploads.3.file_size_bytes',
      'body.uploads.4.filename',
      'body.uploads.4.presigned_url_expiration',
      'body.uploads.4.blob_property',
      'body.uploads.4.file_hash',
      'body.uploads.5.filename',
    ]) {
      assert.ok(locs.includes(expected), `expected ${expected} in ${locs.join(', ')}`);
    }
    assert.ok(!locs.some((l) => l.startsWith('body.uploads.0')));
    // all or nothing: nothing was created
    const list = await api.list({ filters: { filename: 'a.txt' }, limit: 100 });
    const before = list.json.pagination.total;
    await api.batch({ uploads: [item(), item({ filename: '' })] });
    assert.equal((await api.list({ filters: { filename: 'a.txt' }, limit: 100 })).json.pagination.total, before);
  });

  it('single create: 422 for malformed JSON, a non-object body and a missing body', async () => {
    const bad = await api.call('POST', '/v1/buckets/demo/uploads', '{"filename": ');
    assert.equal(bad.status, 422);
    assert.equal(bad.json.detail[0].type, 'json_invalid');
    const arr = await api.call('POST', '/v1/buckets/demo/uploads', '[1]');
    assert.equal(arr.status, 422);
    assert.deepEqual(arr.json.detail[0].loc, ['body']);
    const none = await api.call('POST', '/v1/buckets/demo/uploads');
    assert.equal(none.status, 422);
    assert.equal(none.json.detail[0].type, 'missing');
    const single = await api.create(item({ content_type: 'text/plain; charset=utf-8', filename: 'x'.repeat(256) }));
    assert.equal(single.status, 422);
    assert.deepEqual(single.json.detail[0].loc, ['body', 'filename']);
  });

  it('a declared size over the plan limit → 400 naming the limit', async () => {
    const res = await api.batch({ uploads: [item(), item({ file_size_bytes: 5368709121 })] });
    assert.equal(res.status, 400);
    envelope(res.json, 400, 'BadRequestError');
    assert.match(res.json.error.message, /5368709120/);
    const ok = await api.create(item({ file_size_bytes: 5368709120 }));
    assert.equal(ok.status, 201);
  });

  it('create returns a full UploadResponse, merges shared metadata (item wins), ignores unknown fields', async () => {
    const res = await api.batch({
      uploads: [
        item({ metadata: { a: 1, b: 'item' }, object_metadata: { x: 1 }, extra_field: true, presigned_url_expiration: 600 }),
        item({ blob_property: 'file', file_hash: 'a'.repeat(64), create_object_on_confirm: false, skip_duplicates: false }),
      ],
      shared_metadata: { b: 'shared', c: 3 },
      shared_object_metadata: { y: 2 },
    });
    assert.equal(res.status, 200);
    assert.equal(res.json.total, 2);
    const [u0, u1] = res.json.uploads as Json[];
    assert.ok(u0 && u1);
    assert.match(u0.upload_id, /^upl_[A-Za-z0-9]{16}$/);
    assert.deepEqual(u0.metadata, { b: 'item', c: 3, a: 1 });
    assert.deepEqual(u0.object_metadata, { y: 2, x: 1 });
    assert.equal(u0.presigned_url_expiration, 600);
    assert.equal(Date.parse(u0.expires_at) - Date.parse(u0.created_at) <= 600_000, true);
    assert.equal(u0.status, 'PENDING');
    assert.equal(u0.bucket_id, 'demo');
    assert.equal(u0.s3_key, `org_emulator/demo/api_buckets_uploads_create/${u0.upload_id}/a.txt`);
    for (const [k, v] of Object.entries({
      is_duplicate: false,
      duplicate_of_upload_id: null,
      skipped_unique_key: false,
      existing_object_id: null,
      message: null,
      completed_at: null,
      verified_at: null,
      etag: null,
      object_id: null,
      task_id: null,
      create_object_on_confirm: true,
      skip_duplicates: true,
      blob_property: null,
      blob_type: null,
      file_hash: null,
      file_size_bytes: null,
    })) {
      assert.deepEqual(u0[k], v, k);
    }
    assert.ok(!('extra_field' in u0));
    assert.equal(u1.blob_property, 'file');
    assert.equal(u1.create_object_on_confirm, false);
    assert.equal(u1.skip_duplicates, false);
    assert.deepEqual(u1.metadata, { b: 'shared', c: 3 });
    const url = new URL(u0.presigned_url);
    assert.equal(url.origin, em.storageUrl);
    assert.equal(url.searchParams.get('X-Amz-SignedHeaders'), 'content-type;host');
    assert.equal(url.searchParams.get('X-Amz-Expires'), '600');
    assert.equal(url.searchParams.get('x-amz-checksum-crc32'), null);
  });
});

describe('upload flow', () => {
  const names = ['plain.txt', 'my file + ü 😀.txt', 'odd #%&?=;,.bin'];
  const contents = ['hello world', 'ünïcödé 😀 content', new Uint8Array([0, 1, 2, 3, 254, 255])];
  let uploads: Json[] = [];

  before(async () => {
    const res = await api.batch({
      uploads: names.map((filename, i) => ({
        filename,
        content_type: i === 1 ? 'text/plain; charset=utf-8' : 'application/octet-stream',
        file_size_bytes: typeof contents[i] === 'string' ? Buffer.byteLength(contents[i] as string) : (contents[i] as Uint8Array).length,
      })),
    });
    assert.equal(res.status, 200);
    uploads = res.json.uploads as Json[];
    assert.equal(uploads[1]?.filename, 'my file + ü 😀.txt');
  });

  it('PUT to each presigned URL with the declared Content-Type → 200 and ETag = quoted MD5', async () => {
    for (const [i, u] of uploads.entries()) {
      const body = contents[i] as string | Uint8Array<ArrayBuffer>;
      const res = await put(u.presigned_url, body, u.content_type, { origin: 'http://app.example' });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers.get('etag'), `"${md5(body)}"`);
      assert.match(res.headers.get('access-control-expose-headers') ?? '', /ETag/);
      assert.ok(res.headers.get('access-control-allow-origin'));
    }
  });

  it('PUT with another Content-Type → 403 SignatureDoesNotMatch (readable cross-origin)', async () => {
    const u = uploads[0] as Json;
    const res = await put(u.presigned_url, 'x', 'text/html', { origin: 'http://app.example' });
    assert.equal(res.status, 403);
    assert.match(res.text, /<Code>SignatureDoesNotMatch<\/Code>/);
    assert.ok(res.headers.get('access-control-allow-origin'));
    const none = await fetch(u.presigned_url, { method: 'PUT', body: new Uint8Array([1]) });
    assert.equal(none.status, 403);
  });

  it('PUT to a URL with a tampered key, or a tampered signature, or none → 403', async () => {
    const u = uploads[0] as Json;
    const tampered = u.presigned_url.replace('/plain.txt?', '/other.txt?');
    assert.notEqual(tampered, u.presigned_url);
    const res = await put(tampered, 'x', u.content_type);
    assert.equal(res.status, 403);
    assert.match(res.text, /SignatureDoesNotMatch/);

    const url = new URL(u.presigned_url);
    url.searchParams.set('X-Amz-Expires', '86400');
    assert.equal((await put(url.toString(), 'x', u.content_type)).status, 403);

    const unsigned = await put(`${em.storageUrl}/mixpeek-emulator/${u.s3_key}`, 'x', u.content_type);
    assert.equal(unsigned.status, 403);
    assert.match(unsigned.text, /AccessDenied/);
  });

  it('batch confirm: quoted upper-case and plain ETags pass, a wrong one fails; task PENDING → PROCESSING → COMPLETED_WITH_ERRORS', async () => {
    const [u0, u1, u2] = uploads as [Json, Json, Json];
    const res = await api.confirmBatch([
      { upload_id: u0.upload_id, etag: `"${md5(contents[0] as string).toUpperCase()}"`, file_size_bytes: 11 },
      { upload_id: u1.upload_id, etag: md5(contents[1] as string) },
      { upload_id: u2.upload_id, etag: 'f'.repeat(32) },
    ]);
    assert.equal(res.status, 200);
    assert.equal(res.json.status, 'PENDING');
    assert.equal(res.json.confirmations_count, 3);
    assert.equal(res.json.message, 'Batch confirmation is being processed in the background.');
    assert.match(res.json.task_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(res.json.task.task_type, 'api_buckets_uploads_batch_confirm');
    assert.deepEqual(res.json.task.inputs, [u0.upload_id, u1.upload_id, u2.upload_id]);
    assert.equal(res.json.task.outputs, null);

    const during = await api.get(u0.upload_id);
    assert.equal(during.json.status, 'PROCESSING');

    const { task, seen } = await api.waitTask(res.json.task_id);
    assert.deepEqual(seen, ['PENDING', 'PROCESSING', 'COMPLETED_WITH_ERRORS']);
    assert.equal(task.additional_data.succeeded, 2);
    assert.equal(task.additional_data.failed, 1);
    const failed = (task.outputs as Json[]).find((o) => o.status === 'FAILED') as Json;
    assert.equal(failed.upload_id, u2.upload_id);
    assert.match(failed.error, /ETag mismatch/);
    assert.match(failed.error, new RegExp(md5(contents[2] as Uint8Array)));
    assert.equal(task.additional_data.errors[0].upload_id, u2.upload_id);
    assert.equal(task.error, null);

    const g0 = (await api.get(u0.upload_id)).json;
    assert.equal(g0.status, 'COMPLETED');
    assert.match(g0.object_id, /^obj_/);
    assert.equal(g0.etag, md5(contents[0] as string));
    assert.equal(g0.presigned_url, null);
    assert.ok(g0.completed_at && g0.verified_at);
    const g2 = (await api.get(u2.upload_id)).json;
    assert.equal(g2.status, 'FAILED');
    assert.match(g2.message, /ETag mismatch/);
  });

  it('confirming an unknown id → 404 naming it, nothing confirmed; duplicate ids → 422', async () => {
    const fresh = (await api.create(item())).json;
    const res = await api.confirmBatch([{ upload_id: fresh.upload_id }, { upload_id: 'upl_doesnotexist0000' }]);
    assert.equal(res.status, 404);
    envelope(res.json, 404, 'NotFoundError');
    assert.match(res.json.error.message, /upl_doesnotexist0000/);
    assert.equal((await api.get(fresh.upload_id)).json.status, 'PENDING');

    const single = await api.confirm('upl_doesnotexist0000');
    assert.equal(single.status, 404);
    envelope(single.json, 404, 'NotFoundError');

    const dup = await api.confirmBatch([{ upload_id: fresh.upload_id }, { upload_id: fresh.upload_id }]);
    assert.equal(dup.status, 422);
    assert.deepEqual(dup.json.detail[0].loc, ['body', 'confirmations', 1, 'upload_id']);
    assert.equal((await api.confirmBatch([])).status, 422);
    assert.equal((await api.call('POST', '/v1/buckets/demo/uploads/confirm/batch', { confirmations: [{ etag: 'x' }] })).status, 422);
  });

  it('single confirm: sync success, then 400 when already COMPLETED; size mismatch and missing object → 400 and FAILED', async () => {
    const [a, b, c] = (
      await api.batch({ uploads: [item({ filename: 'a.bin' }), item({ filename: 'b.bin' }), item({ filename: 'c.bin' })] })
    ).json.uploads as Json[];
    assert.ok(a && b && c);
    assert.equal((await put(a.presigned_url, 'aaaa', 'text/plain')).status, 200);
    assert.equal((await put(b.presigned_url, 'bbbb', 'text/plain')).status, 200);

    assert.equal((await api.call('POST', `/v1/buckets/demo/uploads/${a.upload_id}/confirm`)).status, 422);
    const ok = await api.confirm(a.upload_id, { etag: `"${md5('aaaa')}"`, file_size_bytes: 4 });
    assert.equal(ok.status, 200);
    assert.equal(ok.json.status, 'COMPLETED');
    assert.equal(ok.json.etag, md5('aaaa'));
    assert.equal(ok.json.file_size_bytes, 4);
    assert.match(ok.json.object_id, /^obj_/);
    assert.ok(ok.json.verified_at && ok.json.completed_at);

    const again = await api.confirm(a.upload_id, {});
    assert.equal(again.status, 400);
    envelope(again.json, 400, 'BadRequestError');

    const size = await api.confirm(b.upload_id, { file_size_bytes: 5 });
    assert.equal(size.status, 400);
    assert.match(size.json.error.message, /5 bytes.*4 bytes/);
    assert.equal((await api.get(b.upload_id)).json.status, 'FAILED');
    // a FAILED upload can be confirmed again with the right values
    assert.equal((await api.confirm(b.upload_id, { file_size_bytes: 4 })).json.status, 'COMPLETED');

    const missing = await api.confirm(c.upload_id, {});
    assert.equal(missing.status, 400);
    assert.equal(missing.json.error.message, 'object not found in storage: the PUT did not complete');
  });

  it('?async=true → PROCESSING with a task that completes; a second batch cannot confirm the same upload', async () => {
    const [a, b] = (await api.batch({ uploads: [item({ filename: 'x.bin' }), item({ filename: 'y.bin' })] })).json.uploads as Json[];
    assert.ok(a && b);
    await put(a.presigned_url, 'xx', 'text/plain');
    await put(b.presigned_url, 'yy', 'text/plain');
    const res = await api.confirm(a.upload_id, { etag: md5('xx') }, '?async=true');
    assert.equal(res.status, 200);
    assert.equal(res.json.status, 'PROCESSING');
    assert.ok(res.json.task_id);
    const { task } = await api.waitTask(res.json.task_id);
    assert.equal(task.task_type, 'api_buckets_uploads_confirm');
    assert.equal(task.status, 'COMPLETED');
    assert.equal((await api.get(a.upload_id)).json.status, 'COMPLETED');

    const first = await api.confirmBatch([{ upload_id: b.upload_id, etag: md5('yy') }]);
    const second = await api.confirmBatch([{ upload_id: b.upload_id, etag: md5('yy') }]);
    const single = await api.confirm(b.upload_id, {});
    assert.equal(single.status, 400);
    assert.match(single.json.error.message, /already being confirmed/);
    const t1 = (await api.waitTask(first.json.task_id)).task;
    const t2 = (await api.waitTask(second.json.task_id)).task;
    assert.equal(t1.status, 'COMPLETED');
    assert.equal(t2.status, 'FAILED');
    assert.match(t2.outputs[0].error, /already being confirmed/);
    assert.match(t2.error, /already being confirmed/);
    assert.equal((await api.get(b.upload_id)).json.status, 'COMPLETED');
  });

  it('delete → 204 and CANCELED, stored object removed; deleting a COMPLETED upload → 400', async () => {
    const u = (await api.create(item({ filename: 'gone.txt' }))).json;
    await put(u.presigned_url, 'bye', 'text/plain');
    assert.equal(await storedStatus(em.storageUrl, u.s3_key), 200);
    const res = await api.remove(u.upload_id, '?delete_s3_object=true');
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    const after = (await api.get(u.upload_id)).json;
    assert.equal(after.status, 'CANCELED');
    assert.equal(after.presigned_url, null);
    assert.equal(await storedStatus(em.storageUrl, u.s3_key), 404);
    assert.equal((await api.confirm(u.upload_id, {})).status, 400);

    const done = (uploads[0] as Json).upload_id as string;
    const refused = await api.remove(done);
    assert.equal(refused.status, 400);
    envelope(refused.json, 400, 'BadRequestError');
  });

  it('list: filters, search, sort, pagination and stats', async () => {
    const res = await api.list({ filters: { status: 'COMPLETED' }, limit: 2, sort: { field: 'created_at', direction: 'asc' } });
    assert.equal(res.status, 200);
    assert.ok(res.json.results.length <= 2);
    assert.ok((res.json.results as Json[]).every((r) => r.status === 'COMPLETED'));
    assert.equal(res.json.pagination.page, 1);
    assert.equal(res.json.pagination.page_size, 2);
    assert.equal(res.json.stats.uploads_by_status.COMPLETED, res.json.pagination.total);

    const search = await api.list({ search: 'ü 😀' });
    assert.equal(search.json.results[0].filename, 'my file + ü 😀.txt');

    const all = await api.list();
    assert.equal(all.status, 200);
    assert.ok(all.json.pagination.total > 5);
    assert.equal(all.json.results.length, Math.min(20, all.json.pagination.total));
    const page2 = await api.list({ limit: 3, offset: 3 });
    assert.equal(page2.json.pagination.page, 2);
    assert.equal(page2.json.pagination.previous_page, 1);
    const advanced = await api.list({ filters: { AND: [{ field: 'file_size_bytes', operator: 'gte', value: 11 }] } });
    assert.ok((advanced.json.results as Json[]).every((r) => r.file_size_bytes >= 11));
    assert.equal((await api.list({ limit: 101 })).status, 422);
  });
});

describe('expiry (clock override)', () => {
  it('a URL past presigned_url_expiration → 403 Request has expired; the upload becomes FAILED', async () => {
    const u = (await api.create(item({ filename: 'late.txt', presigned_url_expiration: 60 }))).json;
    offsetMs = 61_000;
    try {
      const res = await put(u.presigned_url, 'late', 'text/plain');
      assert.equal(res.status, 403);
      assert.match(res.text, /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
      const got = (await api.get(u.upload_id)).json;
      assert.equal(got.status, 'FAILED');
      assert.match(got.message, /expired/);
      const confirm = await api.confirm(u.upload_id, {});
      assert.equal(confirm.status, 400);
      assert.match(confirm.json.error.message, /expired/);
    } finally {
      offsetMs = 0;
    }
  });
});

describe('CORS', () => {
  it('API preflight allows the methods and any requested header; responses reflect the Origin without credentials', async () => {
    const res = await fetch(`${em.apiUrl}/v1/buckets/demo/uploads/batch`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, x-namespace, x-session-token',
      },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const h of ['authorization', 'content-type', 'x-namespace', 'x-session-token']) assert.ok(allowed.includes(h), h);

    const got = await api.call('GET', '/v1/tasks/none', undefined, { origin: 'http://localhost:5173' });
    assert.equal(got.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.match(got.headers.get('access-control-expose-headers') ?? '', /Retry-After/);
    assert.equal(got.headers.get('access-control-allow-credentials'), null);
    const info = await fetch(`${em.apiUrl}/_emulator/info`, { headers: { origin: 'http://localhost:5173' } });
    assert.equal(info.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.equal(info.headers.get('access-control-allow-credentials'), null);
  });

  it('only the configured origins get CORS headers', async () => {
    const strict = await startEmulator({ corsOrigins: ['http://allowed.test'] });
    try {
      const ask = (origin: string) =>
        fetch(`${strict.apiUrl}/v1/tasks/x`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
        });
      assert.equal((await ask('http://allowed.test')).headers.get('access-control-allow-origin'), 'http://allowed.test');
      assert.equal((await ask('http://evil.test')).headers.get('access-control-allow-origin'), null);
    } finally {
      await strict.close();
    }
  });

  it('storage preflight for a presigned PUT allows PUT and Content-Type', async () => {
    const u = (await api.create(item())).json;
    const res = await fetch(u.presigned_url, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type',
      },
    });
    assert.equal(res.status, 200);
    assert.ok(res.headers.get('access-control-allow-origin'));
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /PUT/);
    assert.match((res.headers.get('access-control-allow-headers') ?? '').toLowerCase(), /content-type/);
  });
});

describe('scale', () => {
  it('250 concurrent small uploads: create in batches of 100, PUT all at once, batch confirm', async () => {
    const files = Array.from({ length: 250 }, (_, i) => ({ name: `f${i}.txt`, body: `file number ${i}` }));
    const created: Json[] = [];
    for (let i = 0; i < files.length; i += 100) {
      const res = await api.batch({
        uploads: files.slice(i, i + 100).map((f) => ({ filename: f.name, content_type: 'text/plain', file_size_bytes: f.body.length })),
      });
      assert.equal(res.status, 200);
      created.push(...(res.json.uploads as Json[]));
    }
    const puts = await Promise.all(created.map((u, i) => put(u.presigned_url, (files[i] as { body: string }).body, 'text/plain')));
    assert.ok(puts.every((p) => p.status === 200));
    const tasks = [];
    for (let i = 0; i < created.length; i += 100) {
      const res = await api.confirmBatch(
        created.slice(i, i + 100).map((u, j) => ({
          upload_id: u.upload_id,
          etag: puts[i + j]?.headers.get('etag'),
          file_size_bytes: (files[i + j] as { body: string }).body.length,
        })),
      );
      assert.equal(res.status, 200);
      tasks.push(res.json.task_id as string);
    }
    for (const id of tasks) assert.equal((await api.waitTask(id)).task.status, 'COMPLETED');
  });

  it('streams a 64 MiB chunked body (no Content-Length) and verifies its MD5', async () => {
    const u = (await api.create(item({ filename: 'big.bin', content_type: 'application/octet-stream' }))).json;
    const chunk = new Uint8Array(1024 * 1024).map((_, i) => i % 251);
    const { createHash } = await import('node:crypto');
    const hash = createHash('md5');
    let sent = 0;
    const total = 64;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === total) return controller.close();
        hash.update(chunk);
        controller.enqueue(chunk);
        sent += 1;
      },
    });
    const res = await fetch(u.presigned_url, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    assert.equal(res.status, 200);
    const digest = hash.digest('hex');
    assert.equal(res.headers.get('etag'), `"${digest}"`);
    const ok = await api.confirm(u.upload_id, { etag: digest, file_size_bytes: total * 1024 * 1024 });
    assert.equal(ok.json.status, 'COMPLETED');
  });
});

describe('request log and control routes', () => {
  it('records API, storage and control requests with bodies, content types, sizes and upload ids', async () => {
    em.reset();
    assert.equal(em.requests.length, 0);
    const u = (await api.create(item({ filename: 'log.txt', metadata: { k: 'v' } }))).json;
    await put(u.presigned_url, 'logged', 'text/plain');
    await api.confirm(u.upload_id, {});
    const res = await fetch(`${em.apiUrl}/_emulator/requests`);
    const log = (await res.json()) as Json[];
    assert.deepEqual(
      log.map((e) => [e.seq, e.kind, e.method, e.status]),
      [
        [1, 'api', 'POST', 201],
        [2, 'storage', 'PUT', 200],
        [3, 'api', 'POST', 200],
      ],
    );
    const [create, storage, confirm] = log as [Json, Json, Json];
    assert.equal(create.path, '/v1/buckets/demo/uploads');
    assert.deepEqual(create.body.metadata, { k: 'v' });
    assert.equal(storage.contentType, 'text/plain');
    assert.equal(storage.size, 6);
    assert.equal(storage.uploadId, u.upload_id);
    assert.equal(storage.path, `/mixpeek-emulator/${u.s3_key}`);
    assert.equal(confirm.path, `/v1/buckets/demo/uploads/${u.upload_id}/confirm`);
    assert.ok(typeof create.time === 'number' && typeof create.durationMs === 'number');
    await sleep(5);
    assert.equal(em.requests.at(-1)?.kind, 'control');

    const info = (await (await fetch(`${em.apiUrl}/_emulator/info`)).json()) as Json;
    assert.deepEqual(info, { apiUrl: em.apiUrl, storageUrl: em.storageUrl, namespace: 'demo', buckets: ['demo'] });
    const reset = await fetch(`${em.apiUrl}/_emulator/reset`, { method: 'POST' });
    assert.equal(reset.status, 200);
    assert.equal((await api.get(u.upload_id)).status, 404);
    assert.equal(await storedStatus(em.storageUrl, u.s3_key), 404);
  });
});

describe('syncConfirmMs', () => {
  it('a synchronous confirm answers after the processing time set, COMPLETED', async () => {
    const slow = await startEmulator({ syncConfirmMs: 150 });
    try {
      const api = client(slow);
      const { json: u } = await api.create({ filename: 'a.txt', content_type: 'text/plain', file_size_bytes: 3 });
      const stored = await put(u.presigned_url, 'abc', 'text/plain');
      const started = Date.now();
      const { status, json } = await api.confirm(u.upload_id, { etag: stored.headers.get('etag'), file_size_bytes: 3 });
      assert.equal(status, 200);
      assert.equal(json.status, 'COMPLETED');
      assert.ok(Date.now() - started >= 140, `answered after ${Date.now() - started} ms`);
    } finally {
      await slow.close();
    }
  });
});
