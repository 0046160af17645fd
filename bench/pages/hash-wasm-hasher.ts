/**
 * A WebAssembly MD5 for the engine's `hasher` option: the element's own worker pool
 * (`createWorkerHasher`), with workers that run hash-wasm instead of spark-md5.
 *
 *   const uploader = createUploader({ apiUrl, bucket, hasher: createHashWasmHasher() });
 *   // or, on the element, before the first upload:
 *   document.querySelector('mixpeek-uploader').engine.configure({ hasher: createHashWasmHasher() });
 *
 * hash-wasm is a dependency of the site that does this, not of the element.
 */
import { createWorkerHasher, type Hasher, type WorkerHasherOptions } from '../../src/hash/hasher.ts';

export function createHashWasmHasher(options: Omit<WorkerHasherOptions, 'createWorker'> = {}): Hasher {
  return createWorkerHasher({
    ...options,
    createWorker: () => new Worker(new URL('./md5-wasm.worker.ts', import.meta.url), { type: 'module', name: 'md5-wasm' }),
  });
}
