/**
 * The whole pipeline in a real browser against the emulator: batch create → presigned PUT →
 * MD5 → batch confirm → task polling, read back from the emulator's request log.
 */
import { expect } from '@esm-bundle/chai';
import '../../src/define.ts';
import type { MixpeekUploader } from '../../src/element/mixpeek-uploader.ts';
import type { MixpeekEventName, UploadSummary } from '../../src/events.ts';
import { MixpeekEvents } from '../../src/events.ts';
import { createIdbJournal } from '../../src/engine/journal.ts';
import {
  apiBodies,
  emulatorRequests,
  env,
  journalRecord,
  nextEvent,
  nodeMd5,
  nodePatternMd5,
  patternFile,
  resetEmulator,
} from '../support/fixtures.ts';

interface Recorded {
  type: MixpeekEventName;
  detail: Record<string, unknown>;
}

function mount(attrs: Record<string, string> = {}): { el: MixpeekUploader; events: Recorded[] } {
  const el = document.createElement('mixpeek-uploader');
  el.setAttribute('api-url', env.apiUrl);
  el.setAttribute('bucket', env.bucket);
  el.setAttribute('namespace', env.namespace);
  el.setAttribute('api-key', env.apiKey);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  const events: Recorded[] = [];
  for (const type of Object.values(MixpeekEvents)) {
    // Listen on the document: events bubble and are composed.
    document.addEventListener(type, (e) => {
      if (e.target === el) events.push({ type, detail: (e as CustomEvent).detail });
    });
  }
  document.body.append(el);
  return { el, events };
}

/** The file rows the virtualized list has rendered (it renders after layout). */
export async function renderedRows(el: MixpeekUploader): Promise<Element[]> {
  for (let i = 0; i < 50; i += 1) {
    await el.updateComplete;
    await new Promise((r) => requestAnimationFrame(r));
    const rows = [...el.shadowRoot!.querySelectorAll('[part="file"]')];
    if (rows.length > 0) return rows;
  }
  return [];
}

const names = ['report final.pdf', 'a+b=c.txt', 'Ünïcödé café.csv', 'emoji 😀🎉.png', 'scene.blend', 'photo.JPG', 'data.json'];
const types = ['application/pdf', 'text/plain', 'text/csv', 'image/png', '', 'image/jpeg', ''];

function makeFiles(count: number): File[] {
  return Array.from({ length: count }, (_, i) =>
    patternFile(`${i} ${names[i % names.length]}`, 1 + ((i * 7919) % 6000), types[i % types.length], i),
  );
}

type CreateBody = { uploads: { filename: string; content_type: string; metadata?: Record<string, string> }[] };
type ConfirmBody = { confirmations: { upload_id: string; etag: string; file_size_bytes: number }[] };
const createBodies = () => apiBodies<CreateBody>('POST', '/uploads/batch');
const confirmBodies = () => apiBodies<ConfirmBody>('POST', '/uploads/confirm/batch');

