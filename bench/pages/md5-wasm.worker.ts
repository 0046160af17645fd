/// <reference lib="webworker" />
/**
 * A hashing worker for the element's pool with hash-wasm's WebAssembly MD5 instead of
 * spark-md5: the pool's protocol comes from `serveMd5Requests`, this file only says how to
 * hash. Used through `createHashWasmHasher()` (hash-wasm-hasher.ts).
 */
import { createMD5 } from 'hash-wasm';
import { serveMd5Requests } from '../../src/hash/md5-worker-runtime.ts';

const wasm = createMD5(); // one WebAssembly instance per worker, reset for each file

serveMd5Requests(async () => {
  const md5 = (await wasm).init();
  return { update: (bytes) => md5.update(bytes), digest: () => md5.digest('hex') };
});
