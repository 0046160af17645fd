/**
 * Nothing lost: the engine against the emulator with each fault switched on. From the
 * emulator's request log: every file ends confirmed exactly once (or failed with its reason),
 * no request to a route came before its Retry-After, no upload is confirmed twice or without a
 * successful PUT, and events stay consistent.
 */
import { expect } from '@esm-bundle/chai';
import { createMemoryJournal } from '../../src/engine/journal.ts';
import { fingerprint } from '../../src/hash/fingerprint.ts';
import { createWorkerHasher } from '../../src/hash/hasher.ts';
import { createUploader, type Uploader, type UploaderOptions } from '../../src/engine/uploader.ts';
import type { UploadSummary } from '../../src/events.ts';
import {
  apiBodies,
  emulatorRequests,
  env,
  journalRecord,
  nodeMd5,
  pattern,
  patternFile,
  resetEmulator,
  setFaults,
  type LoggedRequest,
} from '../support/fixtures.ts';

const files = (n: number, size = 2048, prefix = 'f') =>
  Array.from({ length: n }, (_, i) => patternFile(`${prefix}${i}.bin`, size + i, 'application/octet-stream', i));

/** The emulator's API, no journal. */
const emulator = { apiUrl: env.apiUrl, bucket: env.bucket, namespace: env.namespace, apiKey: env.apiKey, journal: false as const };

/** Runs an upload and checks the invariants every fault must keep. */
async function run(input: File[], over: Partial<UploaderOptions> = {}, watch?: (uploader: Uploader) => void) {
  const uploader = createUploader({
    ...emulator,
    taskPollInterval: 200,
    retry: { baseDelay: 100, maxDelay: 1000, offlineTimeout: 60_000 },
    ...over,
  });
  const progress = new Map<string, number>();
  let completes = 0;
  uploader.addEventListener('mixpeek-upload-progress', (e) => {
    const d = (e as CustomEvent).detail;
    expect(d.bytesUploaded).to.be.at.least(progress.get(d.fileId) ?? 0);
    expect(d.bytesUploaded).to.be.at.most(d.bytesTotal);
    progress.set(d.fileId, d.bytesUploaded);
  });
  uploader.addEventListener('mixpeek-complete', () => (completes += 1));
  watch?.(uploader);
  uploader.addFiles(input);
  const summary: UploadSummary = await uploader.upload();
  expect(completes).to.equal(1);
  expect(summary.confirmed + summary.failed + summary.files.filter((f) => f.status === 'canceled').length).to.equal(input.length);

  const log = await emulatorRequests();
  const confirmed = (await apiBodies<{ confirmations: { upload_id: string }[] }>('POST', '/uploads/confirm/batch')).flatMap((b) =>
    b.confirmations.map((c) => c.upload_id),
  );
  expect(confirmed.length, 'an upload was confirmed twice').to.equal(new Set(confirmed).size);
  const stored = new Set(log.filter((r) => r.kind === 'storage' && r.method === 'PUT' && r.status === 200).map((r) => r.uploadId));
  for (const id of confirmed) expect(stored.has(id), `${id} confirmed without a stored PUT`).to.equal(true);
  return { summary, log, confirmed, uploader };
}