describe('<mixpeek-uploader> end to end against the emulator', () => {
  beforeEach(resetEmulator);
  afterEach(() => {
    for (const el of document.querySelectorAll('mixpeek-uploader')) el.remove();
  });

  it('uploads 250 files and confirms them in three batches of 100, 100 and 50', async () => {
    const { el, events } = mount();
    const files = makeFiles(250);
    el.addFiles(files);
    const summary: UploadSummary = await el.upload();

    expect(summary.confirmed).to.equal(250);
    expect(summary.failed).to.equal(0);
    expect(summary.batches.map((b) => b.status)).to.deep.equal(['COMPLETED', 'COMPLETED', 'COMPLETED']);

    // Exactly three batch confirms of 100, 100 and 50, and each upload confirmed once.
    const confirms = await confirmBodies();
    expect(confirms.map((b) => b.confirmations.length)).to.deep.equal([100, 100, 50]);
    const confirmed = confirms.flatMap((b) => b.confirmations);
    expect(new Set(confirmed.map((c) => c.upload_id)).size).to.equal(250);

    // Every etag is Node's MD5 of that file's bytes, and each size is File.size.
    const byUploadId = new Map(summary.files.map((f) => [f.uploadId!, f]));
    for (const c of confirmed) {
      const f = byUploadId.get(c.upload_id)!;
      expect(c.file_size_bytes).to.equal(f.size);
      expect(c.etag).to.match(/^[0-9a-f]{32}$/);
    }
    const sample = summary.files.filter((_, i) => i % 25 === 0);
    for (const f of sample) {
      const offsetFile = files[Number(f.name.split(' ')[0])]!;
      const bytes = new Uint8Array(await offsetFile.arrayBuffer());
      expect(f.etag, f.name).to.equal(await nodeMd5(bytes));
    }

    // Batch creates: 1..100 items each, content_type never empty, names as given.
    const log = await emulatorRequests();
    const creates = await createBodies();
    const items = creates.flatMap((b) => b.uploads);
    expect(items).to.have.length(250);
    expect(creates.every((b) => b.uploads.length <= 100)).to.equal(true);
    expect(items.every((i) => i.content_type.length > 0)).to.equal(true);
    expect(items.find((i) => i.filename === '4 scene.blend')?.content_type).to.equal('application/octet-stream');
    expect(items.find((i) => i.filename === '3 emoji 😀🎉.png')?.content_type).to.equal('image/png');

    // Every PUT carried exactly the declared Content-Type; no more than `concurrency` PUTs were ever needed.
    const puts = log.filter((r) => r.kind === 'storage' && r.method === 'PUT');
    expect(puts.filter((p) => p.status === 200)).to.have.length(250);
    const declared = new Map(summary.files.map((f) => [f.uploadId!, f.contentType]));
    for (const p of puts) expect(p.contentType).to.equal(declared.get(p.uploadId!));

    // Events: per file added → progress… → uploaded → batch-confirmed → complete, progress monotonic.
    const order = (type: string, pred: (d: Record<string, unknown>) => boolean) =>
      events.findIndex((e) => e.type === type && pred(e.detail));
    const lastProgress = new Map<string, number>();
    let lastTotal = 0;
    for (const e of events.filter((e) => e.type === 'mixpeek-upload-progress')) {
      const d = e.detail as { fileId: string; bytesUploaded: number; bytesTotal: number; totalBytesUploaded: number; totalBytes: number };
      expect(d.bytesUploaded).to.be.at.least(lastProgress.get(d.fileId) ?? 0);
      expect(d.bytesUploaded).to.be.at.most(d.bytesTotal);
      expect(d.totalBytesUploaded).to.be.at.least(lastTotal);
      expect(d.totalBytesUploaded).to.be.at.most(d.totalBytes);
      lastProgress.set(d.fileId, d.bytesUploaded);
      lastTotal = d.totalBytesUploaded;
    }
    for (const f of summary.files) {
      expect(lastProgress.get(f.fileId), f.name).to.equal(f.size);
      const added = order('mixpeek-file-added', (d) => (d.file as { fileId: string }).fileId === f.fileId);
      const progress = order('mixpeek-upload-progress', (d) => d.fileId === f.fileId);
      const uploaded = order('mixpeek-file-uploaded', (d) => d.fileId === f.fileId);
      const batch = order('mixpeek-batch-confirmed', (d) =>
        (d.confirmations as { upload_id: string }[]).some((c) => c.upload_id === f.uploadId),
      );
      expect(added).to.be.lessThan(progress);
      expect(progress).to.be.lessThan(uploaded);
      expect(uploaded).to.be.lessThan(batch);
    }
    const completeAt = events.findIndex((e) => e.type === 'mixpeek-complete');
    expect(completeAt).to.equal(events.length - 1);
    const taskUpdates = events.filter((e) => e.type === 'mixpeek-task-update');
    for (const b of summary.batches) {
      expect(taskUpdates.filter((e) => e.detail.taskId === b.taskId).at(-1)?.detail.status).to.equal('COMPLETED');
    }
    const uploadedEvent = events.find((e) => e.type === 'mixpeek-file-uploaded')!.detail;
    expect(Object.keys(uploadedEvent).sort()).to.deep.equal(['etag', 'fileId', 'fileSizeBytes', 'name', 'uploadId']);

    // The view shows the files confirmed, rendering only the rows in view (the virtual list,
    // loaded after first paint: its sizer is there, and fewer rows than the 50 drawn before it).
    let sizer: Element | null = null;
    for (let frame = 0; frame < 300 && !sizer; frame += 1) {
      await new Promise((r) => requestAnimationFrame(r));
      sizer = el.shadowRoot!.querySelector('[part="file-list"] [virtualizer-sizer]');
    }
    expect(sizer, 'the virtual list did not load').to.not.equal(null);
    const rows = await renderedRows(el);
    expect(rows.length).to.be.greaterThan(3).and.lessThan(50);
    expect(rows.every((r) => r.getAttribute('data-status') === 'done')).to.equal(true);
  });

  it('reads the journal once api-url and bucket are set, even after the first render', async () => {
    const apiUrl = 'http://127.0.0.1:5'; // a 'queued' record only: nothing is asked of the API
    const target = `${apiUrl}|${env.bucket}|${env.namespace}`;
    const journal = createIdbJournal();
    journal.put(journalRecord(target, 'late.bin', { size: 10 }));
    await journal.flush();
    const el = document.createElement('mixpeek-uploader');
    document.body.append(el);
    await el.updateComplete;
    Object.assign(el, { apiUrl, bucket: env.bucket, namespace: env.namespace, apiKey: env.apiKey });
    for (let i = 0; i < 50 && el.engine.lost.length === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(el.engine.lost.map((f) => f.relativePath)).to.deep.equal(['late.bin']);
    el.engine.clear();
    el.remove();
  });

  it('with batch-size="7", creates and confirms 20 files as 7, 7 and 6', async () => {
    const { el } = mount({ 'batch-size': '7' });
    el.addFiles(makeFiles(20));
    const summary = await el.upload();
    expect(summary.confirmed).to.equal(20);
    expect((await confirmBodies()).map((b) => b.confirmations.length)).to.deep.equal([7, 7, 6]);
    expect((await createBodies()).map((b) => b.uploads.length)).to.deep.equal([7, 7, 6]);
  });

  it('refuses empty, too large, unaccepted and surplus files up front and uploads the rest', async () => {
    const { el, events } = mount({ accept: '.txt,image/*', 'max-file-size': '1000', 'max-files': '3' });
    const accepted = el.addFiles([
      patternFile('ok-1.txt', 10, 'text/plain'),
      patternFile('empty.txt', 0, 'text/plain'),
      patternFile('big.txt', 1001, 'text/plain'),
      patternFile('doc.pdf', 10, 'application/pdf'),
      patternFile('ok-2.png', 20, 'image/png'),
      patternFile('ok-3.txt', 30, 'text/plain'),
      patternFile('one-too-many.txt', 40, 'text/plain'),
    ]);
    expect(accepted.map((f) => f.name)).to.deep.equal(['ok-1.txt', 'ok-2.png', 'ok-3.txt']);
    const rejected = events.filter((e) => e.type === 'mixpeek-file-rejected').map((e) => e.detail);
    expect(rejected.map((d) => [d.name, d.code])).to.deep.equal([
      ['empty.txt', 'empty-file'],
      ['big.txt', 'too-large'],
      ['doc.pdf', 'type-not-accepted'],
      ['one-too-many.txt', 'too-many-files'],
    ]);
    for (const d of rejected) {
      expect(d.message).to.be.a('string').and.not.equal('');
      expect(d.size).to.be.a('number');
    }
    const summary = await el.upload();
    expect(summary.confirmed).to.equal(3);
    const items = (await createBodies()).flatMap((b) => b.uploads.map((u) => u.filename));
    expect(items).to.deep.equal(['ok-1.txt', 'ok-2.png', 'ok-3.txt']);
    // No NaN anywhere in progress.
    for (const e of events.filter((e) => e.type === 'mixpeek-upload-progress')) {
      for (const v of Object.values(e.detail)) if (typeof v === 'number') expect(Number.isFinite(v)).to.equal(true);
    }
  });

  it('names the 5 GiB single-upload limit in exact bytes when a file is one byte over it', async () => {
    const { el } = mount();
    const mib = new Blob([new Uint8Array(1 << 20)]);
    const gib = new Blob(Array.from({ length: 1024 }, () => mib));
    el.addFiles([new File([gib, gib, gib, gib, gib, new Uint8Array(1)], 'over.bin')]);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.notice')!.textContent!.trim()).to.equal(
      '"over.bin" is 5,368,709,121 bytes; the limit is 5,368,709,120 bytes, the most one upload can hold.',
    );
  });

  it('refuses the same file added twice with a duplicate notice', async () => {
    const { el, events } = mount();
    const file = patternFile('twice.txt', 5, 'text/plain');
    el.addFiles([file]);
    el.addFiles([file]);
    expect(el.engine.files).to.have.length(1);
    expect(events.filter((e) => e.type === 'mixpeek-file-rejected').map((e) => e.detail.code)).to.deep.equal(['duplicate']);
  });

  it('shows a file name containing HTML as text', async () => {
    const { el } = mount();
    el.addFiles([patternFile('<img src=x onerror="window.__pwned=1">.txt', 5, 'text/plain')]);
    const name = (await renderedRows(el))[0]!.querySelector('.name')!;
    expect(name.textContent).to.equal('<img src=x onerror="window.__pwned=1">.txt');
    expect(el.shadowRoot!.querySelector('[part="file"] img')).to.equal(null);
    expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('uploads automatically with auto-upload and fires mixpeek-complete', async () => {
    const { el } = mount({ 'auto-upload': '' });
    const complete = nextEvent<UploadSummary>(el, 'mixpeek-complete');
    el.addFiles(makeFiles(3));
    const { detail } = await complete;
    expect(detail.confirmed).to.equal(3);
    expect(detail.files.every((f) => f.status === 'done' && f.objectId)).to.equal(true);
  });

  it('confirms 101 files as 100 and 1, never an empty or oversized batch', async () => {
    const { el } = mount();
    el.addFiles(Array.from({ length: 101 }, (_, i) => patternFile(`n${i}.txt`, 3, 'text/plain', i)));
    const summary = await el.upload();
    expect(summary.confirmed).to.equal(101);
    expect((await confirmBodies()).map((b) => b.confirmations.length)).to.deep.equal([100, 1]);
  });

  it('uploads same-named files from different folders separately, with their relative paths', async () => {
    const { el, events } = mount();
    const inFolder = (path: string, offset: number) => {
      const file = patternFile('report.pdf', 64, 'application/pdf', offset);
      Object.defineProperty(file, 'webkitRelativePath', { value: path });
      return file;
    };
    el.addFiles([inFolder('a/report.pdf', 1), inFolder('b/report.pdf', 2), inFolder('a/report.pdf', 1)]);
    expect(events.filter((e) => e.type === 'mixpeek-file-rejected').map((e) => e.detail.code)).to.deep.equal(['duplicate']);
    const summary = await el.upload();
    expect(summary.confirmed).to.equal(2);
    expect(new Set(summary.files.map((f) => f.etag)).size).to.equal(2);
    const items = (await createBodies()).flatMap((b) => b.uploads);
    expect(items.map((i) => [i.filename, i.metadata?.relative_path])).to.deep.equal([
      ['report.pdf', 'a/report.pdf'],
      ['report.pdf', 'b/report.pdf'],
    ]);
  });

  it('same-named files picked without folder paths (same size and date): other bytes are uploaded, the same file again is refused', async () => {
    const { el, events } = mount();
    // Two picks from two folders: the browser gives no path, and these names, sizes and dates agree.
    const first = patternFile('report.pdf', 64, 'application/pdf', 1);
    el.addFiles([first]);
    el.addFiles([patternFile('report.pdf', 64, 'application/pdf', 2)]);
    el.addFiles([patternFile('report.pdf', 64, 'application/pdf', 2)]); // the second folder's file, picked again
    el.addFiles([first]);
    const summary = await el.upload();
    expect(summary.confirmed).to.equal(2);
    expect(new Set(summary.files.map((f) => f.etag)).size).to.equal(2);
    const rejected = events.filter((e) => e.type === 'mixpeek-file-rejected').map((e) => e.detail);
    expect(rejected.map((r) => r.code)).to.deep.equal(['duplicate', 'duplicate']);
    expect(rejected[0]!.message).to.equal('"report.pdf" is already in the list.');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.notice')!.textContent).to.match(/report\.pdf/);
  });

  it('shows unusable options instead of failing silently, and nothing is left unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: PromiseRejectionEvent) => unhandled.push(e.reason);
    window.addEventListener('unhandledrejection', onUnhandled);
    const { el } = mount({ 'batch-size': 'abc' });
    el.addFiles([patternFile('kept.txt', 3, 'text/plain')]);
    await el.updateComplete;
    el.shadowRoot!.querySelector<HTMLButtonElement>('.controls button')!.click();
    await new Promise((r) => setTimeout(r, 50));
    await el.updateComplete;
    window.removeEventListener('unhandledrejection', onUnhandled);
    expect(el.shadowRoot!.querySelector('[part~=banner]')!.textContent).to.match(/batch-size must be/);
    expect(unhandled).to.deep.equal([]);
    expect(el.engine.files[0]!.status).to.equal('queued');
    el.batchSize = 100;
    expect((await el.upload()).confirmed).to.equal(1);
  });

  it('lists every refused file, and shows the engine state again after being moved in the page', async () => {
    const { el } = mount();
    el.addFiles([patternFile('e1.txt', 0), patternFile('e2.txt', 0), patternFile('ok.txt', 4, 'text/plain')]);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('.notice li')).to.have.length(2);
    const done = el.upload();
    el.remove();
    await done;
    document.body.append(el);
    expect((await renderedRows(el))[0]!.getAttribute('data-status')).to.equal('done');
    expect(el.shadowRoot!.querySelector('.notice')!.textContent!.trim()).to.equal('');
  });

  it('checks large multi-slice files end to end (P(9 MiB + 3))', async () => {
    const size = 9 * 1024 * 1024 + 3;
    const { el } = mount();
    el.addFiles([patternFile('large.bin', size, 'application/octet-stream')]);
    const summary = await el.upload();
    expect(summary.confirmed).to.equal(1);
    expect(summary.files[0]!.etag).to.equal(await nodePatternMd5(size));
  });
});
