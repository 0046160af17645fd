import assert from 'node:assert/strict';
import { it } from 'node:test';
import { nodeMd5, nodeUploader, TEST_API_URL } from './support.ts';
import { createMemoryJournal } from '../../src/engine/journal.ts';
import { fingerprint } from '../../src/hash/fingerprint.ts';

const apiUrl = TEST_API_URL;
const target = `${apiUrl}|b|`;

type CreateItem = { filename: string; file_hash?: string };

/**
 * A fake Mixpeek API: batch creates answered by `answer` (default: a new upload with a URL for
 * 1 h), confirms as a task that is COMPLETED at its first poll, an empty uploads list.
 */
function fakeApi(answer?: (item: CreateItem, n: number) => object, onCreate?: (items: CreateItem[]) => void) {
  let n = 0;
  const fresh = (k: number) => ({
    upload_id: `new-${k}`,
    presigned_url: `http://storage/${k}`,
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
  });
  return (async (url: string | URL, init?: RequestInit) => {
    const { pathname } = new URL(String(url));
    if (pathname.endsWith('/uploads/batch')) {
      const { uploads } = JSON.parse(String(init!.body)) as { uploads: CreateItem[] };
      onCreate?.(uploads);
      return Response.json({ uploads: uploads.map((item) => (answer ?? ((_, k) => fresh(k)))(item, ++n)) });
    }
    if (pathname.endsWith('/uploads/confirm/batch')) return Response.json({ task_id: 't1', status: 'PENDING' });
    if (pathname.startsWith('/v1/tasks/')) return Response.json({ task_id: 't1', status: 'COMPLETED' });
    if (pathname.endsWith('/uploads/list')) return Response.json({ results: [] });
    return new Response(null, { status: 204 });
  }) as typeof globalThis.fetch;
}

it('a file canceled while its create batch is prepared leaves no journal record', async () => {
  const fetch = fakeApi();
  // Something from an earlier page to reuse: fingerprints are read before the create.
  const journal = journalWithLiveUpload('c.bin', 3);
  const up = nodeUploader({
    journal,
    fetch,
    hasher: {
      md5: nodeMd5,
      fingerprint: async (f: File, p: string) => {
        await new Promise((r) => setTimeout(r, 50));
        return fingerprint(f, p);
      },
    } as never,
  });
  await up.restore();
  const [a] = up.addFiles([
    new File(['aaa'], 'a.bin', { lastModified: 1 }),
    new File(['bbb'], 'b.bin', { lastModified: 1 }),
    new File(['ccc'], 'c.bin', { lastModified: 1 }),
  ]);
  const done = up.upload();
  await new Promise((r) => setTimeout(r, 10)); // the create batch is being prepared (fingerprints read)
  up.cancel(a!.fileId);
  await done;
  const all = await journal.list(target);
  const left = all.filter((r) => r.name === 'a.bin');
  assert.deepEqual(
    left.map((r) => r.state),
    [],
    'a canceled file is named lost after every reload for a week',
  );
});

// ---- skipDuplicates 'auto' asking about a few files first (duplicates.ts, takeQuestion) -----

const MiB = 1024 * 1024;

/**
 * An uploader against a fake API that answers `is_duplicate` for every item sent with
 * `file_hash` when `known`, and records each create's file names and the moments of creates
 * and PUTs (PUTs take `putMs`).
 */
function questionSetup(options: {
  known: boolean;
  journal?: ReturnType<typeof createMemoryJournal>;
  putMs?: number;
  concurrency?: number;
  /** Fingerprints (read before a create when the journal holds live uploads) wait for it to open. */
  gate?: ReturnType<typeof gate>;
}) {
  const creates: { at: number; names: string[]; hashed: number }[] = [];
  const puts: { at: number; name: string }[] = [];
  const t0 = Date.now();
  const fetch = fakeApi(
    (item, n) =>
      item.file_hash && options.known
        ? { upload_id: `dup-${n}`, is_duplicate: true, duplicate_of_upload_id: 'earlier' }
        : { upload_id: `new-${n}`, presigned_url: `http://storage/${n}`, expires_at: new Date(Date.now() + 3_600_000).toISOString() },
    (uploads) =>
      creates.push({ at: Date.now() - t0, names: uploads.map((u) => u.filename), hashed: uploads.filter((u) => u.file_hash).length }),
  );
  let h = 0;
  const up = nodeUploader({
    journal: options.journal ?? false,
    fetch,
    concurrency: options.concurrency ?? 4,
    hasher: {
      supportsSha256: true,
      md5: async () => (++h).toString(16).padStart(32, '0'),
      hash: async (f: File, p: string, o: { sha256?: boolean }) => {
        const x = (++h).toString(16);
        return { md5: x.padStart(32, '0'), sha256: o.sha256 ? x.padStart(64, '0') : undefined, fingerprint: await fingerprint(f, p) };
      },
      fingerprint: async (f: File, p: string) => {
        options.gate?.reached();
        await options.gate?.opened;
        return fingerprint(f, p);
      },
    } as never,
    createTransfer: () => ({
      put: async (job, onProgress) => {
        puts.push({ at: Date.now() - t0, name: job.name });
        await new Promise((r) => setTimeout(r, options.putMs ?? 0));
        onProgress(job.file.size, job.file.size);
      },
      dispose() {},
    }),
  });
  return { up, creates, puts };
}

