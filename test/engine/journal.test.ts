/** Resume after a reload: the journal in IndexedDB, the element in a page that is reloaded mid-upload. */
import { expect } from '@esm-bundle/chai';
import type { MixpeekUploader } from '../../src/element/mixpeek-uploader.ts';
import { createMemoryJournal, type JournalRecord } from '../../src/engine/journal.ts';
import { createUploader } from '../../src/engine/uploader.ts';
import { apiBodies, env, journalRecord, patternFile, resetEmulator, setFaults } from '../support/fixtures.ts';

type Harness = Window & { uploader?: MixpeekUploader };

async function loadHarness(frame: HTMLIFrameElement, reload: boolean): Promise<MixpeekUploader> {
  await new Promise<void>((resolve) => {
    frame.addEventListener('load', () => resolve(), { once: true });
    if (reload) frame.contentWindow!.location.reload();
    else frame.src = '/test/support/reload-harness.html';
  });
  const win = frame.contentWindow as Harness;
  while (!win.uploader?.engine) await new Promise((r) => setTimeout(r, 20));
  await win.uploader.updateComplete;
  await win.uploader.engine.restore();
  return win.uploader;
}

/** The element's notice once it has rendered (during a run, the element renders once per animation frame). */
async function noticeOf(uploader: MixpeekUploader): Promise<string> {
  for (let frame = 0; frame < 30; frame += 1) {
    await uploader.updateComplete;
    const text = uploader.shadowRoot!.querySelector('.notice')!.textContent ?? '';
    if (text.trim()) return text;
    await new Promise((r) => requestAnimationFrame(r));
  }
  return '';
}

async function listUploads(): Promise<{ upload_id: string; filename: string; status: string }[]> {
  const response = await fetch(`${env.apiUrl}/v1/buckets/${env.bucket}/uploads/list`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${env.apiKey}`, 'X-Namespace': env.namespace, 'Content-Type': 'application/json' },
    body: JSON.stringify({ limit: 100 }),
  });
  const first = (await response.json()) as {
    results: { upload_id: string; filename: string; status: string }[];
    pagination: { total_pages?: number };
  };
  const all = [...first.results];
  for (let offset = 100; offset < 2000; offset += 100) {
    const page = await fetch(`${env.apiUrl}/v1/buckets/${env.bucket}/uploads/list`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${env.apiKey}`, 'X-Namespace': env.namespace, 'Content-Type': 'application/json' },
      body: JSON.stringify({ limit: 100, offset }),
    }).then((r) => r.json() as Promise<{ results: { upload_id: string; filename: string; status: string }[] }>);
    if (page.results.length === 0) break;
    all.push(...page.results);
  }
  return all;
}

/** A journal record of a file whose confirm was sent just before the page went away. */
const confirming = (target: string, name: string): JournalRecord =>
  journalRecord(target, name, { state: 'confirming', uploadId: `upl_${name.replace('.', '_')}`, etag: '0'.repeat(32) });

