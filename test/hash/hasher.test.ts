import { expect } from '@esm-bundle/chai';
import { fingerprint } from '../../src/hash/fingerprint.ts';
import { createWorkerHasher } from '../../src/hash/hasher.ts';
import { nodeMd5, nodePatternMd5, pattern } from '../support/fixtures.ts';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('createWorkerHasher (spark-md5 in Web Workers)', () => {
  const hasher = createWorkerHasher({ workers: 2 });
  after(() => hasher.dispose?.());

  const vectors: [string, Uint8Array<ArrayBuffer>, string?][] = [
    ['empty input', bytes(), 'd41d8cd98f00b204e9800998ecf8427e'],
    ['hello', new TextEncoder().encode('hello'), '5d41402abc4b2a76b9719d911017c592'],
    ['a', new TextEncoder().encode('a'), '0cc175b9c0f1b6a831c399e269772661'],
    ['the 256 bytes 0x00..0xFF', Uint8Array.from({ length: 256 }, (_, i) => i)],
    ['the UTF-8 bytes of ü (C3 BC)', bytes(0xc3, 0xbc)],
    ['ABCD', new TextEncoder().encode('ABCD')],
    ['the single byte 0xFC', bytes(0xfc)],
  ];

  for (const [label, input, known] of vectors) {
    it(`matches Node's crypto MD5 for ${label}`, async () => {
      const expected = await nodeMd5(input);
      if (known) expect(expected).to.equal(known);
      expect(await hasher.md5(new Blob([input]))).to.equal(expected);
    });
  }

  it('reads a file in slices that break inside a 64-byte MD5 block', async () => {
    const sliced = createWorkerHasher({ workers: 1, sliceSize: 1000 }); // 1000 = 15 blocks + 40 bytes
    try {
      const size = 64 * 1024 + 37;
      const file = new File([pattern(size)], 'slices.bin');
      expect(await sliced.md5(file)).to.equal(await nodePatternMd5(size));
    } finally {
      sliced.dispose?.();
    }
  });

  it('hashes several files at once, each correctly', async () => {
    const sizes = [1, 63, 64, 65, 4 * 1024 * 1024 + 1, 3 * 1024 * 1024];
    const results = await Promise.all(sizes.map((n) => hasher.md5(new Blob([pattern(n)]))));
    expect(results).to.deep.equal(await Promise.all(sizes.map(nodePatternMd5)));
  });

  it('rejects with an AbortError when its signal aborts, and keeps working after', async () => {
    const controller = new AbortController();
    const pending = hasher.md5(new Blob([pattern(32 * 1024 * 1024)]), { signal: controller.signal });
    controller.abort();
    const error = await pending.then(
      () => null,
      (e: unknown) => e,
    );
    expect((error as Error).name).to.equal('AbortError');
    expect(await hasher.md5(new Blob([bytes(0x61)]))).to.equal('0cc175b9c0f1b6a831c399e269772661');
  });

  it('computes the journal fingerprint on its reading worker, the same as on the main thread', async () => {
    const files = [new File([pattern(10)], 'small.bin', { lastModified: 1 }), new File([pattern(300_000)], 'big.bin', { lastModified: 2 })];
    for (const createReader of [undefined, null]) {
      const hasher = createWorkerHasher({ workers: 1, createReader });
      for (const file of files) {
        expect(await hasher.fingerprint!(file, `dir/${file.name}`)).to.equal(await fingerprint(file, `dir/${file.name}`));
      }
      hasher.dispose?.();
    }
    const other = new File([pattern(300_000, 1)], 'big.bin', { lastModified: 2 });
    expect(await fingerprint(other, 'dir/big.bin')).not.to.equal(await fingerprint(files[1]!, 'dir/big.bin'));
  });

  it('hash() gives the MD5 and the fingerprint from one reading, through its reading worker or not', async () => {
    const K = 64 * 1024;
    const sizes = [0, 1, K - 1, K, K + 1, 2 * K - 1, 2 * K, 2 * K + 1, 300_000];
    // readerMinBytes 0: every file through the reading worker; a slice size that splits the edges.
    for (const options of [{}, { readerMinBytes: 0 }, { readerMinBytes: 0, sliceSize: 50_000 }, { sliceSize: 50_000 }]) {
      const pool = createWorkerHasher({ workers: 1, ...options });
      try {
        for (const size of sizes) {
          const file = new File([pattern(size)], 'f.bin', { lastModified: 7 });
          const result = await pool.hash!(file, 'dir/f.bin');
          const what = `${size} bytes, ${JSON.stringify(options)}`;
          expect(result.md5, what).to.equal(await nodePatternMd5(size));
          expect(result.fingerprint, what).to.equal(await fingerprint(file, 'dir/f.bin'));
        }
      } finally {
        pool.dispose?.();
      }
    }
  });

  /** A pace for `hash()` that the test raises by hand. */
  const handPace = (start: number) => {
    let allowed = start;
    const listeners = new Set<() => void>();
    return {
      allowed: () => allowed,
      onChange(listener: () => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      raise(to: number) {
        allowed = to;
        for (const listener of listeners) listener();
      },
    };
  };
  const settled = (p: Promise<unknown>) => {
    let done = false;
    p.then(
      () => (done = true),
      () => (done = true),
    );
    return () => done;
  };

  it('hashes a file of 8 MiB or more no further than its pace allows, and whole once the pace is raised', async () => {
    const size = 24 * 1024 * 1024;
    const pace = handPace(8 * 1024 * 1024);
    const pending = hasher.hash!(new File([pattern(size)], 'paced.bin'), 'paced.bin', { pace });
    const done = settled(pending);
    await new Promise((r) => setTimeout(r, 500));
    expect(done(), 'answered while 8 of 24 MiB were allowed').to.equal(false);
    pace.raise(Infinity);
    expect((await pending).md5).to.equal(await nodePatternMd5(size));
  });

  it('lets a paced file go at full speed while another file waits for a hashing worker', async () => {
    const single = createWorkerHasher({ workers: 1 });
    try {
      const size = 24 * 1024 * 1024;
      const pace = handPace(8 * 1024 * 1024); // never raised
      const paced = single.hash!(new File([pattern(size)], 'paced.bin'), 'paced.bin', { pace });
      const waiting = single.md5(new Blob([pattern(1000)]));
      expect([(await paced).md5, await waiting]).to.deep.equal([await nodePatternMd5(size), await nodePatternMd5(1000)]);
    } finally {
      single.dispose?.();
    }
  });
});
