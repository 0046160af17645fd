/**
 * Files Mixpeek already has, against the emulator: with `skipDuplicates`, each file's SHA-256
 * goes with its create as `file_hash`, and a create answered `is_duplicate` or
 * `skipped_unique_key` ends the file `skipped`: no PUT, no confirm, the ids of what it matched.
 */
import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import { createMemoryJournal } from '../../src/engine/journal.ts';
import { fingerprint } from '../../src/hash/fingerprint.ts';
import { createWorkerHasher, type Hasher } from '../../src/hash/hasher.ts';
import { createUploader, type UploaderOptions } from '../../src/engine/uploader.ts';
import type { FileSkippedDetail, UploadSummary } from '../../src/events.ts';
import {
  emulatorRequests,
  env,
  journalRecord,
  pattern,
  patternFile,
  resetEmulator,
  setFaults,
  type LoggedRequest,
} from '../support/fixtures.ts';

const emulator = { apiUrl: env.apiUrl, bucket: env.bucket, namespace: env.namespace, apiKey: env.apiKey, journal: false as const };

/** `n` files of distinct content (offset `from + i`), named by `prefix`. */
const files = (n: number, prefix: string, from = 0, size = 3000) =>
  Array.from({ length: n }, (_, i) => patternFile(`${prefix}${from + i}.bin`, size + from + i, 'application/octet-stream', from + i));

/** Runs one engine over `input`; returns its summary, its skipped events and the requests it caused. */
async function run(input: File[], over: Partial<UploaderOptions> = {}) {
  const before = (await emulatorRequests()).length;
  const uploader = createUploader({ ...emulator, taskPollInterval: 100, ...over });
  const skipped: FileSkippedDetail[] = [];
  uploader.addEventListener('mixpeek-file-skipped', (e) => skipped.push((e as CustomEvent<FileSkippedDetail>).detail));
  uploader.addFiles(input);
  const summary: UploadSummary = await uploader.upload();
  uploader.dispose();
  const log = (await emulatorRequests()).slice(before);
  return { summary, skipped, log, ...counts(log) };
}

function counts(log: LoggedRequest[]) {
  const puts = log.filter((r) => r.kind === 'storage' && r.method === 'PUT');
  const confirmBodies = log.filter((r) => r.kind === 'api' && r.path.endsWith('/uploads/confirm/batch') && r.method === 'POST');
  const confirmed = confirmBodies.flatMap((r) =>
    (r.body as { confirmations: { upload_id: string }[] }).confirmations.map((c) => c.upload_id),
  );
  const createItems = log
    .filter((r) => r.kind === 'api' && r.path.endsWith('/uploads/batch') && r.method === 'POST')
    .flatMap((r) => (r.body as { uploads: { filename: string; file_hash?: string }[] }).uploads);
  return { puts, confirmed, createItems };
}

