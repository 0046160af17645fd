/** The headless engine, without the element, against the emulator. */
import { expect } from '@esm-bundle/chai';
import { createMemoryJournal } from '../../src/engine/journal.ts';
import { createUploader, type UploaderOptions } from '../../src/engine/uploader.ts';
import { fingerprint } from '../../src/hash/fingerprint.ts';
import { createWorkerHasher, type Hasher } from '../../src/hash/hasher.ts';
import { createUppyTransfer } from '../../src/transfer/uppy-transfer.ts';
import {
  apiBodies,
  emulatorRequests,
  env,
  journalRecord,
  type LoggedRequest,
  patternFile,
  resetEmulator,
  setFaults,
} from '../support/fixtures.ts';

const options = (over: Partial<UploaderOptions> = {}): Partial<UploaderOptions> => ({
  apiUrl: env.apiUrl,
  bucket: env.bucket,
  namespace: env.namespace,
  apiKey: env.apiKey,
  taskPollInterval: 200,
  ...over,
});

const apiHeaders = () => ({ Authorization: `Bearer ${env.apiKey}`, 'X-Namespace': env.namespace, 'Content-Type': 'application/json' });

/** An upload of `hello.txt` (5 bytes) created and PUT straight through the API, as a page before a reload would have. */
async function storedUpload(): Promise<{ upload_id: string; presigned_url: string; expires_at: string }> {
  const created = await fetch(`${env.apiUrl}/v1/buckets/${env.bucket}/uploads/batch`, {
    method: 'POST',
    headers: apiHeaders(),
    body: JSON.stringify({ uploads: [{ filename: 'hello.txt', content_type: 'text/plain', file_size_bytes: 5 }] }),
  }).then((r) => r.json() as Promise<{ uploads: { upload_id: string; presigned_url: string; expires_at: string }[] }>);
  const upload = created.uploads[0]!;
  await fetch(upload.presigned_url, { method: 'PUT', body: 'hello', headers: { 'Content-Type': 'text/plain' } });
  return upload;
}

/** What a journal knows of `storedUpload()`'s file. */
const hello = { size: 5, lastModified: 1, contentType: 'text/plain' };

/**
 * An engine restored after a reload whose journal holds `storedUpload()`'s file as `created`
 * (its bytes went with the old page). `apiUrl` gives each test its own target: a page restores
 * a target once.
 */
async function restoredWithCreated(apiUrl: string) {
  const upload = await storedUpload();
  const target = `${apiUrl}|${env.bucket}|${env.namespace}`;
  const journal = createMemoryJournal();
  const record = { ...hello, state: 'created' as const, uploadId: upload.upload_id, url: upload.presigned_url };
  journal.put(journalRecord(target, 'hello.txt', { ...record, expiresAt: Date.parse(upload.expires_at) }));
  const uploader = createUploader(options({ apiUrl, journal }));
  await uploader.restore();
  return { upload, uploader, journal, target };
}

/** An upload's status at the emulator. */
async function uploadStatus(uploadId: string): Promise<string> {
  const response = await fetch(`${env.apiUrl}/v1/buckets/${env.bucket}/uploads/${uploadId}`, { headers: apiHeaders() });
  return ((await response.json()) as { status: string }).status;
}