/** 17 files of 4 MiB (68 MiB: enough for 'auto' to ask), `f0.bin`…`f16.bin`. */
const folder = (prefix = 'f') =>
  Array.from({ length: 17 }, (_, i) => new File([new Uint8Array(4 * MiB).fill(i)], `${prefix}${i}.bin`, { lastModified: 1 }));

/** Fingerprints held until the test has canceled: `reach` resolves when the first is asked for. */
function gate() {
  let open!: () => void;
  let reached!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  const reach = new Promise<void>((resolve) => {
    reached = resolve;
  });
  return { opened, open, reach, reached };
}

/** A journal holding one live upload of an earlier page, of a file named `name`: the create waits for fingerprints. */
function journalWithLiveUpload(name = 'f16.bin', size = 4 * MiB) {
  const journal = createMemoryJournal();
  journal.put({
    key: `${target}#other`,
    target,
    name, // a file of the folder, by name, size and date: its fingerprint is read
    relativePath: name,
    size,
    lastModified: 1,
    state: 'created',
    uploadId: 'old',
    url: 'http://s/old',
    expiresAt: Date.now() + 3_000_000,
    updatedAt: Date.now(),
    owner: 'gone',
  });
  return journal;
}

it("'auto' asks about 4 files alone, then creates the rest of the batch without waiting for a PUT", async () => {
  const { up, creates, puts } = questionSetup({ known: false, putMs: 1000, concurrency: 8 });
  up.addFiles(folder());
  await up.upload();
  assert.deepEqual(
    creates.map((c) => [c.names.length, c.hashed]),
    [
      [4, 4],
      [13, 0],
    ],
  );
  assert.ok(creates[1]!.at < 500, `the rest was created at ${creates[1]!.at} ms, after a PUT had ended`);
  assert.equal(puts.length, 17);
});

it("'auto' hashes the rest first once one of the 4 asked about is a duplicate, and sends none of them", async () => {
  const { up, creates, puts } = questionSetup({ known: true });
  up.addFiles(folder());
  const summary = await up.upload();
  assert.deepEqual(
    creates.map((c) => [c.names.length, c.hashed]),
    [
      [4, 4],
      [13, 13],
    ],
  );
  assert.equal(puts.length, 0);
  assert.equal(summary.skipped, 17);
});

it("'auto' asks again in a later run when the first run had too little to send to ask", async () => {
  const { up, creates } = questionSetup({ known: true });
  up.addFiles([new File([new Uint8Array(MiB)], 'small.bin')]);
  await up.upload();
  up.addFiles(folder());
  const summary = await up.upload();
  assert.equal(creates[0]!.hashed, 0, 'the small run asked nothing');
  assert.equal(summary.skipped, 17);
});

it('a file canceled while the batch that asks is prepared stays canceled and is never created', async () => {
  const held = gate();
  const { up, creates, puts } = questionSetup({ known: false, journal: journalWithLiveUpload(), gate: held });
  await up.restore();
  const added = up.addFiles(folder());
  const done = up.upload();
  await held.reach; // the batch's fingerprints are being read
  up.cancel(added[10]!.fileId);
  held.open();
  const summary = await done;
  assert.equal(summary.files[10]!.status, 'canceled');
  assert.ok(!creates.some((c) => c.names.includes('f10.bin')));
  assert.ok(!puts.some((p) => p.name === 'f10.bin'));
});

it('cancel() of everything while the batch that asks is prepared creates and sends nothing', async () => {
  const held = gate();
  const { up, creates, puts } = questionSetup({ known: false, journal: journalWithLiveUpload(), gate: held });
  await up.restore();
  up.addFiles(folder());
  const done = up.upload();
  await held.reach;
  up.cancel();
  held.open();
  await done;
  assert.deepEqual(creates, []);
  assert.deepEqual(puts, []);
});

it('a file canceled and removed while the batch that asks is prepared leaves the totals right', async () => {
  const held = gate();
  const { up, puts } = questionSetup({ known: false, journal: journalWithLiveUpload(), gate: held });
  await up.restore();
  const added = up.addFiles(folder());
  const done = up.upload();
  await held.reach;
  up.cancel(added[10]!.fileId);
  up.removeFile(added[10]!.fileId);
  held.open();
  await done;
  assert.equal(puts.length, 16);
  assert.equal(up.totals.files, 16);
  assert.equal(up.totals.canceled, 0);
  assert.ok(up.totals.bytesUploaded <= up.totals.bytesTotal);
});

