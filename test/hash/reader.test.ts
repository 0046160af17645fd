import { expect } from '@esm-bundle/chai';
import { createWorkerHasher } from '../../src/hash/hasher.ts';
import { nodePatternMd5, pattern } from '../support/fixtures.ts';

/** The pool's reading worker (blob-reader.worker.ts) and what happens without it. */
describe('createWorkerHasher reading worker', () => {
  const sizes = [0, 1, 64 * 1024 + 37, 5 * 1024 * 1024 + 3];

  it('gives the same MD5s when each hashing worker reads its own file (createReader: null)', async () => {
    const hasher = createWorkerHasher({ workers: 2, createReader: null });
    try {
      const results = await Promise.all(sizes.map((n) => hasher.md5(new Blob([pattern(n)]))));
      expect(results).to.deep.equal(await Promise.all(sizes.map(nodePatternMd5)));
    } finally {
      hasher.dispose?.();
    }
  });

  it('reads ahead in small credits and slices without changing the MD5', async () => {
    const hasher = createWorkerHasher({ workers: 1, sliceSize: 1000, readAhead: 3000 });
    try {
      const size = 256 * 1024 + 11;
      expect(await hasher.md5(new File([pattern(size)], 'credits.bin'))).to.equal(await nodePatternMd5(size));
    } finally {
      hasher.dispose?.();
    }
  });

  it("gives the same MD5s where Blob streams have no BYOB reader (the stream's own chunks)", async () => {
    const url = new URL('./no-byob-reader.worker.ts', import.meta.url);
    // Pieces smaller than the stream's chunks, and larger.
    for (const sliceSize of [1000, 4 * 1024 * 1024]) {
      const hasher = createWorkerHasher({
        workers: 1,
        sliceSize,
        readerMinBytes: 0,
        createReader: () => new Worker(url, { type: 'module' }),
      });
      try {
        const results = await Promise.all(sizes.map((n) => hasher.md5(new Blob([pattern(n)]))));
        expect(results, `sliceSize ${sliceSize}`).to.deep.equal(await Promise.all(sizes.map(nodePatternMd5)));
      } finally {
        hasher.dispose?.();
      }
    }
  });

  it('leaves the pieces to a worker whose MD5 keeps them (no copiesBytes)', async () => {
    const url = new URL('./keeping.worker.ts', import.meta.url);
    const hasher = createWorkerHasher({
      workers: 1,
      sliceSize: 1000,
      readerMinBytes: 0,
      createWorker: () => new Worker(url, { type: 'module' }),
    });
    try {
      const results = await Promise.all(sizes.map((n) => hasher.md5(new Blob([pattern(n)]))));
      expect(results).to.deep.equal(await Promise.all(sizes.map(nodePatternMd5)));
    } finally {
      hasher.dispose?.();
    }
  });

  it('falls back to reading in the hashing workers when the reading worker fails', async () => {
    const broken = URL.createObjectURL(new Blob(['throw new Error("broken reader")'], { type: 'text/javascript' }));
    const hasher = createWorkerHasher({ workers: 2, createReader: () => new Worker(broken) });
    try {
      const results = await Promise.all(sizes.map((n) => hasher.md5(new Blob([pattern(n)]))));
      expect(results).to.deep.equal(await Promise.all(sizes.map(nodePatternMd5)));
    } finally {
      hasher.dispose?.();
      URL.revokeObjectURL(broken);
    }
  });

  it('cancels a file while it is being read, and hashes the next one', async () => {
    const hasher = createWorkerHasher({ workers: 1, readAhead: 1024 * 1024 });
    try {
      const controller = new AbortController();
      const pending = hasher.md5(new Blob([pattern(24 * 1024 * 1024)]), { signal: controller.signal });
      setTimeout(() => controller.abort(), 5);
      const error = await pending.then(
        () => null,
        (e: unknown) => e,
      );
      // Either it was canceled, or it finished first; both leave the pool usable.
      if (error) expect((error as Error).name).to.equal('AbortError');
      expect(await hasher.md5(new Blob([pattern(70_000)]))).to.equal(await nodePatternMd5(70_000));
    } finally {
      hasher.dispose?.();
    }
  });
});