describe('Uploader (headless engine)', () => {
  beforeEach(resetEmulator);

  it('uses an injected hasher, and a wrong MD5 fails only that file with the server reason', async () => {
    const real = createWorkerHasher({ workers: 1 });
    const hasher: Hasher = {
      md5: async (blob, opts) => ((blob as File).name === 'bad.txt' ? '0'.repeat(32) : real.md5(blob, opts)),
    };
    const uploader = createUploader(options({ hasher }));
    const errors: { code: string; message: string; name: string }[] = [];
    uploader.addEventListener('mixpeek-file-error', (e) => errors.push((e as CustomEvent).detail));
    uploader.addFiles([patternFile('good.txt', 100, 'text/plain'), patternFile('bad.txt', 100, 'text/plain')]);
    const summary = await uploader.upload();
    real.dispose?.();

    expect(summary.confirmed).to.equal(1);
    expect(summary.failed).to.equal(1);
    expect(summary.batches[0]!.status).to.equal('COMPLETED_WITH_ERRORS');
    const bad = summary.files.find((f) => f.name === 'bad.txt')!;
    expect(bad.status).to.equal('failed');
    expect(bad.error?.code).to.equal('processing-failed');
    expect(bad.error?.message.toLowerCase()).to.include('etag');
    expect(errors.map((e) => e.name)).to.deep.equal(['bad.txt']);
    expect(summary.files.find((f) => f.name === 'good.txt')!.status).to.equal('done');
  });

  it("fails the files of a refused create with the server's message and no PUT", async () => {
    const uploader = createUploader(options({ bucket: 'no-such-bucket' }));
    uploader.addFiles([patternFile('a.txt', 10, 'text/plain')]);
    const summary = await uploader.upload();
    expect(summary.failed).to.equal(1);
    expect(summary.files[0]!.error?.code).to.equal('create-failed');
    expect(summary.files[0]!.error?.message).to.match(/bucket/i);
    expect(summary.files[0]!.error?.status, 'the API status travels with the error').to.equal(404);
    expect(summary.files[0]!.error?.cause).to.be.instanceOf(Error);
    expect((await emulatorRequests()).filter((r) => r.kind === 'storage')).to.have.length(0);
  });

  it('shows the storage error code when storage refuses a PUT, and does not retry it forever', async () => {
    // A transfer that sends another Content-Type than the one the URL was signed for.
    const uploader = createUploader(
      options({
        createTransfer: (opts) => {
          const real = createUppyTransfer(opts);
          return {
            put: (job, onProgress, signal) => real.put({ ...job, contentType: 'text/html' }, onProgress, signal),
            dispose: () => real.dispose(),
          };
        },
      }),
    );
    uploader.addFiles([patternFile('page.txt', 10, 'text/plain')]);
    const summary = await uploader.upload();
    expect(summary.failed).to.equal(1);
    expect(summary.files[0]!.error?.code).to.equal('upload-failed');
    expect(summary.files[0]!.error?.message).to.include('SignatureDoesNotMatch');
    await new Promise((r) => setTimeout(r, 200));
    const log = await emulatorRequests();
    expect(log.filter((r) => r.kind === 'storage' && r.method === 'PUT')).to.have.length(1);
    expect(log.filter((r) => r.path.endsWith('/confirm/batch'))).to.have.length(0);
    // The upload whose PUT failed is canceled at Mixpeek rather than left PENDING.
    expect(log.filter((r) => r.method === 'DELETE').map((r) => r.path.split('/').pop())).to.deep.equal([summary.files[0]!.uploadId]);
  });

  it('pause() then resume() in the same task still ends with every file confirmed once', async () => {
    const uploader = createUploader(options({ concurrency: 2 }));
    uploader.addFiles(Array.from({ length: 4 }, (_, i) => patternFile(`p${i}.bin`, 4 * 1024 * 1024, 'application/octet-stream', i)));
    const done = uploader.upload();
    await new Promise<void>((resolve) => uploader.addEventListener('mixpeek-upload-progress', () => resolve(), { once: true }));
    uploader.pause();
    uploader.resume();
    const summary = await done;
    expect(summary.confirmed).to.equal(4);
    const ids = (await apiBodies<{ confirmations: { upload_id: string }[] }>('POST', '/uploads/confirm/batch')).flatMap((b) =>
      b.confirmations.map((c) => c.upload_id),
    );
    expect(ids.sort()).to.deep.equal(summary.files.map((f) => f.uploadId).sort());
  });

  it('pauses and resumes one file while the others go on', async () => {
    const uploader = createUploader(options({ concurrency: 2 }));
    const [held] = uploader.addFiles([
      patternFile('held.bin', 2 * 1024 * 1024, 'application/octet-stream', 1),
      ...Array.from({ length: 3 }, (_, i) => patternFile(`free${i}.bin`, 200_000, 'application/octet-stream', i)),
    ]);
    uploader.pause(held!.fileId);
    const done = uploader.upload();
    await new Promise<void>((resolve) =>
      uploader.addEventListener('change', () => {
        if (uploader.files.filter((f) => f.status === 'processing' || f.status === 'done').length === 3) resolve();
      }),
    );
    expect(uploader.files[0]!.bytesUploaded).to.equal(0);
    expect(uploader.running).to.equal(true);
    uploader.resume(held!.fileId);
    const summary = await done;
    expect(summary.confirmed).to.equal(4);
  });

  it('bytesSent drops to 0 when a paused PUT will be redone from the start; bytesUploaded never decreases', async () => {
    await setFaults({ latencyMs: { storage: 1500 } }); // the PUT's answer comes late: time to pause it
    const uploader = createUploader(options({ concurrency: 1 }));
    const [file] = uploader.addFiles([patternFile('again.bin', 8 * 1024 * 1024, 'application/octet-stream')]);
    const done = uploader.upload();
    await new Promise<void>((resolve) => uploader.addEventListener('mixpeek-upload-progress', () => resolve(), { once: true }));
    const before = uploader.files[0]!;
    expect(before.bytesSent).to.be.greaterThan(0);
    uploader.pause(file!.fileId);
    const paused = uploader.files[0]!;
    expect(paused.bytesSent).to.equal(0);
    expect(paused.bytesUploaded).to.be.at.least(before.bytesUploaded);
    await setFaults({});
    uploader.resume(file!.fileId);
    const summary = await done;
    expect(summary.confirmed).to.equal(1);
    expect(summary.files[0]!.bytesSent).to.equal(8 * 1024 * 1024);
  });

  it('cancel() while the batch create is in flight deletes the uploads it created', async () => {
    let releaseCreate!: () => void;
    const held = new Promise<void>((r) => (releaseCreate = r));
    const slowFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(input).endsWith('/uploads/batch')) await held; // the server has answered; the page has not read it yet
      return response;
    };
    const uploader = createUploader(options({ fetch: slowFetch }));
    uploader.addFiles([patternFile('c1.txt', 5, 'text/plain'), patternFile('c2.txt', 6, 'text/plain')]);
    const done = uploader.upload();
    await new Promise((r) => setTimeout(r, 300));
    uploader.cancel();
    releaseCreate();
    const summary = await done;
    expect(summary.files.map((f) => f.status)).to.deep.equal(['canceled', 'canceled']);
    await new Promise((r) => setTimeout(r, 300));
    const listed = await fetch(`${env.apiUrl}/v1/buckets/${env.bucket}/uploads/list`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${env.apiKey}`, 'X-Namespace': env.namespace, 'Content-Type': 'application/json' },
      body: '{}',
    }).then((r) => r.json() as Promise<{ results: { status: string }[] }>);
    expect(listed.results.map((u) => u.status)).to.deep.equal(['CANCELED', 'CANCELED']);
  });

  it('normalizes what a plugged-in hasher answers, and fails a file whose hasher answers nonsense', async () => {
    const real = createWorkerHasher({ workers: 1 });
    const hasher: Hasher = {
      md5: async (blob, opts) => ((blob as File).name === 'junk.txt' ? 'not-an-md5' : `"${(await real.md5(blob, opts)).toUpperCase()}"`),
    };
    const uploader = createUploader(options({ hasher }));
    uploader.addFiles([
      patternFile('hello.txt', 0, 'text/plain'),
      new File(['hello'], 'hello.txt', { type: 'text/plain' }),
      patternFile('junk.txt', 3, 'text/plain'),
    ]);
    const summary = await uploader.upload();
    real.dispose?.();
    const [sent] = await apiBodies<{ confirmations: { etag: string }[] }>('POST', '/uploads/confirm/batch');
    expect(sent!.confirmations.map((c) => c.etag)).to.deep.equal(['5d41402abc4b2a76b9719d911017c592']);
    expect(summary.files.find((f) => f.name === 'junk.txt')?.error?.code).to.equal('hash-failed');
  });

  it('one file Mixpeek refuses does not fail the rest of its batch', async () => {
    const uploader = createUploader(options({ uploadParams: (file) => (file.name === 'bad.txt' ? { blob_property: 'not valid!' } : {}) }));
    uploader.addFiles(['a.txt', 'bad.txt', 'b.txt'].map((n, i) => patternFile(n, 4 + i, 'text/plain', i)));
    const summary = await uploader.upload();
    expect(summary.files.map((f) => [f.name, f.status])).to.deep.equal([
      ['a.txt', 'done'],
      ['bad.txt', 'failed'],
      ['b.txt', 'done'],
    ]);
    expect(summary.files[1]!.error?.message).to.include('blob_property');
  });

  it('sends safe names and valid types for odd files, keeping the original name in metadata', async () => {
    const uploader = createUploader(options());
    uploader.addFiles([
      new File(['a'], 'tab\there.txt', { type: 'text/plain' }),
      new File(['b'], 'weird.dat', { type: 'foo' }),
      new File(['c'], `${'x'.repeat(300)}.txt`, { type: 'text/plain' }),
    ]);
    const summary = await uploader.upload();
    expect(summary.confirmed).to.equal(3);
    const items = (
      await apiBodies<{ uploads: { filename: string; content_type: string; metadata?: Record<string, string> }[] }>(
        'POST',
        '/uploads/batch',
      )
    ).flatMap((b) => b.uploads);
    expect(items.map((i) => i.filename)).to.deep.equal(['tabhere.txt', 'weird.dat', `${'x'.repeat(251)}.txt`]);
    expect(items[1]!.content_type).to.equal('application/octet-stream');
    expect(items[0]!.metadata?.original_filename).to.equal('tab\there.txt');
    expect(items[2]!.metadata?.original_filename).to.have.length(304);
  });

  it('a concurrency raised between runs applies to the next run', async () => {
    const seen: number[] = [];
    const uploader = createUploader(
      options({
        concurrency: 1,
        createTransfer: (opts) => {
          seen.push(opts.concurrency);
          return createUppyTransfer(opts);
        },
      }),
    );
    uploader.addFiles([patternFile('r1.txt', 3, 'text/plain')]);
    await uploader.upload();
    uploader.configure({ concurrency: 4 });
    uploader.addFiles([patternFile('r2.txt', 3, 'text/plain')]);
    await uploader.upload();
    expect(seen).to.deep.equal([1, 4]);
  });

  it('rejects upload() without a bucket or with a batch size outside 1..100', async () => {
    for (const bad of [{ bucket: '' }, { batchSize: 0 }, { batchSize: 101 }]) {
      const uploader = createUploader(options(bad));
      uploader.addFiles([patternFile('a.txt', 1)]);
      const error = await uploader.upload().then(
        () => null,
        (e: { code?: string }) => e,
      );
      expect(error?.code).to.equal('invalid-options');
      expect(uploader.error?.message).to.match(/bucket|batch-size/);
    }
  });

  it('cancel() stops transfers and deletes the uploads it created, confirming nothing', async () => {
    const uploader = createUploader(options({ concurrency: 2 }));
    uploader.addFiles(Array.from({ length: 6 }, (_, i) => patternFile(`big-${i}.bin`, 4 * 1024 * 1024, 'application/octet-stream', i)));
    const done = uploader.upload();
    await new Promise<void>((resolve) => uploader.addEventListener('mixpeek-upload-progress', () => resolve(), { once: true }));
    uploader.cancel();
    const summary = await done;
    expect(summary.files.every((f) => f.status === 'canceled')).to.equal(true);
    await new Promise((r) => setTimeout(r, 300));
    const log = await emulatorRequests();
    expect(log.filter((r) => r.path.endsWith('/confirm/batch'))).to.have.length(0);
    const created = summary.files.map((f) => f.uploadId).filter(Boolean);
    const deleted = log.filter((r) => r.method === 'DELETE').map((r) => r.path.split('/').pop());
    expect(created.length).to.be.greaterThan(0);
    expect(deleted.sort()).to.deep.equal([...created].sort());
  });

  it('counts canceled files in the summary, in mixpeek-complete and in totals, apart from failed ones', async () => {
    const uploader = createUploader(options({ concurrency: 1 }));
    uploader.addFiles([
      patternFile('first.bin', 10, 'application/octet-stream'),
      ...Array.from({ length: 4 }, (_, i) => patternFile(`later-${i}.bin`, 2 * 1024 * 1024, 'application/octet-stream', i)),
    ]);
    const complete = new Promise<CustomEvent>((r) =>
      uploader.addEventListener('mixpeek-complete', (e) => r(e as CustomEvent), { once: true }),
    );
    const done = uploader.upload();
    await new Promise<void>((resolve) => uploader.addEventListener('mixpeek-upload-progress', () => resolve(), { once: true }));
    for (const f of uploader.files.filter((f) => f.name.startsWith('later-'))) uploader.cancel(f.fileId);
    const summary = await done;
    expect(summary.canceled).to.equal(4);
    expect(summary.failed).to.equal(0);
    expect(summary.confirmed).to.equal(1);
    expect((await complete).detail.canceled).to.equal(4);
    expect(uploader.totals.canceled).to.equal(4);
  });

  it('retry() uploads failed files again as new uploads', async () => {
    let fail = true;
    const real = createWorkerHasher({ workers: 1 });
    const hasher: Hasher = { md5: async (blob, opts) => (fail ? 'f'.repeat(32) : real.md5(blob, opts)) };
    const uploader = createUploader(options({ hasher }));
    uploader.addFiles([patternFile('x.txt', 10, 'text/plain')]);
    expect((await uploader.upload()).failed).to.equal(1);
    fail = false;
    const summary = await uploader.retry();
    real.dispose?.();
    expect(summary.confirmed).to.equal(1);
    expect(summary.failed).to.equal(0);
  });

  it('retry() brings back failed files only; canceled ones come back by name or with retryCanceled()', async () => {
    let fail = true;
    const real = createWorkerHasher({ workers: 1 });
    const hasher: Hasher = { md5: async (blob, opts) => (fail ? 'f'.repeat(32) : real.md5(blob, opts)) };
    const uploader = createUploader(options({ hasher, concurrency: 1, autoUpload: false }));
    uploader.addFiles([patternFile('bad.txt', 10, 'text/plain')]);
    expect((await uploader.upload()).failed).to.equal(1);
    fail = false;
    uploader.addFiles([patternFile('c1.txt', 11, 'text/plain'), patternFile('c2.txt', 12, 'text/plain')]);
    for (const f of uploader.files.filter((f) => f.status === 'queued')) uploader.cancel(f.fileId);
    let summary = await uploader.retry();
    expect(summary.confirmed).to.equal(1);
    expect(summary.canceled).to.equal(2);
    const c1 = uploader.files.find((f) => f.name === 'c1.txt')!;
    summary = await uploader.retry(c1.fileId);
    expect([summary.confirmed, summary.canceled]).to.deep.equal([2, 1]);
    summary = await uploader.retryCanceled();
    real.dispose?.();
    expect([summary.confirmed, summary.canceled, summary.failed]).to.deep.equal([3, 0, 0]);
  });

  it('confirms a journal ETag in canonical form, however it was stored', async () => {
    const upload = await storedUpload();
    const journal = createMemoryJournal();
    const target = `${env.apiUrl}|${env.bucket}|${env.namespace}`;
    journal.put(
      journalRecord(target, 'hello.txt', {
        ...hello,
        state: 'stored',
        uploadId: upload.upload_id,
        etag: '"5D41402ABC4B2A76B9719D911017C592"',
      }),
    );
    const uploader = createUploader(options({ journal, bucket: env.bucket }));
    await uploader.restore();
    await uploader.upload();
    const [body] = await apiBodies<{ confirmations: { etag: string }[] }>('POST', '/uploads/confirm/batch');
    expect(body!.confirmations[0]!.etag).to.equal('5d41402abc4b2a76b9719d911017c592');
  });

  it('a file that changed on disk after it was selected fails with that reason, naming the file', async () => {
    const root = await navigator.storage.getDirectory();
    const handle = await root.getFileHandle('c15-changed.bin', { create: true });
    let writable = await handle.createWritable();
    await writable.write(new Uint8Array(100_000).fill(1));
    await writable.close();
    const file = await handle.getFile();
    writable = await handle.createWritable();
    await writable.write(new Uint8Array(100_001).fill(2));
    await writable.close();
    try {
      const uploader = createUploader(options({ journal: false }));
      uploader.addFiles([file]);
      const summary = await uploader.upload();
      expect(summary.files[0]!.status).to.equal('failed');
      expect(summary.files[0]!.error!.message)
        .to.include('c15-changed.bin')
        .and.match(/could not be read/)
        .and.match(/changed since it was selected/);
    } finally {
      await root.removeEntry('c15-changed.bin');
    }
  });

  it('an API that never answers while the browser is online fails fast, saying why (no endless "Offline")', async () => {
    const uploader = createUploader(options({ apiUrl: 'http://127.0.0.1:9', retry: { baseDelay: 50, maxDelay: 200 } }));
    uploader.addFiles([patternFile('nowhere.txt', 5, 'text/plain')]);
    const summary = await uploader.upload();
    expect(summary.files[0]!.status).to.equal('failed');
    expect(summary.files[0]!.error!.message).to.match(/did not answer.*CORS/);
  });

  it('storage that never answers while the API does fails fast, naming its CORS (no endless "Offline")', async () => {
    // Nothing listens at port 9: to the page, as a bucket whose CORS refuses it, a PUT with no answer.
    const uploader = createUploader(
      options({
        retry: { baseDelay: 50, maxDelay: 200 },
        createTransfer: (opts) => {
          const real = createUppyTransfer(opts);
          return {
            put: (job, onProgress, signal) =>
              real.put({ ...job, url: job.url.replace(/\/\/127\.0\.0\.1:\d+/, '//127.0.0.1:9') }, onProgress, signal),
            dispose: () => real.dispose(),
          };
        },
      }),
    );
    uploader.addFiles([patternFile('refused.txt', 5, 'text/plain')]);
    const summary = await uploader.upload();
    expect(summary.files[0]!.status).to.equal('failed');
    expect(summary.files[0]!.error!.message).to.match(/did not answer the PUT.*CORS/);
  });

  it('1,000 small files: 10 creates and 10 confirms of 100, every file once, never more PUTs at once than concurrency', async () => {
    const count = 1000;
    const uploader = createUploader(options({ concurrency: 4, journal: false }));
    uploader.addFiles(Array.from({ length: count }, (_, i) => patternFile(`many-${i}.txt`, 1024, 'text/plain', i)));
    const summary = await uploader.upload();
    expect(summary.confirmed).to.equal(count);
    const creates = await apiBodies<{ uploads: unknown[] }>('POST', '/uploads/batch');
    const confirms = await apiBodies<{ confirmations: { upload_id: string }[] }>('POST', '/uploads/confirm/batch');
    expect(creates.map((b) => b.uploads.length)).to.deep.equal(Array(10).fill(100));
    expect(confirms.map((b) => b.confirmations.length)).to.deep.equal(Array(10).fill(100));
    expect(new Set(confirms.flatMap((b) => b.confirmations.map((c) => c.upload_id))).size).to.equal(count);
    // PUTs at once, from the emulator's log (arrival time and duration of each PUT).
    const puts = (await emulatorRequests()).filter((r) => r.kind === 'storage' && r.method === 'PUT') as (LoggedRequest & {
      time: number;
      durationMs: number;
    })[];
    expect(puts).to.have.length(count);
    const edges = puts.flatMap((r) => [
      [r.time, 1],
      [r.time + r.durationMs, -1],
    ]);
    edges.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    let open = 0;
    let most = 0;
    for (const [, step] of edges) {
      open += step!;
      most = Math.max(most, open);
    }
    expect(most).to.be.at.most(4);
  });

  // Each restore below uses its own target (a trailing slash on the API URL): a page restores a target once.
  it('a file whose upload was created before a reload and not added again: forgotten on clear(), its upload canceled', async () => {
    const { upload, uploader, journal, target } = await restoredWithCreated(`${env.apiUrl}/`);
    expect(uploader.lost.map((f) => f.name)).to.deep.equal(['hello.txt']);
    uploader.clear();
    expect(uploader.lost).to.have.length(0);
    expect(await journal.list(target)).to.deep.equal([]); // the next reload names nothing
    for (let i = 0; i < 50 && (await uploadStatus(upload.upload_id)) !== 'CANCELED'; i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(await uploadStatus(upload.upload_id)).to.equal('CANCELED');
  });

  it('a file whose upload was created before a reload, added again with other bytes: that upload is canceled, the next reload names nothing', async () => {
    const { upload, uploader, journal, target } = await restoredWithCreated(`${env.apiUrl}///`);
    expect(uploader.lost.map((f) => f.name)).to.deep.equal(['hello.txt']);
    // Same path, size and date; other bytes (edited in place, its date kept).
    uploader.addFiles([new File(['HELLO'], 'hello.txt', { type: 'text/plain', lastModified: 1 })]);
    expect(uploader.lost).to.have.length(0);
    const summary = await uploader.upload();
    expect(summary.files.map((f) => f.status)).to.deep.equal(['done']);
    expect(summary.files[0]!.uploadId).to.not.equal(upload.upload_id);
    await journal.flush();
    const left = await journal.list(target);
    expect(left.map((r) => r.uploadId)).to.deep.equal([summary.files[0]!.uploadId]);
    expect(left.map((r) => r.state)).to.deep.equal(['confirmed']);
    for (let i = 0; i < 50 && (await uploadStatus(upload.upload_id)) !== 'CANCELED'; i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(await uploadStatus(upload.upload_id)).to.equal('CANCELED');
  });

  it('a lost file added again with other bytes, then removed before its upload: named lost again; clear() cancels the old upload', async () => {
    const { upload, uploader, journal, target } = await restoredWithCreated(`${env.apiUrl}////`);
    const [again] = uploader.addFiles([new File(['HELLO'], 'hello.txt', { type: 'text/plain', lastModified: 1 })]);
    expect(uploader.lost).to.have.length(0);
    uploader.removeFile(again!.fileId);
    expect(uploader.lost.map((f) => f.name)).to.deep.equal(['hello.txt']);
    uploader.clear();
    await journal.flush();
    expect(await journal.list(target)).to.deep.equal([]);
    for (let i = 0; i < 50 && (await uploadStatus(upload.upload_id)) !== 'CANCELED'; i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(await uploadStatus(upload.upload_id)).to.equal('CANCELED');
  });

  it('a lost file added again with other bytes, after the original took its upload back: that upload is kept', async () => {
    const upload = await storedUpload();
    const apiUrl = `${env.apiUrl}/////`;
    const target = `${apiUrl}|${env.bucket}|${env.namespace}`;
    const original = new File(['hello'], 'hello.txt', { type: 'text/plain', lastModified: 1 });
    const journal = createMemoryJournal();
    const created = { ...hello, state: 'created' as const, uploadId: upload.upload_id, url: upload.presigned_url };
    const key = `${target}#${await fingerprint(original, 'hello.txt')}`;
    journal.put({ ...journalRecord(target, 'hello.txt', created), key, expiresAt: Date.parse(upload.expires_at) });
    // Another lost file, added again and paused: the journal's created uploads are still looked up.
    journal.put(journalRecord(target, 's.txt', { ...hello, state: 'created', uploadId: 'upl_other' }));
    const uploader = createUploader(options({ apiUrl, journal }));
    await uploader.restore();
    const [edited] = uploader.addFiles([new File(['HELLO'], 'hello.txt', { type: 'text/plain', lastModified: 1 })]);
    uploader.pause(edited!.fileId);
    uploader.addFiles([original]); // compared with the edited copy: other bytes, so added
    const [other] = uploader.addFiles([new File(['other'], 's.txt', { type: 'text/plain', lastModified: 1 })]);
    uploader.pause(other!.fileId);
    const run = uploader.upload();
    const doneOriginal = () => uploader.files.find((f) => f.file === original && f.status === 'done');
    for (let i = 0; i < 200 && !doneOriginal(); i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(doneOriginal()?.uploadId).to.equal(upload.upload_id); // it took its upload back
    uploader.resume(edited!.fileId);
    uploader.resume(other!.fileId);
    const summary = await run;
    expect(summary.files.map((f) => f.status)).to.deep.equal(['done', 'done', 'done']);
    await journal.flush();
    const kept = (await journal.list(target)).find((r) => r.uploadId === upload.upload_id);
    expect(kept?.state).to.equal('confirmed');
    expect(await uploadStatus(upload.upload_id)).to.equal('COMPLETED');
  });

  it('files compared for content (same name, size and date, no folder): each is listed once, and cancel() adds none', async () => {
    const uploader = createUploader(options({ journal: false }));
    const b = patternFile('r.bin', 100, '', 2);
    const [a] = uploader.addFiles([patternFile('r.bin', 100, '', 1)]);
    uploader.addFiles([b]); // compared with a…
    uploader.removeFile(a!.fileId); // …which goes meanwhile
    uploader.addFiles([b]); // nothing to compare with now: added at once
    const summary = await uploader.upload();
    expect(summary.files.filter((f) => f.file === b)).to.have.length(1);
    expect(summary.confirmed).to.equal(1);

    const other = createUploader(options({ journal: false }));
    other.addFiles([patternFile('c.bin', 100, '', 1)]);
    const run = other.upload();
    other.addFiles([patternFile('c.bin', 100, '', 2)]);
    other.cancel();
    expect((await run).files.map((f) => f.status)).to.deep.equal(['canceled']);
  });

  it('a file confirmed just before a reload: added again, it is skipped as already uploaded', async () => {
    const upload = await storedUpload();
    await fetch(`${env.apiUrl}/v1/buckets/${env.bucket}/uploads/confirm/batch`, {
      method: 'POST',
      headers: apiHeaders(),
      body: JSON.stringify({
        confirmations: [{ upload_id: upload.upload_id, etag: '5d41402abc4b2a76b9719d911017c592', file_size_bytes: 5 }],
      }),
    });
    for (let i = 0; i < 100 && (await uploadStatus(upload.upload_id)) !== 'COMPLETED'; i += 1) await new Promise((r) => setTimeout(r, 50));
    const apiUrl = `${env.apiUrl}//`;
    const target = `${apiUrl}|${env.bucket}|${env.namespace}`;
    const journal = createMemoryJournal();
    const file = new File(['hello'], 'hello.txt', { type: 'text/plain', lastModified: 1 });
    journal.put(
      journalRecord(target, 'hello.txt', {
        ...hello,
        state: 'confirming',
        uploadId: upload.upload_id,
        etag: '5d41402abc4b2a76b9719d911017c592',
      }),
    );
    const uploader = createUploader(options({ apiUrl, journal }));
    await uploader.restore();
    const rejected: string[] = [];
    uploader.addEventListener('mixpeek-file-rejected', (e) => rejected.push((e as CustomEvent<{ message: string }>).detail.message));
    expect(uploader.addFiles([file])).to.have.length(0);
    expect(rejected).to.have.length(1);
    expect(rejected[0]).to.include('was already uploaded');
  });
});