it("a page's uploadParams that throws for one file fails that file with its reason, and the others are uploaded", async () => {
  const fetch = fakeApi();
  const up = nodeUploader({
    fetch,
    uploadParams: (file) => {
      if (file.name === 'b.bin') throw new Error('no metadata for b.bin');
      return {};
    },
  });
  up.addFiles(['a', 'b', 'c'].map((n) => new File([n.repeat(3)], `${n}.bin`)));
  const summary = await up.upload();
  assert.deepEqual(
    summary.files.map((f) => [f.name, f.status]),
    [
      ['a.bin', 'done'],
      ['b.bin', 'failed'],
      ['c.bin', 'done'],
    ],
  );
  assert.equal(summary.files[1]!.error?.message, 'no metadata for b.bin');
});

// ---- what starts while the batch create is out --------------------------------------------

it('the batch create is sent before any hashing starts, and the transfer is prepared while it is out', async () => {
  const order: string[] = [];
  const api = fakeApi(undefined, () => order.push('create sent'));
  const up = nodeUploader({
    fetch: api,
    hasher: {
      md5: async (blob: Blob) => {
        order.push('hashing');
        return nodeMd5(blob);
      },
    },
    createTransfer: () => ({
      prepare: () => order.push('transfer prepared'),
      put: async (job, onProgress) => {
        order.push('PUT');
        onProgress(job.file.size, job.file.size);
      },
      dispose() {},
    }),
  });
  up.addFiles([new File(['a'], 'a.bin'), new File(['b'], 'b.bin')]);
  const summary = await up.upload();
  assert.equal(summary.confirmed, 2);
  assert.deepEqual(order.slice(0, 4), ['create sent', 'transfer prepared', 'hashing', 'hashing']);
  assert.equal(order.indexOf('PUT') > order.indexOf('transfer prepared'), true);
});

it("a file's MD5 may read 16 MiB past what its PUT has sent, and all of it once it is stored", async () => {
  const size = 64 * MiB;
  const seen: number[] = [];
  let finishPut!: () => void;
  let progress!: (bytes: number) => void;
  const putRunning = new Promise<void>((resolve) => {
    finishPut = resolve;
  });
  let paced!: () => number;
  const up = nodeUploader({
    fetch: fakeApi(),
    hasher: {
      md5: nodeMd5,
      hash: async (file: File, _path: string, options?: { pace?: { allowed(): number; onChange(l: () => void): () => void } }) => {
        const pace = options!.pace!;
        paced = () => pace.allowed();
        seen.push(pace.allowed());
        pace.onChange(() => seen.push(pace.allowed()));
        // Ends once nothing holds it back: the PUT stored the file.
        await new Promise<void>((resolve) => pace.onChange(() => pace.allowed() === Infinity && resolve()));
        return { md5: await nodeMd5(file), fingerprint: undefined };
      },
    } as never,
    createTransfer: () => ({
      put: async (job, onProgress) => {
        progress = (bytes) => onProgress(bytes, job.file.size);
        await putRunning;
        onProgress(job.file.size, job.file.size);
      },
      dispose() {},
    }),
  });
  up.addFiles([new File([new Uint8Array(size)], 'big.bin')]);
  const done = up.upload();
  while (!progress || !paced) await new Promise((r) => setTimeout(r, 1));
  assert.equal(paced(), 16 * MiB, 'before the PUT has sent anything');
  progress(1 * MiB);
  assert.equal(paced(), 16 * MiB, 'moved on only by steps of 4 MiB, not at every progress event');
  progress(20 * MiB);
  assert.equal(paced(), 36 * MiB);
  finishPut();
  const summary = await done;
  assert.equal(summary.confirmed, 1);
  assert.deepEqual(seen.slice(0, 2), [16 * MiB, 36 * MiB]);
  assert.equal(seen.at(-1), Infinity, 'the file stored: nothing holds its hashing back');
});

it('a file canceled while its create is being journaled is never hashed, and the others are', async () => {
  const hashed: string[] = [];
  const memory = createMemoryJournal();
  let flushing!: () => void;
  const flushed = new Promise<void>((resolve) => {
    flushing = resolve;
  });
  const journal = {
    ...memory,
    async flush() {
      flushing(); // the create's "creating" records are being written now
      await new Promise((r) => setTimeout(r, 30));
    },
  };
  const up = nodeUploader({
    journal,
    fetch: fakeApi(),
    hasher: {
      md5: async (blob: Blob) => {
        hashed.push((blob as File).name);
        return nodeMd5(blob);
      },
    },
  });
  const [a] = up.addFiles([new File(['a'], 'a.bin'), new File(['b'], 'b.bin')]);
  const done = up.upload();
  await flushed;
  up.cancel(a!.fileId);
  const summary = await done;
  assert.equal(summary.confirmed, 1);
  assert.deepEqual(hashed, ['b.bin']);
});
