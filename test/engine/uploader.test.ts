/** The headless engine, without the element, against the emulator. */
import { expect } from '@esm-bundle/chai';
import { createUploader, type UploaderOptions } from '../../src/engine/uploader.ts';
import { createWorkerHasher, type Hasher } from '../../src/hash/hasher.ts';
import { createUppyTransfer } from '../../src/transfer/uppy-transfer.ts';
import { emulatorRequests, env, patternFile, resetEmulator } from '../support/fixtures.ts';

const options = (over: Partial<UploaderOptions> = {}): Partial<UploaderOptions> => ({
  apiUrl: env.apiUrl,
  bucket: env.bucket,
  namespace: env.namespace,
  apiKey: env.apiKey,
  taskPollInterval: 200,
  ...over,
});

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
    expect((await emulatorRequests()).filter((r) => r.kind === 'storage')).to.have.length(0);
  });

  it('shows the storage error code when storage refuses a PUT, and does not retry it forever', async () => {
    // A transfer that sends another Content-Type than the one the URL was signed for.
    const uploader = createUploader(
      options({
        createTransfer: (opts) => {
          const real = createUppyTransfer(opts);
          return { put: (job, onProgress, signal) => real.put({ ...job, contentType: 'text/html' }, onProgress, signal), dispose: () => real.dispose() };
        },
      }),
    );
    uploader.addFiles([patternFile('page.txt', 10, 'text/plain')]);
    const summary = await uploader.upload();
    expect(summary.failed).to.equal(1);
    expect(summary.files[0]!.error?.code).to.equal('upload-failed');
    expect(summary.files[0]!.error?.message).to.include('SignatureDoesNotMatch');
    const log = await emulatorRequests();
    expect(log.filter((r) => r.kind === 'storage' && r.method === 'PUT')).to.have.length(1);
    expect(log.filter((r) => r.path.endsWith('/confirm/batch'))).to.have.length(0);
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
    }
  });

  it('cancel() stops transfers and deletes the uploads it created, confirming nothing', async () => {
    const uploader = createUploader(options({ concurrency: 2 }));
    uploader.addFiles(Array.from({ length: 6 }, (_, i) => patternFile(`big-${i}.bin`, 4 * 1024 * 1024, 'application/octet-stream', i)));
    const done = uploader.upload();
    await new Promise<void>((resolve) =>
      uploader.addEventListener('mixpeek-upload-progress', () => resolve(), { once: true }),
    );
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
});
