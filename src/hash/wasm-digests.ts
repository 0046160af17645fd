/**
 * MD5 and SHA-256 states on hash-wasm's WebAssembly (about twice spark-md5's speed per core,
 * measured here). Each kind is compiled once per worker, on first use; a page whose
 * Content-Security-Policy has `script-src` without `'wasm-unsafe-eval'` refuses the compile,
 * and the promise rejects (md5.worker.ts then falls back to js-digests.ts).
 */
import { createMD5, createSHA256, type IHasher } from 'hash-wasm';
import type { Md5State } from './md5-worker-runtime.ts';
import type { Sha256State } from './sha256.ts';

/** One instance at a time per kind is in use (a worker hashes one file at a time); kept for the next. */
function reusing(create: () => Promise<IHasher>): () => Promise<IHasher> {
  let spare: IHasher | undefined;
  return async () => {
    const hasher = spare ?? (await create());
    spare = undefined;
    hasher.init();
    return Object.assign(hasher, {
      release: () => {
        spare = hasher;
      },
    });
  };
}

const md5s = reusing(createMD5);
const sha256s = reusing(createSHA256);

function state(hasher: IHasher & { release?: () => void }) {
  return {
    update: (bytes: Uint8Array) => void hasher.update(bytes), // copies them into the WebAssembly memory
    copiesBytes: true,
    digest() {
      const hex = hasher.digest('hex');
      hasher.release?.();
      return hex;
    },
  };
}

/** A fresh MD5 state; rejects where WebAssembly cannot start. */
export const wasmMd5 = async (): Promise<Md5State> => ({ ...state(await md5s()), implementation: 'hash-wasm' });

/** A fresh streaming SHA-256 state; rejects where WebAssembly cannot start. */
export const wasmSha256 = async (): Promise<Sha256State> => state(await sha256s());