describe('resume after a reload', () => {
  beforeEach(resetEmulator);

  it('300 files, page reloaded mid-way, files added again: 300 confirmed uploads, none twice', async () => {
    const files = Array.from({ length: 300 }, (_, i) =>
      patternFile(`r${String(i).padStart(3, '0')}.bin`, 20_000 + i * 97, 'application/octet-stream', i),
    );
    const frame = document.createElement('iframe');
    document.body.append(frame);

    let uploader = await loadHarness(frame, false);
    uploader.addFiles(files);
    void uploader.upload();
    // Reload once the first batch is confirmed and more files are on their way.
    await new Promise<void>((resolve) => uploader.addEventListener('mixpeek-batch-confirmed', () => resolve(), { once: true }));
    await new Promise((r) => setTimeout(r, 400));
    const before = uploader.engine.files.filter((f) => f.status === 'uploaded' || f.status === 'uploading').length;
    expect(before).to.be.greaterThan(0);

    uploader = await loadHarness(frame, true);
    // Files the old page had not finished sending are named, to be added again.
    const lost = uploader.engine.lost.length;
    expect(lost).to.be.greaterThan(0);
    expect(await noticeOf(uploader)).to.match(new RegExp(`${lost} files? from before the page was reloaded must be added again`));
    const rejected: { code: string; message: string }[] = [];
    uploader.addEventListener('mixpeek-file-rejected', (e) => rejected.push(e.detail));
    const accepted = uploader.addFiles(files);
    expect(uploader.engine.lost).to.have.length(0);
    const summary = await uploader.upload();
    frame.remove();

    // Files confirmed before the reload, or recovered from the journal, were skipped with a notice.
    expect(rejected.length).to.be.greaterThan(99);
    expect(rejected.every((r) => r.code === 'duplicate' && /already/.test(r.message))).to.equal(true);
    expect(accepted.length + rejected.length).to.equal(300);
    expect(summary.failed).to.equal(0);
    // Uploads stored but not confirmed before the reload were confirmed from the journal alone.
    const recovered = summary.files.filter((f) => f.recovered);
    expect(recovered.length).to.be.greaterThan(0);
    expect(recovered.every((f) => f.status === 'done')).to.equal(true);

    const uploads = await listUploads();
    const completed = uploads.filter((u) => u.status === 'COMPLETED');
    expect(completed).to.have.length(300);
    expect(new Set(completed.map((u) => u.filename)).size).to.equal(300);
    const confirmedIds = (await apiBodies<{ confirmations: { upload_id: string }[] }>('POST', '/uploads/confirm/batch')).flatMap((b) =>
      b.confirmations.map((c) => c.upload_id),
    );
    expect(confirmedIds.length, 'an upload id was confirmed twice').to.equal(new Set(confirmedIds).size);
  });

  it('40 files added again at once after a reload, before the journal is read: each confirmed exactly once, none left pending', async () => {
    const files = Array.from({ length: 40 }, (_, i) =>
      patternFile(`q${String(i).padStart(2, '0')}.bin`, 60_000 + i * 97, 'application/octet-stream', i),
    );
    const frame = document.createElement('iframe');
    document.body.append(frame);
    let uploader = await loadHarness(frame, false);
    uploader.batchSize = 10;
    // Storage answers each PUT after 100 ms, so that others are still on their way when the
    // first group is confirmed (with hashing started after the create, all 40 could be done).
    await setFaults({ latencyMs: { storage: 100 } });
    uploader.addFiles(files);
    void uploader.upload();
    // Reload once a first group is confirmed and others are stored or on their way.
    await new Promise<void>((resolve) => uploader.addEventListener('mixpeek-batch-confirmed', () => resolve(), { once: true }));
    await new Promise((r) => setTimeout(r, 150));
    const states = uploader.engine.files.map((f) => f.status);
    expect(states.some((s) => s === 'uploaded' || s === 'uploading' || s === 'hashing' || s === 'confirming')).to.equal(true);
    await setFaults({}); // the new page's PUTs at full speed

    // The new page adds the files back as soon as its element exists, before it read the journal.
    await new Promise<void>((resolve) => {
      frame.addEventListener('load', () => resolve(), { once: true });
      frame.contentWindow!.location.reload();
    });
    const win = frame.contentWindow as Harness;
    while (!win.uploader?.engine) await new Promise((r) => setTimeout(r, 1));
    uploader = win.uploader;
    uploader.batchSize = 10;
    const completes: { confirmed: number }[] = [];
    uploader.addEventListener('mixpeek-complete', (e) => completes.push(e.detail));
    uploader.addFiles(files);
    const summary = await uploader.upload();
    frame.remove();

    expect(summary.failed, JSON.stringify(summary.files.map((f) => f.error?.message).filter(Boolean))).to.equal(0);
    expect(completes).to.have.length(1);
    expect(completes[0]!.confirmed).to.be.at.most(40);
    const confirmedIds = (await apiBodies<{ confirmations: { upload_id: string }[] }>('POST', '/uploads/confirm/batch')).flatMap((b) =>
      b.confirmations.map((c) => c.upload_id),
    );
    expect(confirmedIds.length, 'an upload id was confirmed twice').to.equal(new Set(confirmedIds).size);
    // Uploads of the old page that nobody took back are canceled (their DELETEs go without waiting).
    let uploads = await listUploads();
    for (let i = 0; i < 50 && uploads.some((u) => u.status === 'PENDING'); i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      uploads = await listUploads();
    }
    const completed = uploads.filter((u) => u.status === 'COMPLETED');
    expect(completed.map((u) => u.filename).sort(), 'each file confirmed exactly once').to.deep.equal(files.map((f) => f.name).sort());
    expect(uploads.filter((u) => u.status === 'PENDING').map((u) => u.filename)).to.deep.equal([]);
  });

  it('files added but never started: after a reload, the notice names them until they are added again', async () => {
    const files = ['a.bin', 'b.bin'].map((name, i) => patternFile(name, 1000 + i, 'application/octet-stream', i));
    const frame = document.createElement('iframe');
    document.body.append(frame);
    let uploader = await loadHarness(frame, false);
    uploader.addFiles(files);
    await new Promise((r) => setTimeout(r, 300)); // the journal writes in batches

    uploader = await loadHarness(frame, true);
    expect(uploader.engine.lost.map((f) => f.relativePath).sort()).to.deep.equal(['a.bin', 'b.bin']);
    expect(await noticeOf(uploader)).to.match(
      /2 files from before the page was reloaded must be added again: a\.bin, b\.bin|b\.bin, a\.bin/,
    );
    uploader.addFiles([files[0]!]);
    expect(uploader.engine.lost.map((f) => f.relativePath)).to.deep.equal(['b.bin']);
    uploader.engine.clear();
    expect(uploader.engine.lost).to.have.length(0);
    // Forgotten for good: another reload names nothing.
    await new Promise((r) => setTimeout(r, 300));
    uploader = await loadHarness(frame, true);
    expect(uploader.engine.lost).to.have.length(0);
    frame.remove();
  });

  it('a confirm sent just before a reload and still running at Mixpeek: its task is followed, the file is not sent again', async () => {
    const options = { apiUrl: env.apiUrl, bucket: env.bucket, namespace: env.namespace, apiKey: env.apiKey, taskPollInterval: 100 };
    const target = `${env.apiUrl}|${env.bucket}|${env.namespace}`;
    const file = patternFile('held.bin', 5000);
    await setFaults({ taskOutcome: { hold: true } }); // Mixpeek's processing outlasts the page

    // The old page: its batch confirm was accepted and its task runs (held).
    const before = createMemoryJournal();
    const old = createUploader({ ...options, journal: before });
    old.addFiles([file]);
    void old.upload();
    let record: JournalRecord | undefined;
    while (record?.state !== 'processing') {
      await new Promise((r) => setTimeout(r, 50));
      record = (await before.list(target)).find((r) => r.name === 'held.bin');
    }
    const taskId = record.taskId;
    old.dispose(); // the old page is gone
    // …and it went away before the confirm's answer was written down.
    const after = createMemoryJournal();
    after.put({ ...record, state: 'confirming', taskId: undefined, owner: 'the-old-page' });
    after.put(confirming(target, 'gone.bin')); // an upload Mixpeek no longer has (404): forgotten

    const engine = createUploader({ ...options, journal: after });
    await engine.restore();
    expect(engine.files.map((f) => [f.name, f.status, f.taskId, f.recovered])).to.deep.equal([['held.bin', 'processing', taskId, true]]);
    expect((await after.list(target)).map((r) => r.name)).to.deep.equal(['held.bin']);
    const rejected: { code: string; message: string }[] = [];
    engine.addEventListener('mixpeek-file-rejected', (e) => rejected.push((e as CustomEvent).detail));
    expect(engine.addFiles([file])).to.have.length(0);
    expect(rejected.map((r) => r.code)).to.deep.equal(['duplicate']);
    expect(rejected[0]!.message).to.match(/already in the list/); // the followed upload is listed

    // Following the old page's task is not an upload run: a new file waits for upload() (no autoUpload).
    expect(engine.running).to.equal(false);
    expect(engine.addFiles([patternFile('fresh.bin', 3000)])).to.have.length(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(engine.files.find((f) => f.name === 'fresh.bin')!.status).to.equal('queued');
    const run = engine.upload();
    expect(engine.running).to.equal(true);
    for (let i = 0; i < 200 && engine.files.find((f) => f.name === 'fresh.bin')!.status !== 'processing'; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await setFaults({});
    const summary = await run;
    expect(summary.files.map((f) => [f.name, f.status]).sort()).to.deep.equal([
      ['fresh.bin', 'done'],
      ['held.bin', 'done'],
    ]);
    expect((await after.list(target)).map((r) => [r.name, r.state]).sort()).to.deep.equal([
      ['fresh.bin', 'confirmed'],
      ['held.bin', 'confirmed'],
    ]);
    // Each file's upload created once and confirmed once: nothing went twice.
    const created = (await apiBodies<{ uploads: { filename: string }[] }>('POST', '/uploads/batch')).flatMap((b) =>
      b.uploads.map((u) => u.filename),
    );
    expect(created.sort()).to.deep.equal(['fresh.bin', 'held.bin']);
    const confirmed = (await apiBodies<{ confirmations: { upload_id: string }[] }>('POST', '/uploads/confirm/batch')).flatMap((b) =>
      b.confirmations.map((c) => c.upload_id),
    );
    expect(confirmed).to.have.length(2);
    expect(new Set(confirmed).size).to.equal(2);
  });

  it("a 'confirming' record Mixpeek cannot be asked about is kept for the next page, and its file is not sent again", async () => {
    // No answer at all: nothing listens there.
    const deadApi = 'http://127.0.0.1:9';
    const target = `${deadApi}|${env.bucket}|${env.namespace}`;
    const journal = createMemoryJournal();
    journal.put(confirming(target, 'kept.bin'));
    const engine = createUploader({
      apiUrl: deadApi,
      bucket: env.bucket,
      namespace: env.namespace,
      apiKey: env.apiKey,
      journal,
      retry: { baseDelay: 10, maxDelay: 20 },
    });
    await engine.restore();
    expect((await journal.list(target)).map((r) => r.state)).to.deep.equal(['confirming']);
    const rejected: string[] = [];
    engine.addEventListener('mixpeek-file-rejected', (e) => rejected.push((e as CustomEvent<{ message: string }>).detail.message));
    expect(engine.addFiles([patternFile('kept.bin', 1000)])).to.have.length(0);
    expect(rejected[0]).to.match(/is already being confirmed/);
    engine.dispose();
  });

  it('records of pages still alive (this one, another tab) are left alone; those of pages that went away are restored', async () => {
    const apiUrl = 'http://127.0.0.1:7'; // only 'queued' records here: nothing is asked of the API
    const target = `${apiUrl}|${env.bucket}|${env.namespace}`;
    const journal = createMemoryJournal();
    const options = { apiUrl, bucket: env.bucket, namespace: env.namespace, apiKey: env.apiKey, journal };
    const queued = (name: string, owner: string | undefined) => journalRecord(target, name, { size: 10, owner });
    // This page: files added, not started yet.
    const mine = createUploader(options);
    mine.addFiles([patternFile('mine.bin', 10)]);
    // Another tab, alive: it holds its page's lock.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    void navigator.locks.request('mixpeek-uploader-page:other-tab', () => held);
    journal.put(queued('other.bin', 'other-tab'));
    // A tab that was closed, and a journal written before records had owners.
    journal.put(queued('closed.bin', 'closed-tab'));
    journal.put(queued('old.bin', undefined));

    const engine = createUploader(options);
    await engine.restore();
    release();
    expect(engine.lost.map((f) => f.relativePath).sort()).to.deep.equal(['closed.bin', 'old.bin']);
    expect((await journal.list(target)).map((r) => r.name).sort()).to.deep.equal(['closed.bin', 'mine.bin', 'old.bin', 'other.bin']);
    mine.dispose();
    engine.dispose();
  });
});
