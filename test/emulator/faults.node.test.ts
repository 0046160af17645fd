/**
 * Fault injection over real HTTP on 127.0.0.1: the control route, and each fault switched on
 * and off — 429s with and without Retry-After, PUT 500 and cut PUTs, short-lived URLs, task
 * outcomes, a missing ETag, corrupted objects, latency and the offline window.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { faultsFromFlags } from '../../src/emulator/fault-flags.ts';
import { startEmulator, type Emulator, type EmulatorRequestLogEntry, type Faults } from '../../src/emulator/index.ts';
import { client, md5, put, sleep, type Json } from './helpers.ts';

let offsetMs = 0;
let em: Emulator;
let api: ReturnType<typeof client>;
const ORIGIN = 'http://localhost:5173';

before(async () => {
  em = await startEmulator({ taskStepMs: 20, clock: () => Date.now() + offsetMs });
  api = client(em);
});
after(async () => {
  await em.close();
});
afterEach(() => {
  offsetMs = 0;
  em.reset();
});

/** POSTs a fault set to the control route (as a browser test would). */
async function setFaults(faults: Faults | Json): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${em.apiUrl}/_emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN },
    body: JSON.stringify(faults),
  });
  return { status: res.status, json: (await res.json()) as Json };
}

/** Creates one upload and returns it. */
async function create(filename: string, contentType = 'text/plain'): Promise<Json> {
  const res = await api.create({ filename, content_type: contentType });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

/** Creates and uploads files; returns `{upload, body}` per file. */
async function uploaded(files: Record<string, string>): Promise<{ upload: Json; body: string }[]> {
  const out = [];
  for (const [filename, body] of Object.entries(files)) {
    const upload = await create(filename);
    const res = await put(upload.presigned_url, body, 'text/plain');
    assert.equal(res.status, 200, res.text);
    out.push({ upload, body });
  }
  return out;
}

/** Batch-confirms with the client's etags and waits for the task. */
async function confirmAll(items: { upload: Json; body: string }[]): Promise<Json> {
  const res = await api.confirmBatch(
    // file_size_bytes must be ≥ 1 when given.
    items.map(({ upload, body }) => ({ upload_id: upload.upload_id, etag: md5(body), file_size_bytes: body.length || null })),
  );
  assert.equal(res.status, 200, res.text);
  return (await api.waitTask(res.json.task_id)).task;
}

const logOf = (path: string): EmulatorRequestLogEntry[] => em.requests.filter((r) => r.path === path);

describe('control route', () => {
  it('POST replaces the set, GET reads it, {} and reset clear it; CORS like the other control routes', async () => {
    const set = await setFaults({ omitEtag: true, latencyMs: { api: 0 } });
    assert.equal(set.status, 200);
    assert.deepEqual(set.json, { omitEtag: true, latencyMs: { api: 0 } });
    assert.deepEqual(em.faults(), { omitEtag: true, latencyMs: { api: 0 } });
    const replaced = await setFaults({ corrupt: ['x.txt'] });
    assert.deepEqual(replaced.json, { corrupt: ['x.txt'] });
    const got = await fetch(`${em.apiUrl}/_emulator/faults`, { headers: { origin: ORIGIN } });
    assert.equal(got.headers.get('access-control-allow-origin'), ORIGIN);
    assert.deepEqual(await got.json(), { corrupt: ['x.txt'] });
    assert.deepEqual((await setFaults({})).json, {});

    em.setFaults({ omitEtag: true });
    const reset = await fetch(`${em.apiUrl}/_emulator/reset`, { method: 'POST' });
    assert.equal(reset.status, 200);
    assert.deepEqual(em.faults(), {});

    const pre = await fetch(`${em.apiUrl}/_emulator/faults`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), ORIGIN);
  });

  it('refuses bad fault sets with 400 naming the field, keeping the old set', async () => {
    em.setFaults({ omitEtag: true });
    for (const [body, field] of [
      [{ rateLimit: [{ route: 'upload', times: 1 }] }, /rateLimit\[0\]\.route/],
      [{ rateLimit: [{ route: 'create', times: -1 }] }, /rateLimit\[0\]\.times/],
      [{ putFailures: { times: 1, mode: 'slow' } }, /putFailures\.mode/],
      [{ presignedUrlTtlSeconds: 0 }, /presignedUrlTtlSeconds/],
      [{ taskOutcome: { status: 'COMPLETED' } }, /taskOutcome\.status/],
      [{ omitETag: true }, /unknown field 'omitETag'/],
    ] as const) {
      const res = await setFaults(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.json.error.type, 'BadRequestError');
      assert.match(res.json.error.message, field);
    }
    assert.deepEqual(em.faults(), { omitEtag: true });
    assert.throws(() => em.setFaults({ latencyMs: { api: -5 } }), /latencyMs\.api/);
  });
});