describe('skipping what Mixpeek already has', () => {
  beforeEach(resetEmulator);
  afterEach(() => setFaults({}));

  it('a second run over the same 50 files sends no PUT and no confirm, and reports 50 skipped with the first uploads’ ids', async () => {
    const first = await run(files(50, 'same'), { skipDuplicates: 'always' });
    expect(first.summary.confirmed).to.equal(50);
    expect(first.puts).to.have.length(50);
    const idOf = new Map(first.summary.files.map((f) => [f.name, f.uploadId]));

    const second = await run(files(50, 'same'), { skipDuplicates: 'always' });
    expect(second.puts, 'PUTs').to.have.length(0);
    expect(second.confirmed, 'confirms').to.have.length(0);
    expect(second.summary.skipped).to.equal(50);
    expect(second.summary.confirmed).to.equal(0);
    expect(second.summary.failed).to.equal(0);
    expect(second.summary.bytesSaved).to.equal(second.summary.files.reduce((sum, f) => sum + f.size, 0));
    for (const f of second.summary.files) {
      expect(f.status).to.equal('skipped');
      expect(f.bytesUploaded).to.equal(0);
      expect(f.duplicateOf, f.name).to.equal(idOf.get(f.name));
    }
    expect(second.skipped).to.have.length(50);
    for (const d of second.skipped) {
      expect(d.reason).to.equal('duplicate');
      expect(d.duplicateOf).to.equal(idOf.get(d.name));
      expect(d.bytesSaved).to.be.greaterThan(0);
    }
  });

  it('the file_hash sent is the SHA-256 Node computes of the same bytes', async () => {
    const size = 1024 * 1024;
    const { createItems } = await run([patternFile('mib.bin', size, 'application/octet-stream')], { skipDuplicates: 'always' });
    expect(createItems[0]!.file_hash).to.equal(await executeServerCommand('node-sha256-pattern', { size }));
  });

  it('a mixed run of 20 known and 30 new files sends exactly 30 PUTs and confirms those 30', async () => {
    await run(files(20, 'mix'), { skipDuplicates: 'always' });
    const mixed = await run(files(50, 'mix'), { skipDuplicates: 'always' });
    expect(mixed.puts).to.have.length(30);
    expect(mixed.confirmed).to.have.length(30);
    expect(mixed.summary.skipped).to.equal(20);
    expect(mixed.summary.confirmed).to.equal(30);
    const skippedNames = mixed.summary.files.filter((f) => f.status === 'skipped').map((f) => f.name);
    expect(skippedNames).to.have.members(files(20, 'mix').map((f) => f.name));
  });

  it('"never" sends no file_hash and sends every file again', async () => {
    await run(files(3, 'never'), { skipDuplicates: 'always' });
    const again = await run(files(3, 'never'), { skipDuplicates: 'never' });
    expect(again.createItems.every((i) => i.file_hash === undefined)).to.equal(true);
    expect(again.puts).to.have.length(3);
    expect(again.summary.confirmed).to.equal(3);
  });

  it('"auto" hashes first when the journal holds files confirmed to this bucket, and not on a first run', async () => {
    const fresh = await run(files(4, 'auto'));
    expect(
      fresh.createItems.every((i) => i.file_hash === undefined),
      'a first run sent file_hash',
    ).to.equal(true);
    const journal = createMemoryJournal();
    const target = `${env.apiUrl}|${env.bucket}|${env.namespace}`;
    journal.put(journalRecord(target, 'earlier.bin', { state: 'confirmed', uploadId: 'upl_earlier', key: `${target}#earlier` }));
    const again = await run(files(4, 'auto'), { journal });
    expect(again.createItems.every((i) => /^[0-9a-f]{64}$/.test(i.file_hash ?? ''))).to.equal(true);
    // Confirmed without file_hash the first time: the emulator cannot know these hashes.
    expect(again.summary.confirmed).to.equal(4);
  });

  it('"auto" with no journal asks about 4 files first when 64 MiB or more wait, then skips all 17 files of a folder Mixpeek has', async () => {
    const MiB = 1024 * 1024;
    const folder = () => files(17, 'probe', 0, 4 * MiB); // 68 MiB
    await run(folder(), { skipDuplicates: 'always' });
    const again = await run(folder());
    const creates = again.log.filter((r) => r.kind === 'api' && r.path.endsWith('/uploads/batch') && r.method === 'POST');
    expect((creates[0]!.body as { uploads: unknown[] }).uploads, 'the first create asks about 4 files').to.have.length(4);
    expect(
      again.createItems.every((i) => /^[0-9a-f]{64}$/.test(i.file_hash ?? '')),
      'every create sent file_hash',
    ).to.equal(true);
    expect(again.puts, 'PUTs').to.have.length(0);
    expect(again.summary.skipped).to.equal(17);

    const fresh = await run(files(17, 'new', 100, 4 * MiB)); // other content
    expect(fresh.createItems.filter((i) => i.file_hash).length, 'only the 4 asked about sent file_hash').to.equal(4);
    expect(fresh.puts).to.have.length(17);
    expect(fresh.summary.confirmed).to.equal(17);
  });

  it('a file added again after a reload takes its hashes from the journal, and is not hashed again', async () => {
    const [file] = files(1, 'journaled');
    const first = await run([file!], { skipDuplicates: 'always' });
    const sha256 = first.createItems[0]!.file_hash!;
    const target = `${env.apiUrl}|${env.bucket}|${env.namespace}`;
    const journal = createMemoryJournal();
    // The page before the reload had hashed it and created an upload whose URL is dead by now.
    journal.put(
      journalRecord(target, file!.name, {
        key: `${target}#${await fingerprint(file!, file!.name)}`,
        size: file!.size,
        state: 'created',
        uploadId: 'upl_from_before',
        url: `${env.storageUrl}/dead`,
        expiresAt: Date.now() - 1000,
        etag: first.summary.files[0]!.etag,
        sha256,
      }),
    );
    const pool = createWorkerHasher({ workers: 1 });
    let hashed = 0;
    const hasher: Hasher = {
      supportsSha256: true,
      md5: pool.md5.bind(pool),
      fingerprint: pool.fingerprint!.bind(pool),
      hash: (...args) => {
        hashed += 1;
        return pool.hash!(...args);
      },
    };
    const again = await run([file!], { skipDuplicates: 'always', journal, hasher });
    pool.dispose?.();
    expect(hashed, 'hashed again').to.equal(0);
    expect(again.createItems[0]!.file_hash).to.equal(sha256);
    expect(again.summary.skipped).to.equal(1);
    expect(again.puts).to.have.length(0);
  });

  it('with the emulator answering as if the hash were unknown, every file is sent and confirmed', async () => {
    await run(files(3, 'unknown'), { skipDuplicates: 'always' });
    await setFaults({ unknownFileHash: true });
    const again = await run(files(3, 'unknown'), { skipDuplicates: 'always' });
    expect(again.puts).to.have.length(3);
    expect(again.summary.confirmed).to.equal(3);
    expect(again.summary.skipped).to.equal(0);
  });

  it('a bucket with a unique key skips files whose object_metadata repeats a key, with the existing object id', async () => {
    const sku = new Map([
      ['a.bin', 'A'],
      ['b.bin', 'B'],
      ['c.bin', 'C'],
      ['a2.bin', 'A'],
      ['b2.bin', 'B'],
      ['d.bin', 'D'],
    ]);
    const catalog = {
      bucket: 'catalog',
      skipDuplicates: 'never' as const,
      uploadParams: (file: File) => ({ object_metadata: { sku: sku.get(file.name) } }),
    };
    const first = await run(
      ['a.bin', 'b.bin', 'c.bin'].map((n, i) => patternFile(n, 2000 + i, '', i)),
      catalog,
    );
    expect(first.summary.confirmed).to.equal(3);
    const objectOf = new Map(first.summary.files.map((f) => [sku.get(f.name), f.objectId]));
    expect(objectOf.get('A')).to.match(/^obj_/);
    const second = await run(
      ['a2.bin', 'b2.bin', 'd.bin'].map((n, i) => patternFile(n, 5000 + i, '', 100 + i)),
      catalog,
    );
    expect(second.puts).to.have.length(1);
    expect(second.summary.skipped).to.equal(2);
    for (const f of second.summary.files.filter((x) => x.status === 'skipped')) {
      expect(f.existingObjectId).to.equal(objectOf.get(sku.get(f.name)));
      expect(f.objectId).to.equal(objectOf.get(sku.get(f.name)));
    }
    expect(second.skipped.map((d) => d.reason)).to.deep.equal(['unique-key', 'unique-key']);
    expect(second.summary.files.find((f) => f.name === 'd.bin')!.status).to.equal('done');
  });

  it('a file that changed since it was hashed fails with its reason and is never confirmed', async () => {
    const root = await navigator.storage.getDirectory();
    const handle = await root.getFileHandle('hashed-then-changed.bin', { create: true });
    let writable = await handle.createWritable();
    await writable.write(pattern(6000));
    await writable.close();
    const changing = await handle.getFile();
    try {
      // The create is slow: the file changes on disk after its hashes, before its PUT.
      await setFaults({ latencyMs: { api: 1000 } });
      const uploader = createUploader({ ...emulator, taskPollInterval: 100, skipDuplicates: 'always' });
      uploader.addEventListener('change', async function onChange() {
        if (!uploader.files[0]?.etag) return;
        uploader.removeEventListener('change', onChange);
        writable = await handle.createWritable();
        await writable.write(pattern(6000, 9));
        await writable.close();
      });
      uploader.addFiles([changing, patternFile('steady.bin', 1000)]);
      const summary = await uploader.upload();
      uploader.dispose();
      const [changed, steady] = summary.files;
      expect(changed!.status).to.equal('failed');
      expect(changed!.error!.message)
        .to.include('hashed-then-changed.bin')
        .and.match(/changed since/);
      expect(steady!.status).to.equal('done');
      const { confirmed, puts } = counts(await emulatorRequests());
      expect(confirmed).to.deep.equal([steady!.uploadId]);
      expect(puts.filter((p) => p.status === 200 && p.uploadId === changed!.uploadId)).to.have.length(0);
    } finally {
      await setFaults({});
      await root.removeEntry('hashed-then-changed.bin');
    }
  });
});
