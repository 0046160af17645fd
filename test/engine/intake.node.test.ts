import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INTAKE_SLICE } from '../../src/engine/intake.ts';
import { createUploader } from '../../src/engine/uploader.ts';

const files = (n: number) =>
  Array.from({ length: n }, (_, i) => new File([`file ${i}`], `n${i}.txt`, { type: 'text/plain', lastModified: 1 }));

describe('intake', () => {
  it('takes 2,500 files as 1,000 at once and the rest in later tasks, each with its event, leaving the page free between slices', async () => {
    const uploader = createUploader({ bucket: 'b', journal: false });
    let added = 0;
    uploader.addEventListener('mixpeek-file-added', () => (added += 1));
    const ticks: number[] = [];
    const accepted = uploader.addFiles(files(2500));
    assert.equal(accepted.length, INTAKE_SLICE);
    assert.equal(added, INTAKE_SLICE);
    // A task queued now runs between two slices: the page is not blocked for the whole offer.
    setTimeout(() => ticks.push(uploader.files.length), 0);
    while (uploader.files.length < 2500) await new Promise((r) => setTimeout(r, 0));
    assert.equal(added, 2500);
    assert.ok(ticks[0]! < 2500, `the page waited for every slice (${ticks[0]} files when it ran)`);
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

  it('cancel() drops the files of an offer not taken yet', async () => {
    const uploader = createUploader({ bucket: 'b', journal: false });
    uploader.addFiles(files(3000));
    uploader.cancel();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(uploader.files.length, INTAKE_SLICE);
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