describe('rateLimit', () => {
  it('answers 429 with Retry-After for the next `times` calls, creating nothing, then lets calls through', async () => {
    await setFaults({ rateLimit: [{ route: 'create', times: 2, retryAfter: 2 }] });
    for (let i = 0; i < 2; i += 1) {
      const res = await api.call(
        'POST',
        '/v1/buckets/demo/uploads/batch',
        { uploads: [{ filename: 'a.txt', content_type: 'text/plain' }] },
        { origin: ORIGIN },
      );
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '2');
      assert.match(res.headers.get('access-control-expose-headers') ?? '', /(^|, )Retry-After(,|$)/);
      assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
      assert.equal(res.json.success, false);
      assert.equal(res.json.status, 429);
      assert.equal(res.json.error.type, 'TooManyRequestsError');
      assert.deepEqual(res.json.error.details, { retry_after: 2 });
    }
    assert.equal((await api.list()).json.results.length, 0, 'a 429 creates nothing');
    assert.deepEqual(em.faults().rateLimit, [{ route: 'create', times: 0, retryAfter: 2 }]);
    assert.equal((await api.create({ filename: 'a.txt', content_type: 'text/plain' })).status, 201);
    const logged = logOf('/v1/buckets/demo/uploads/batch');
    assert.deepEqual(
      logged.map((r) => [r.status, r.fault]),
      [
        [429, 'rateLimit'],
        [429, 'rateLimit'],
      ],
    );
    assert.ok(logged.every((r) => typeof r.time === 'number' && r.time > 0));
  });

  it('without retryAfter: no Retry-After header and details.retry_after null; routes are told apart; `any` matches all', async () => {
    const [item] = await uploaded({ 'r.txt': 'r' });
    const id = item!.upload.upload_id as string;
    await setFaults({
      rateLimit: [
        { route: 'get', times: 1 },
        { route: 'confirm', times: 1, retryAfter: null },
      ],
    });
    assert.equal((await api.task('00000000-0000-4000-8000-000000000000')).status, 404, 'task is not limited');
    const got = await api.get(id);
    assert.equal(got.status, 429);
    assert.equal(got.headers.get('retry-after'), null);
    assert.deepEqual(got.json.error.details, { retry_after: null });
    assert.equal((await api.get(id)).status, 200);
    assert.equal((await api.confirm(id, { etag: md5('r') })).status, 429);
    assert.equal((await api.confirm(id, { etag: md5('r') })).status, 200);

    await setFaults({ rateLimit: [{ route: 'any', times: 4, retryAfter: 1 }] });
    const statuses = [
      (await api.list()).status,
      (await api.task('00000000-0000-4000-8000-000000000000')).status,
      (await api.remove(id)).status,
      (await api.create({ filename: 'x.txt', content_type: 'text/plain' })).status,
      (await api.list()).status,
    ];
    assert.deepEqual(statuses, [429, 429, 429, 429, 200]);
  });
});

