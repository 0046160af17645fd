import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INTAKE_SLICE } from '../../src/engine/intake.ts';
import { createUploader } from '../../src/engine/uploader.ts';

const files = (n: number) =>
  Array.from({ length: n }, (_, i) => new File([`file ${i}`], `n${i}.txt`, { type: 'text/plain', lastModified: 1 }));

describe('intake', () => {
  it('takes 10,000 files as 1,000 at once and the rest in short later tasks, each with its event, leaving the page free between them', async () => {
    const uploader = createUploader({ bucket: 'b', journal: false });
    let added = 0;
    uploader.addEventListener('mixpeek-file-added', () => (added += 1));
    const ticks: number[] = [];
    const accepted = uploader.addFiles(files(10_000));
    assert.equal(accepted.length, INTAKE_SLICE);
    assert.equal(added, INTAKE_SLICE);
    // A task queued now runs between two slices: the page is not blocked for the whole offer.
    setTimeout(() => ticks.push(uploader.files.length), 0);
    while (uploader.files.length < 10_000) await new Promise((r) => setTimeout(r, 0));
    assert.equal(added, 10_000);
    assert.ok(ticks[0]! < 10_000, `the page waited for every slice (${ticks[0]} files when it ran)`);
    assert.deepEqual(
      uploader.files.slice(0, 3).map((f) => f.name),
      ['n0.txt', 'n1.txt', 'n2.txt'],
    );
  });

  it('files offered while a large offer is being taken come after it, in order', async () => {
    const uploader = createUploader({ bucket: 'b', journal: false });
    uploader.addFiles(files(1500));
    assert.deepEqual(uploader.addFiles([new File(['x'], 'late.txt', { lastModified: 1 })]), []);
    while (uploader.files.length < 1501) await new Promise((r) => setTimeout(r, 0));
    assert.equal(uploader.files.at(-1)!.name, 'late.txt');
  });

  it('cancel() during a large offer lists the files not taken yet as canceled; files offered after it are queued', async () => {
    const uploader = createUploader({ bucket: 'b', journal: false });
    uploader.addFiles(files(3000));
    uploader.cancel();
    uploader.addFiles([new File(['after'], 'after.txt', { lastModified: 1 })]);
    while (uploader.files.length < 3001) await new Promise((r) => setTimeout(r, 0));
    assert.equal(uploader.files.filter((f) => f.status === 'canceled').length, 3000);
    assert.equal(uploader.files.at(-1)!.status, 'queued');
  });

  it('hands out frozen snapshots: changing one changes nothing in the engine', () => {
    const uploader = createUploader({ bucket: 'b', journal: false });
    const [file] = uploader.addFiles(files(1));
    assert.ok(Object.isFrozen(file));
    assert.throws(() => {
      (file as { status: string }).status = 'done';
    });
    assert.equal(uploader.files[0]!.status, 'queued');
  });
});