/** Every upload in the test bucket, as the emulator lists them. */
async function listUploads(): Promise<{ upload_id: string; filename: string; status: string }[]> {
  const response = await fetch(`${env.apiUrl}/v1/buckets/${env.bucket}/uploads/list?limit=1000`, {
    method: 'POST',
    body: '{}',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${env.apiKey}`, 'X-Namespace': env.namespace },
  });
  expect(response.status).to.equal(200);
  return ((await response.json()) as { results: { upload_id: string; filename: string; status: string }[] }).results;
}

/** When a logged request arrived at the emulator, ms. */
const startOf = (r: LoggedRequest & { time?: number }) => r.time ?? 0;

/** No request to the route came before the Retry-After of a 429 on it had passed. */
function checkRetryAfter(log: LoggedRequest[], suffix: string, seconds: number) {
  const calls = log.filter((r) => r.kind === 'api' && r.method === 'POST' && r.path.endsWith(suffix)) as (LoggedRequest & {
    time: number;
    durationMs: number;
  })[];
  const limited = calls.filter((r) => r.status === 429);
  expect(limited.length).to.be.greaterThan(0);
  for (const r of limited) {
    const next = calls.find((c) => startOf(c) > r.time - 5 && c !== r);
    if (next) expect(startOf(next) - r.time, `${suffix} called again too soon`).to.be.at.least(seconds * 1000 - 50);
  }
}

describe('faults', function () {
  this.timeout(120_000);
  beforeEach(async () => {
    await resetEmulator();
    await setFaults({});
  });
  after(() => setFaults({}));

  it('429 with Retry-After: 2 on create and confirm, twice each: waits, then finishes', async () => {
    await setFaults({
      rateLimit: [
        { route: 'create', times: 2, retryAfter: 2 },
        { route: 'confirm', times: 2, retryAfter: 2 },
      ],
    });
    const { summary, log } = await run(files(5));
    expect(summary.confirmed).to.equal(5);
    checkRetryAfter(log, '/uploads/batch', 2);
    checkRetryAfter(log, '/uploads/confirm/batch', 2);
  });

  it('429 without Retry-After, and on task polls: backs off and finishes', async () => {
    await setFaults({
      rateLimit: [
        { route: 'create', times: 2, retryAfter: null },
        { route: 'task', times: 3, retryAfter: 1 },
      ],
    });
    const { summary, log } = await run(files(3));
    expect(summary.confirmed).to.equal(3);
    expect(log.filter((r) => r.status === 429)).to.have.length(5);
  });

  it('PUTs answered 500, or cut mid-body: retried, each file confirmed once', async () => {
    await setFaults({ putFailures: { times: 6, mode: '500' } });
    const first = await run(files(4, 50_000, 'a'));
    expect(first.summary.confirmed).to.equal(4);
    await resetEmulator();
    await setFaults({ putFailures: { times: 4, mode: 'cut' } });
    const second = await run(files(4, 200_000, 'b'));
    expect(second.summary.confirmed).to.equal(4);
    expect(second.log.filter((r) => r.kind === 'storage' && r.method === 'PUT' && r.status !== 200).length).to.be.greaterThan(0);
  });

  it('expired presigned URLs: a new upload for that file, the dead one canceled and never confirmed', async () => {
    await setFaults({ presignedUrlTtlSeconds: 3, latencyMs: { storage: 400 } });
    const { summary, confirmed } = await run(files(8, 4096, 'x'), { concurrency: 1 });
    expect(summary.confirmed, JSON.stringify(summary.files.map((f) => [f.name, f.status, f.error?.message]))).to.equal(8);
    const created = (await apiBodies<{ uploads: unknown[] }>('POST', '/uploads/batch')).reduce((n, b) => n + b.uploads.length, 0);
    expect(created).to.be.greaterThan(8); // some files needed a fresh upload
    // On Mixpeek's side: each file has one live (confirmed) upload; every other one was canceled
    // (or failed, when it expired after its PUT and before its confirm: then the file went again).
    // Cancels are sent without waiting, so give the last ones a moment to land.
    let uploads = await listUploads();
    for (let i = 0; i < 50 && uploads.some((u) => u.status === 'PENDING'); i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      uploads = await listUploads();
    }
    expect(uploads).to.have.length(created);
    // (A confirm sent for an upload that had just expired fails, so `confirmed`, the ids sent in
    // confirms, may hold more than the live ones.)
    const live = uploads.filter((u) => u.status !== 'CANCELED' && u.status !== 'FAILED');
    expect(live, JSON.stringify(uploads)).to.have.length(8);
    expect(live.every((u) => u.status === 'COMPLETED' && confirmed.includes(u.upload_id))).to.equal(true);
  });

  it('an upload that expired after its PUT, before its confirm: the file goes again under a new upload', async () => {
    await setFaults({ presignedUrlTtlSeconds: 2 });
    const pool = createWorkerHasher();
    let calls = 0;
    // The first hash outlasts the upload's life (a slow disk, a busy machine).
    const hasher = {
      md5: async (blob: Blob) => {
        calls += 1;
        if (calls === 1) await new Promise((r) => setTimeout(r, 2500));
        return pool.md5(blob);
      },
      dispose: () => pool.dispose?.(),
    };
    const { summary, confirmed } = await run(files(1, 5000, 'late'), { hasher });
    expect(summary.confirmed, JSON.stringify(summary.files.map((f) => f.error))).to.equal(1);
    const uploads = await listUploads();
    expect(uploads).to.have.length(2);
    expect(uploads.filter((u) => u.status === 'COMPLETED').map((u) => u.upload_id)).to.deep.equal(confirmed.slice(-1));
  });

  it('a task ending COMPLETED_WITH_ERRORS fails only the named files; retry() resends only those', async () => {
    await setFaults({ taskOutcome: { fail: { 't1.bin': 'Processing failed: unsupported codec' } } });
    const { summary, uploader } = await run(files(3, 1000, 't'));
    expect(summary.batches[0]!.status).to.equal('COMPLETED_WITH_ERRORS');
    expect(summary.files.map((f) => f.status)).to.deep.equal(['done', 'failed', 'done']);
    expect(summary.files[1]!.error?.message).to.include('unsupported codec');

    await setFaults({});
    await resetEmulator();
    const again = await uploader.retry();
    expect(again.confirmed).to.equal(3);
    const sent = (await apiBodies<{ uploads: { filename: string }[] }>('POST', '/uploads/batch')).flatMap((b) =>
      b.uploads.map((u) => u.filename),
    );
    expect(sent).to.deep.equal(['t1.bin']);
  });

  it('a FAILED task without outputs: each file’s reason is read from its upload record', async () => {
    await setFaults({ taskOutcome: { status: 'FAILED', omitOutputs: true } });
    const { summary } = await run(files(2, 1000, 'u'));
    expect(summary.failed).to.equal(2);
    for (const f of summary.files) expect(f.error?.message).to.be.a('string').and.not.equal('');
  });

  it('no readable ETag from storage: the confirm carries the computed MD5 and the file completes', async () => {
    await setFaults({ omitEtag: true });
    const { summary } = await run(files(2, 3000, 'e'));
    expect(summary.confirmed).to.equal(2);
  });

  it('an object corrupted in storage fails that file with the ETag mismatch', async () => {
    await setFaults({ corrupt: ['c1.bin'] });
    const { summary } = await run(files(2, 3000, 'c'));
    expect(summary.files.map((f) => f.status)).to.deep.equal(['done', 'failed']);
    expect(summary.files[1]!.error?.message.toLowerCase()).to.include('etag');
  });

  it('a PUT that stalls is aborted and sent again', async () => {
    await setFaults({ latencyMs: { storage: 2500 } });
    let stalls = 0;
    const pending = run(files(2, 5000, 's'), { stallTimeout: 600 }, (uploader) =>
      uploader.addEventListener('change', () => {
        if (!uploader.online) stalls += 1;
      }),
    );
    await new Promise((r) => setTimeout(r, 1500));
    await setFaults({});
    const { summary } = await pending;
    expect(stalls).to.be.greaterThan(0);
    expect(summary.confirmed).to.equal(2);
  });

  it('a file changed since it was selected fails with that reason and is never confirmed', async () => {
    /** A File whose bytes differ on the second read, as a file edited on disk after selection. */
    class ChangingFile extends File {
      reads = 0;
      override slice(start?: number, end?: number, type?: string): Blob {
        this.reads += 1;
        return this.reads > 1 ? new Blob([new Uint8Array((end ?? this.size) - (start ?? 0)).fill(7)]) : super.slice(start, end, type);
      }
    }
    const changing = new ChangingFile([new Uint8Array(3000).fill(1)], 'draft.txt', { type: 'text/plain', lastModified: 1 });
    // The pool without its `fingerprint`: the engine then reads fingerprints on this thread, where
    // the override above is seen (a worker gets a plain copy of the File).
    const pool = createWorkerHasher();
    const hasher = { md5: pool.md5.bind(pool), dispose: () => pool.dispose?.() };
    const { summary, confirmed } = await run([changing, patternFile('fine.txt', 10, 'text/plain')], {
      journal: createMemoryJournal(),
      hasher,
    });
    expect(summary.files[0]!.status).to.equal('failed');
    expect(summary.files[0]!.error?.message).to.include('changed since it was selected');
    expect(confirmed).to.have.length(1);
  });

  it('a file that changes on disk while it waits for its PUT fails at once with that reason, never "offline"', async () => {
    const root = await navigator.storage.getDirectory();
    const handle = await root.getFileHandle('waits-then-changes.bin', { create: true });
    let writable = await handle.createWritable();
    await writable.write(pattern(5000));
    await writable.close();
    const changing = await handle.getFile();
    try {
      await setFaults({ latencyMs: { storage: 1500 } });
      let wentOffline = false;
      const pending = run([patternFile('first.bin', 1000), changing], { concurrency: 1 }, (uploader) => {
        uploader.addEventListener('change', () => {
          if (!uploader.online) wentOffline = true;
        });
        // Once its hash is done (hashing starts with the create), the file changes on disk.
        uploader.addEventListener('change', async function onChange() {
          if (!uploader.files[1]?.etag) return;
          uploader.removeEventListener('change', onChange);
          writable = await handle.createWritable();
          await writable.write(pattern(5000, 9));
          await writable.close();
        });
      });
      const { summary } = await pending;
      expect(summary.files[0]!.status).to.equal('done');
      expect(summary.files[1]!.status).to.equal('failed');
      expect(summary.files[1]!.error!.message)
        .to.include('waits-then-changes.bin')
        .and.match(/changed since it was selected/);
      expect(wentOffline, 'showed offline while the network was fine').to.equal(false);
    } finally {
      await setFaults({});
      await root.removeEntry('waits-then-changes.bin');
    }
  });

  it('PUTs slower than the URL lifetime: each renewed file keeps its slot, and every file is confirmed', async () => {
    await setFaults({ presignedUrlTtlSeconds: 3, latencyMs: { storage: 800 } });
    try {
      const { summary } = await run(files(5, 3000, 'slow'), { concurrency: 1 });
      expect(summary.confirmed, JSON.stringify(summary.files.map((f) => f.error?.message))).to.equal(5);
    } finally {
      await setFaults({});
    }
  });

  it('30 files whose URLs live 1 s, at concurrency 1: uploads are created just in time, and every file is confirmed once', async () => {
    await setFaults({ presignedUrlTtlSeconds: 1, latencyMs: { storage: 100 } });
    try {
      const { summary } = await run(files(30, 2000, 'jit'), { concurrency: 1 });
      expect(summary.failed, JSON.stringify(summary.files.map((f) => f.error?.message).filter(Boolean))).to.equal(0);
      expect(summary.confirmed).to.equal(30);
    } finally {
      await setFaults({});
    }
  });

  it('URLs that live 2 s behind a slow API and storage: every file confirmed, and only a few uploads renewed', async () => {
    await setFaults({ presignedUrlTtlSeconds: 2, latencyMs: { api: 200, storage: 200 } });
    try {
      const { summary } = await run(files(40, 200_000, 'slow-jit'), { concurrency: 3 });
      expect(summary.failed, JSON.stringify(summary.files.map((f) => f.error?.message).filter(Boolean))).to.equal(0);
      expect(summary.confirmed).to.equal(40);
      const created = (await apiBodies<{ uploads: unknown[] }>('POST', '/uploads/batch')).reduce((n, b) => n + b.uploads.length, 0);
      expect(created, 'uploads created for 40 files').to.be.at.most(80);
    } finally {
      await setFaults({});
    }
  });

  it('a file that fails (its create refused) stops its hashing', async () => {
    const signals: AbortSignal[] = [];
    // A hasher that only ever ends by being aborted.
    const never = (signal: AbortSignal | undefined) =>
      new Promise<never>((_, reject) => {
        signals.push(signal!);
        signal!.addEventListener('abort', () => reject(new DOMException('stopped', 'AbortError')));
      });
    const hasher = {
      md5: (_: Blob, o?: { signal?: AbortSignal }) => never(o?.signal),
      hash: (_: File, __: string, o?: { signal?: AbortSignal }) => never(o?.signal),
    };
    const { summary } = await run(files(3), { hasher, apiKey: 'sk_wrong' });
    expect(summary.failed).to.equal(3);
    expect(signals).to.have.length(3);
    expect(signals.every((s) => s.aborted)).to.equal(true);
  });

  it('a hasher whose hash() gives no fingerprint: each file is still journaled, with its fingerprint read apart', async () => {
    const pool = createWorkerHasher({ workers: 1 });
    const journal = createMemoryJournal();
    const input = [patternFile('tiny.bin', 10), patternFile('mid.bin', 70_000)];
    try {
      const hasher = {
        md5: pool.md5.bind(pool),
        fingerprint: pool.fingerprint!.bind(pool),
        hash: async (file: File, _path: string, o?: { signal?: AbortSignal }) => ({ md5: await pool.md5(file, o), fingerprint: undefined }),
      };
      const { summary } = await run(input, { hasher, journal });
      expect(summary.confirmed).to.equal(2);
      await journal.flush();
      const target = `${env.apiUrl}|${env.bucket}|${env.namespace}`;
      const keys = (await journal.list(target)).filter((r) => r.state === 'confirmed').map((r) => r.key);
      expect(keys.sort()).to.deep.equal((await Promise.all(input.map(async (f) => `${target}#${await fingerprint(f, f.name)}`))).sort());
    } finally {
      pool.dispose?.();
    }
  });

  it('the network gone for 3 s mid-upload: shows offline, waits, finishes, each file confirmed once', async () => {
    let sawOffline = false;
    const pending = run(files(6, 400_000, 'o'), { concurrency: 2 }, (uploader) =>
      uploader.addEventListener('change', () => {
        if (!uploader.online) sawOffline = true;
      }),
    );
    await new Promise((r) => setTimeout(r, 300)); // bytes are moving
    const started = Date.now();
    await setFaults({ offline: { forMs: 3000 } });
    const { summary } = await pending;
    expect(sawOffline).to.equal(true);
    expect(Date.now() - started).to.be.greaterThan(2500);
    expect(summary.confirmed).to.equal(6);
  });

  it('the network gone during the first PUT storage ever got: waits as offline, never blamed on CORS, confirmed once', async () => {
    // Storage has not answered once in this session, so four tries without an answer look like a
    // CORS refusal; the API, which answered the create, shows that the network is gone instead.
    await setFaults({ latencyMs: { storage: 1500 } });
    const uploader = createUploader({ ...emulator, retry: { baseDelay: 100, maxDelay: 1000 } });
    let sawOffline = false;
    uploader.addEventListener('change', () => {
      if (!uploader.online) sawOffline = true;
    });
    const moving = new Promise((resolve) => uploader.addEventListener('mixpeek-upload-progress', resolve, { once: true }));
    uploader.addFiles([patternFile('first.bin', 8 * 1024 * 1024)]);
    const pending = uploader.upload();
    await moving;
    await setFaults({ latencyMs: { storage: 1500 }, offline: { forMs: 6000 } });
    const back = new Promise((r) => setTimeout(r, 6100));
    const summary = await pending;
    await back; // the emulator answers again
    expect(summary.files.map((f) => f.error?.message ?? f.status)).to.deep.equal(['done']);
    expect(sawOffline).to.equal(true);
    const puts = (await emulatorRequests()).filter((r) => r.kind === 'storage' && r.method === 'PUT' && r.status === 200);
    expect(puts).to.have.length(1);
  });

  it("a route's Retry-After holds across configure() (the element configures at every add; frameworks pass new getHeaders)", async () => {
    await setFaults({ taskOutcome: { hold: true } });
    const uploader = createUploader({ ...emulator, taskPollInterval: 200 });
    uploader.addFiles(files(2));
    const pending = uploader.upload();
    const tasks = async () => (await emulatorRequests()).filter((r) => r.method === 'GET' && r.path.startsWith('/v1/tasks/'));
    const limitedPoll = async () => (await tasks()).find((r) => r.status === 429) as (LoggedRequest & { durationMs?: number }) | undefined;
    while ((await tasks()).length === 0) await new Promise((r) => setTimeout(r, 50));
    await setFaults({ taskOutcome: { hold: true }, rateLimit: [{ route: 'task', times: 1, retryAfter: 3 }] });
    while (!(await limitedPoll())) await new Promise((r) => setTimeout(r, 20));
    const limited = (await limitedPoll())!;
    uploader.configure({ ...emulator, getHeaders: () => ({}) }); // as the element at every add; a framework's new function
    uploader.addFiles(files(1, 999, 'late')); // its batch's task is polled inside the window
    await new Promise((r) => setTimeout(r, 3200));
    await setFaults({});
    expect((await pending).confirmed).to.equal(3);
    const answered = startOf(limited) + (limited.durationMs ?? 0);
    // A poll the browser had sent before it read the 429 may still arrive just after it.
    const early = (await tasks()).filter((r) => startOf(r) > answered + 100 && startOf(r) < answered + 2900);
    expect(
      early.map((r) => r.path),
      'task polls inside Retry-After',
    ).to.deep.equal([]);
  });

  it('a group from before a reload with one upload Mixpeek no longer has: that file fails, the others are confirmed', async () => {
    const headers = { Authorization: `Bearer ${env.apiKey}`, 'X-Namespace': env.namespace, 'Content-Type': 'application/json' };
    const bytes = [pattern(1000), pattern(2000, 7)];
    const created = (await (
      await fetch(`${env.apiUrl}/v1/buckets/${env.bucket}/uploads/batch`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          uploads: bytes.map((b, i) => ({ filename: `s${i}.bin`, content_type: 'application/octet-stream', file_size_bytes: b.length })),
        }),
      })
    ).json()) as { uploads: { upload_id: string; presigned_url: string }[] };
    const target = `${env.apiUrl}|${env.bucket}|${env.namespace}`;
    const journal = createMemoryJournal();
    const stored = (name: string, uploadId: string, size: number, etag: string) =>
      journalRecord(target, name, { state: 'stored', uploadId, size, etag });
    for (const [i, u] of created.uploads.entries()) {
      const put = await fetch(u.presigned_url, { method: 'PUT', body: bytes[i]!, headers: { 'Content-Type': 'application/octet-stream' } });
      expect(put.status).to.equal(200);
      journal.put(stored(`s${i}.bin`, u.upload_id, bytes[i]!.length, await nodeMd5(bytes[i]!)));
    }
    journal.put(stored('stale.bin', 'upl_no_longer_exists', 10, '0'.repeat(32)));

    const uploader = createUploader({
      apiUrl: env.apiUrl,
      bucket: env.bucket,
      namespace: env.namespace,
      apiKey: env.apiKey,
      journal,
      taskPollInterval: 200,
    });
    const complete = new Promise<UploadSummary>((resolve) =>
      uploader.addEventListener('mixpeek-complete', (e) => resolve((e as CustomEvent<UploadSummary>).detail), { once: true }),
    );
    await uploader.restore();
    const summary = await complete;
    expect(summary.files.map((f) => [f.name, f.status]).sort()).to.deep.equal([
      ['s0.bin', 'done'],
      ['s1.bin', 'done'],
      ['stale.bin', 'failed'],
    ]);
    expect(summary.files.find((f) => f.name === 'stale.bin')!.error!.message).to.match(/upl_no_longer_exists/);
    uploader.dispose();
  });
});