describe('putFailures', () => {
  it("mode '500': S3 InternalError with CORS headers, nothing stored, then the next PUT succeeds", async () => {
    const upload = await create('p.txt');
    em.setFaults({ putFailures: { times: 1, mode: '500' } });
    const failed = await put(upload.presigned_url, 'hello', 'text/plain', { origin: ORIGIN });
    assert.equal(failed.status, 500);
    assert.match(failed.text, /<Error><Code>InternalError<\/Code>/);
    assert.equal(failed.headers.get('access-control-allow-origin'), ORIGIN);
    assert.match((await api.confirm(upload.upload_id, {})).json.error.message, /object not found/);

    const again = await create('p2.txt');
    const ok = await put(again.presigned_url, 'hello', 'text/plain');
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('etag'), `"${md5('hello')}"`);
    assert.deepEqual(em.faults().putFailures, { times: 0, mode: '500' });
    assert.deepEqual(
      em.requests.filter((r) => r.kind === 'storage').map((r) => [r.status, r.fault]),
      [
        [500, 'putFailure'],
        [200, undefined],
      ],
    );
  });

  it("mode 'cut': the connection drops midway (fetch rejects), nothing is stored, logged with status 0", async () => {
    const upload = await create('big.bin', 'application/octet-stream');
    await setFaults({ putFailures: { times: 1, mode: 'cut' } });
    // While a cut is pending the storage closes connections after each answer (see fault-injector.ts).
    const pre = await fetch(upload.presigned_url, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(pre.headers.get('connection'), 'close');
    const body = new Uint8Array(1024 * 1024).fill(7);
    await assert.rejects(put(upload.presigned_url, body, 'application/octet-stream'));
    await sleep(20);
    const entry = em.requests.find((r) => r.kind === 'storage' && r.method === 'PUT');
    assert.equal(entry?.status, 0);
    assert.equal(entry?.fault, 'putFailure');
    assert.ok(entry?.size !== undefined && entry.size >= body.length / 2 && entry.size < body.length, String(entry?.size));
    assert.match((await api.confirm(upload.upload_id, {})).json.error.message, /object not found/);

    const retry = await create('big2.bin', 'application/octet-stream');
    const ok = await put(retry.presigned_url, body, 'application/octet-stream');
    assert.equal(ok.status, 200);
    assert.notEqual(ok.headers.get('connection'), 'close');
  });
});

describe('presignedUrlTtlSeconds', () => {
  it('overrides the URL lifetime (below 60 s too); the storage then answers 403 Request has expired', async () => {
    await setFaults({ presignedUrlTtlSeconds: 1 });
    const res = await api.create({ filename: 't.txt', content_type: 'text/plain', presigned_url_expiration: 3600 });
    const upload = res.json;
    assert.equal(upload.presigned_url_expiration, 1);
    assert.match(upload.presigned_url, /X-Amz-Expires=1&/);
    const createdSecond = Math.floor(Date.parse(upload.created_at) / 1000) * 1000;
    assert.equal(Date.parse(upload.expires_at), createdSecond + 1000);

    offsetMs = 1200;
    const late = await put(upload.presigned_url, 'x', 'text/plain');
    assert.equal(late.status, 403);
    assert.match(late.text, /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);

    await setFaults({});
    offsetMs = 0;
    const normal = await create('t2.txt');
    assert.equal(normal.presigned_url_expiration, 3600);
    assert.equal((await put(normal.presigned_url, 'x', 'text/plain')).status, 200);
  });
});

