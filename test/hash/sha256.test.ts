import { expect } from '@esm-bundle/chai';
import { createWorkerHasher, type WorkerHasherOptions } from '../../src/hash/hasher.ts';
import { nodeMd5, nodePatternMd5, pattern } from '../support/fixtures.ts';
import { nodePatternSha256, nodeSha256 } from './node-digests.ts';

const MiB = 1024 * 1024;
const text = (value: string) => new TextEncoder().encode(value);
/** "a" and "abc" by their text, P(n) by its size. */
const label = (bytes: Uint8Array) => (bytes.byteLength <= 3 ? JSON.stringify(new TextDecoder().decode(bytes)) : `P(${bytes.byteLength})`);

/** Both of the bundled worker's paths: WebAssembly (hash-wasm) and plain JavaScript (spark-md5, @noble/hashes). */
const paths = [
  { wasm: true, implementation: 'hash-wasm' },
  { wasm: false, implementation: 'spark-md5' },
];

describe('createWorkerHasher hash() with sha256: the SHA-256 and the MD5 from one reading', () => {
  for (const { wasm, implementation } of paths) {
    describe(`with ${implementation}`, () => {
      /**
       * Default pieces (a file of one piece is digested whole by WebCrypto) and smaller ones (a
       * file of more than one piece streams through hash-wasm or @noble/hashes).
       */
      const a = text('a');
      const abc = text('abc');
      const layouts: [string, WorkerHasherOptions, Uint8Array<ArrayBuffer>[]][] = [
        ['each in one piece', {}, [a, abc, pattern(MiB)]],
        ['in 1000-byte pieces through the reading worker', { sliceSize: 1000, readerMinBytes: 0 }, [a, abc, pattern(MiB)]],
        // One piece's worth that the reading worker may send in several: WebCrypto keeps them all.
        ['each within one piece, through the reading worker', { readerMinBytes: 0 }, [a, abc, pattern(3 * MiB)]],
        ['in 1000-byte pieces read by the hashing worker', { sliceSize: 1000, createReader: null }, [a, abc, pattern(MiB)]],
        ['one byte at a time', { sliceSize: 1, createReader: null }, [a, abc, pattern(1000)]],
      ];
      for (const [layout, options, inputs] of layouts) {
        it(`matches Node's SHA-256 and MD5 for ${inputs.map(label).join(', ')}, ${layout}`, async () => {
          const hasher = createWorkerHasher({ workers: 1, wasm, ...options });
          try {
            for (const bytes of inputs) {
              const result = await hasher.hash!(new File([bytes], 'f.bin'), 'f.bin', { sha256: true });
              const what = `${bytes.byteLength} bytes`;
              expect(result.sha256, what).to.equal(await nodeSha256(bytes));
              expect(result.md5, what).to.equal(await nodeMd5(bytes));
              expect(result.implementation, what).to.equal(implementation);
            }
          } finally {
            hasher.dispose?.();
          }
        });
      }

      it("matches Node's SHA-256 and MD5 for a file over 64 MiB, streamed with bounded pieces", async () => {
        const hasher = createWorkerHasher({ workers: 1, wasm });
        try {
          const size = 64 * MiB + 3;
          const result = await hasher.hash!(new File([pattern(size)], 'big.bin'), 'big.bin', { sha256: true });
          expect(result.sha256).to.equal(await nodePatternSha256(size));
          expect(result.md5).to.equal(await nodePatternMd5(size));
          expect(result.implementation).to.equal(implementation);
        } finally {
          hasher.dispose?.();
        }
      });
    });
  }

  it('knows the SHA-256 of "abc" from its standard (FIPS 180-2)', async () => {
    const hasher = createWorkerHasher({ workers: 1 });
    try {
      const result = await hasher.hash!(new File([text('abc')], 'abc.txt'), 'abc.txt', { sha256: true });
      expect(result.sha256).to.equal('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    } finally {
      hasher.dispose?.();
    }
  });

  it('gives no SHA-256 unless asked, and says it can give one', async () => {
    const hasher = createWorkerHasher({ workers: 1 });
    try {
      expect(hasher.supportsSha256).to.equal(true);
      const result = await hasher.hash!(new File([text('abc')], 'abc.txt'), 'abc.txt');
      expect(result.md5).to.equal('900150983cd24fb0d6963f7d28e17f72');
      expect(result).not.to.have.property('sha256');
    } finally {
      hasher.dispose?.();
    }
  });

  it('hashes with WebAssembly by default where the page allows it', async () => {
    const hasher = createWorkerHasher({ workers: 1 });
    try {
      expect((await hasher.hash!(new File([text('a')], 'a.txt'), 'a.txt')).implementation).to.equal('hash-wasm');
    } finally {
      hasher.dispose?.();
    }
  });

  it('does not claim SHA-256 for a worker of its own, and answers without one when the worker gives none', async () => {
    const url = new URL('./md5-only.worker.ts', import.meta.url);
    const hasher = createWorkerHasher({ workers: 1, createWorker: () => new Worker(url, { type: 'module' }) });
    try {
      expect(hasher.supportsSha256).to.equal(false);
      const result = await hasher.hash!(new File([text('abc')], 'abc.txt'), 'abc.txt', { sha256: true });
      expect(result.md5).to.equal('900150983cd24fb0d6963f7d28e17f72');
      expect(result.sha256).to.equal(undefined);
      expect(result.implementation).to.equal('spark-md5');
    } finally {
      hasher.dispose?.();
    }
  });
});
