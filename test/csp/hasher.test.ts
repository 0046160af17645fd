/**
 * The built package's hashing pool (dist/index.js, `npm run build`) on a page with the strict
 * Content-Security-Policy of strict.test.ts, which refuses WebAssembly (`script-src` without
 * `'wasm-unsafe-eval'`), and on the same page with a policy that allows it
 * (test/csp/hasher.html, served with either by web-test-runner.config.mjs).
 */
import { expect } from '@esm-bundle/chai';
import type { createWorkerHasher } from '../../src/hash/hasher.ts';
import { nodeMd5, nodePatternMd5, pattern } from '../support/fixtures.ts';
import { nodePatternSha256, nodeSha256 } from '../hash/node-digests.ts';

type HasherWindow = Window &
  typeof globalThis & {
    __cspViolations: unknown[];
    __createWorkerHasher?: typeof createWorkerHasher;
  };

/** Loads the hasher page in an iframe, `?wasm` or not; resolves once its script ran. */
async function loadHasherPage(query: string): Promise<{ frame: HTMLIFrameElement; win: HasherWindow }> {
  const frame = document.createElement('iframe');
  frame.src = `/test/csp/hasher.html${query}`;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await loaded;
  const win = frame.contentWindow as HasherWindow;
  expect(win.__cspViolations, 'strict-page.js did not run').to.be.an('array');
  expect(win.__createWorkerHasher, 'dist/index.js did not load: run npm run build').to.be.a('function');
  return { frame, win };
}

const MiB = 1024 * 1024;

const cases = [
  { title: 'refuses WebAssembly (the strict policy)', query: '', policy: "script-src 'self';", implementation: 'spark-md5' },
  {
    title: "allows WebAssembly ('wasm-unsafe-eval')",
    query: '?wasm',
    policy: "script-src 'self' 'wasm-unsafe-eval';",
    implementation: 'hash-wasm',
  },
];

describe('the hashing pool under a Content-Security-Policy (test/csp/hasher.html)', () => {
  for (const { title, query, policy, implementation } of cases) {
    it(`hashes MD5 and SHA-256 correctly with ${implementation} where the page ${title}, with no violation on the page`, async () => {
      const { frame, win } = await loadHasherPage(query);
      const hasher = win.__createWorkerHasher!({ workers: 2 });
      try {
        const served = (await fetch(frame.src)).headers.get('content-security-policy') ?? '';
        expect(served).to.include(policy).and.include("require-trusted-types-for 'script'");

        const abc = new TextEncoder().encode('abc');
        // Two workers at once: each tries WebAssembly (or not) and answers alike.
        const [small, medium] = await Promise.all([
          hasher.hash!(new win.File([abc], 'abc.txt'), 'abc.txt', { sha256: true }),
          hasher.hash!(new win.File([pattern(MiB)], 'p.bin'), 'p.bin', { sha256: true }),
        ]);
        expect(small).to.include({ md5: await nodeMd5(abc), sha256: await nodeSha256(abc), implementation });
        expect(medium).to.include({ md5: await nodePatternMd5(MiB), sha256: await nodePatternSha256(MiB), implementation });

        // A file of several pieces through the reading worker: the streaming SHA-256.
        const size = 9 * MiB + 5;
        const big = await hasher.hash!(new win.File([pattern(size)], 'big.bin'), 'big.bin', { sha256: true });
        expect(big).to.include({ md5: await nodePatternMd5(size), sha256: await nodePatternSha256(size), implementation });
        expect(await hasher.md5(new win.Blob([abc]))).to.equal('900150983cd24fb0d6963f7d28e17f72');
        // A refused WebAssembly compile is the worker's, reported there, not on the page.
        expect(win.__cspViolations).to.deep.equal([]);
      } finally {
        hasher.dispose?.();
        frame.remove();
      }
    });
  }
});