describe('taskOutcome', () => {
  it('fail by filename or upload id → COMPLETED_WITH_ERRORS, the reason in outputs and on the upload', async () => {
    const items = await uploaded({ 'a.txt': 'a', 'b.txt': 'bb', 'c.txt': 'ccc' });
    const cId = items[2]!.upload.upload_id as string;
    await setFaults({ taskOutcome: { fail: { 'b.txt': 'virus found', [cId]: 'quota exceeded' } } });
    const task = await confirmAll(items);
    assert.equal(task.status, 'COMPLETED_WITH_ERRORS');
    assert.deepEqual(
      task.outputs.map((o: Json) => [o.status, o.error]),
      [
        ['COMPLETED', undefined],
        ['FAILED', 'virus found'],
        ['FAILED', 'quota exceeded'],
      ],
    );
    const b = await api.get(items[1]!.upload.upload_id);
    assert.equal(b.json.status, 'FAILED');
    assert.equal(b.json.message, 'virus found');
    assert.equal((await api.get(items[0]!.upload.upload_id)).json.status, 'COMPLETED');

    await setFaults({});
    const again = await confirmAll([items[1]!]);
    assert.equal(again.status, 'COMPLETED', 'a FAILED upload may be confirmed again once the fault is off');
  });

  it('status FAILED: every item fails, error and additional_data.error carry a summary', async () => {
    const items = await uploaded({ 'a.txt': 'a', 'b.txt': 'b' });
    await setFaults({ taskOutcome: { status: 'FAILED', fail: { 'a.txt': 'bad a' } } });
    const task = await confirmAll(items);
    assert.equal(task.status, 'FAILED');
    assert.equal(task.error, 'all 2 confirmations failed');
    assert.equal(task.additional_data.error, task.error);
    assert.deepEqual(
      task.outputs.map((o: Json) => o.error),
      ['bad a', 'confirmation failed (emulator fault: taskOutcome.status FAILED)'],
    );
    for (const { upload } of items) assert.equal((await api.get(upload.upload_id)).json.status, 'FAILED');
  });

  it('status CANCELED: nothing confirmed, uploads back to PENDING; COMPLETED_WITH_ERRORS only forces the status', async () => {
    const items = await uploaded({ 'a.txt': 'a' });
    await setFaults({ taskOutcome: { status: 'CANCELED' } });
    const canceled = await confirmAll(items);
    assert.equal(canceled.status, 'CANCELED');
    assert.equal((await api.get(items[0]!.upload.upload_id)).json.status, 'PENDING');

    await setFaults({ taskOutcome: { status: 'COMPLETED_WITH_ERRORS' } });
    const forced = await confirmAll(items);
    assert.equal(forced.status, 'COMPLETED_WITH_ERRORS');
    assert.equal(forced.outputs[0].status, 'COMPLETED');
    assert.equal((await api.get(items[0]!.upload.upload_id)).json.status, 'COMPLETED');
  });

  it('omitOutputs: a terminal task with outputs null; per-file results only by GET', async () => {
    const items = await uploaded({ 'a.txt': 'a', 'b.txt': 'b' });
    await setFaults({ taskOutcome: { omitOutputs: true, fail: { 'b.txt': 'nope' } } });
    const task = await confirmAll(items);
    assert.equal(task.status, 'COMPLETED_WITH_ERRORS');
    assert.equal(task.outputs, null);
    assert.deepEqual(task.additional_data.errors, []);
    assert.equal((await api.get(items[0]!.upload.upload_id)).json.status, 'COMPLETED');
    assert.equal((await api.get(items[1]!.upload.upload_id)).json.message, 'nope');

    await setFaults({});
    const [c] = await uploaded({ 'c.txt': 'c' });
    assert.equal((await confirmAll([c!])).outputs.length, 1);
  });
  it('hold: tasks (and their uploads) stay PROCESSING while the fault holds, then end as usual', async () => {
    const items = await uploaded({ 'h.txt': 'held' });
    await setFaults({ taskOutcome: { hold: true } });
    const res = await api.confirmBatch(
      items.map(({ upload, body }) => ({ upload_id: upload.upload_id, etag: md5(body), file_size_bytes: body.length })),
    );
    assert.equal(res.status, 200, res.text);
    await new Promise((r) => setTimeout(r, 400)); // 20 task steps of 20 ms
    assert.equal((await api.task(res.json.task_id)).json.status, 'PROCESSING');
    const held = (await api.get(items[0]!.upload.upload_id)).json;
    assert.deepEqual([held.status, held.task_id], ['PROCESSING', res.json.task_id]);
    await setFaults({});
    assert.equal((await api.waitTask(res.json.task_id)).task.status, 'COMPLETED');
    assert.equal((await api.get(items[0]!.upload.upload_id)).json.status, 'COMPLETED');
  });
});

describe('omitEtag and corrupt', () => {
  it('omitEtag: PUT answers 200 without an ETag header, CORS still fine; off again: ETag back', async () => {
    await setFaults({ omitEtag: true });
    const upload = await create('e.txt');
    const pre = await fetch(upload.presigned_url, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(pre.status, 200);
    const res = await put(upload.presigned_url, 'etag?', 'text/plain', { origin: ORIGIN });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('etag'), null);
    assert.ok(res.headers.get('access-control-allow-origin'));
    assert.equal(em.requests.at(-1)?.fault, 'omitEtag');
    assert.equal((await api.confirm(upload.upload_id, { etag: md5('etag?') })).status, 200, 'the object is stored');

    await setFaults({});
    const next = await create('e2.txt');
    assert.equal((await put(next.presigned_url, 'x', 'text/plain')).headers.get('etag'), `"${md5('x')}"`);
  });

  it('corrupt: the PUT answers the sent bytes’ ETag, the stored bytes differ, confirm fails with an ETag mismatch', async () => {
    await setFaults({ corrupt: ['bad.txt'] });
    const [bad, good] = await uploaded({ 'bad.txt': 'precious', 'good.txt': 'fine' });
    assert.equal(em.requests.find((r) => r.uploadId === bad!.upload.upload_id)?.fault, 'corrupt');
    const single = await api.confirm(bad!.upload.upload_id, { etag: md5('precious') });
    assert.equal(single.status, 400);
    assert.match(single.json.error.message, new RegExp(`ETag mismatch: confirmation has ${md5('precious')}`));

    const [bad2] = await uploaded({ 'bad.txt': '' });
    const task = await confirmAll([bad2!, good!]);
    assert.equal(task.status, 'COMPLETED_WITH_ERRORS');
    assert.match(task.outputs[0].error, /ETag mismatch/);
    assert.match(task.outputs[0].error, /stored object has 93b885adfe0da089cdf634904fd59f71/, 'an empty object gains a 0x00 byte');
    assert.equal(task.outputs[1].status, 'COMPLETED');
  });
});

