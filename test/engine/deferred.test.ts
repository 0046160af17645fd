/**
 * The default transfer and hasher come in chunks of their own (src/engine/deferred.ts). A chunk
 * that cannot be loaded (not copied beside mixpeek-uploader.js, refused by a CSP) fails the
 * files that need it with that reason: no retries, no offline notice, nothing confirmed.
 */
import { expect } from '@esm-bundle/chai';
import { DeferredLoadError, deferredUppyTransfer, deferredWorkerHasher } from '../../src/engine/deferred.ts';
import { createMemoryJournal } from '../../src/engine/journal.ts';
import { fingerprint } from '../../src/hash/fingerprint.ts';
import { createUploader, type UploaderOptions } from '../../src/engine/uploader.ts';
import type { FileErrorDetail } from '../../src/events.ts';
import { apiBodies, emulatorRequests, env, patternFile, resetEmulator } from '../support/fixtures.ts';

const missing = (what: string) => () =>
  Promise.reject(
    new DeferredLoadError(
      `${what} could not be loaded (404): serve every dist/mixpeek-uploader*.js file from the folder of mixpeek-uploader.js.`,
    ),
  );

async function run(over: Partial<UploaderOptions>) {
  const uploader = createUploader({ apiUrl: env.apiUrl, bucket: env.bucket, namespace: env.namespace, apiKey: env.apiKey, ...over });
  const errors: FileErrorDetail[] = [];
  uploader.addEventListener('mixpeek-file-error', (e) => errors.push((e as CustomEvent<FileErrorDetail>).detail));
  uploader.addFiles([patternFile('a.bin', 1000), patternFile('b.bin', 2000)]);
  const summary = await uploader.upload();
  const online = uploader.online;
  uploader.dispose();
  return { summary, errors, online };
}

describe('deferred parts that cannot be loaded', () => {
  beforeEach(resetEmulator);

  it('the upload code: each file fails once with the reason, no PUT, no retry, not "offline"', async () => {
    const { summary, errors, online } = await run({
      journal: false,
      createTransfer: (o) => deferredUppyTransfer(o, missing('The upload code')),
    });
    expect(summary.failed).to.equal(2);
    expect(errors.map((e) => e.code)).to.deep.equal(['upload-failed', 'upload-failed']);
    expect(errors[0]!.message).to.match(/The upload code could not be loaded .*serve every dist\/mixpeek-uploader\*\.js file/);
    expect(online).to.equal(true);
    expect((await emulatorRequests()).filter((r) => r.kind === 'storage' && r.method === 'PUT')).to.have.length(0);
    expect(await apiBodies('POST', '/uploads/confirm/batch')).to.have.length(0);
  });

  it('the hashing pool: each file fails with the reason, nothing is confirmed; fingerprints are read on this thread', async () => {
    const journal = createMemoryJournal();
    const { summary, errors } = await run({ journal, hasher: deferredWorkerHasher(missing('The hashing code')) });
    expect(summary.failed).to.equal(2);
    expect(errors.map((e) => e.code)).to.deep.equal(['upload-failed', 'upload-failed']);
    expect(errors[0]!.message).to.match(/The hashing code could not be loaded/);
    expect(await apiBodies('POST', '/uploads/confirm/batch')).to.have.length(0);
    // The journal's fingerprints do not need the pool: they are read on this thread instead.
    const file = patternFile('c.bin', 300_000);
    expect(await deferredWorkerHasher(missing('The hashing code')).fingerprint!(file, 'c.bin')).to.equal(await fingerprint(file, 'c.bin'));
  });
});