describe('latencyMs', () => {
  it('delays API and storage responses (not the control routes); off again: fast', async () => {
    const timed = async (fn: () => Promise<unknown>): Promise<number> => {
      const t = performance.now();
      await fn();
      return performance.now() - t;
    };
    const upload = await create('l.txt');
    await setFaults({ latencyMs: { api: 200, storage: 150 } });
    assert.ok((await timed(() => api.get(upload.upload_id))) >= 195);
    assert.ok((await timed(() => put(upload.presigned_url, 'l', 'text/plain'))) >= 145);
    assert.ok((await timed(() => fetch(`${em.apiUrl}/_emulator/faults`))) < 150);
    await setFaults({});
    assert.ok((await timed(() => api.get(upload.upload_id))) < 150);
  });
});

describe('offline', () => {
  it('drops every connection on both servers for forMs, logging refused requests with status 0; then all works', async () => {
    const upload = await create('o.txt');
    // A request whose answer is pending (latency) when the window opens is dropped too.
    em.setFaults({ latencyMs: { api: 400 } });
    const inFlight = api.get(upload.upload_id);
    await sleep(50);
    const set = await setFaults({ offline: { forMs: 600 } });
    assert.equal(set.status, 200, 'the request that switches offline on gets its answer');
    assert.equal(set.json.offline.forMs, 600);
    assert.ok(set.json.offline.remainingMs > 500);
    await assert.rejects(inFlight);

    await assert.rejects(api.get(upload.upload_id));
    await assert.rejects(put(upload.presigned_url, 'o', 'text/plain'));
    await assert.rejects(fetch(`${em.apiUrl}/_emulator/faults`));
    await sleep(20);
    const refused = em.requests.filter((r) => r.status === 0);
    assert.deepEqual(
      refused.map((r) => [r.kind, r.method, r.fault]),
      [
        ['api', 'GET', 'offline'],
        ['api', 'GET', 'offline'],
        ['storage', 'PUT', 'offline'],
        ['control', 'GET', 'offline'],
      ],
    );

    await sleep(650);
    assert.equal(em.faults().offline?.remainingMs, 0);
    assert.equal((await api.get(upload.upload_id)).status, 200);
    assert.equal((await put(upload.presigned_url, 'o', 'text/plain')).status, 200);
  });
});

describe('CLI fault flags', () => {
  it('--faults JSON merged with the shorthand flags; malformed flags are refused', () => {
    assert.equal(faultsFromFlags({}), undefined);
    assert.deepEqual(
      faultsFromFlags({
        faults: '{"omitEtag":true,"rateLimit":[{"route":"task","times":1}]}',
        rateLimit: ['create:2:3', 'confirm:1'],
        putFailures: '1:cut',
        latencyMs: '50:200',
      }),
      {
        omitEtag: true,
        rateLimit: [
          { route: 'task', times: 1, retryAfter: null },
          { route: 'create', times: 2, retryAfter: 3 },
          { route: 'confirm', times: 1, retryAfter: null },
        ],
        putFailures: { times: 1, mode: 'cut' },
        latencyMs: { api: 50, storage: 200 },
      },
    );
    assert.deepEqual(faultsFromFlags({ latencyMs: '30' }), { latencyMs: { api: 30, storage: 30 } });
    assert.throws(() => faultsFromFlags({ faults: '{nope' }), /--faults: not JSON/);
    assert.throws(() => faultsFromFlags({ rateLimit: ['create'] }), /ROUTE:TIMES/);
    assert.throws(() => faultsFromFlags({ rateLimit: ['upload:1'] }), /rateLimit\[0\]\.route/);
    assert.throws(() => faultsFromFlags({ putFailures: '1:slow' }), /putFailures\.mode/);
  });
});
