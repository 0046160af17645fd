/// <reference lib="webworker" />
/**
 * Hashing worker: MD5, and SHA-256 when the pool asks, one piece at a time, so memory stays
 * bounded whatever the file size. Bytes are never decoded as text. The protocol is in
 * md5-worker-runtime.ts.
 *
 * hash-wasm's WebAssembly where it starts (wasm-digests.ts); where it cannot (a
 * Content-Security-Policy without `'wasm-unsafe-eval'`, or no WebAssembly), spark-md5 and
 * @noble/hashes (js-digests.ts), silently: the first refusal is remembered for the worker's life.
 * The pool's `wasm: false` skips the attempt.
 */
import { nobleSha256, sparkMd5 } from './js-digests.ts';
import { serveMd5Requests, type DigestOptions } from './md5-worker-runtime.ts';
import { wasmMd5, wasmSha256 } from './wasm-digests.ts';

/** `false` once WebAssembly was refused here. */
let wasmStarts = true;

/** `wasm()`'s state, or `js()`'s where WebAssembly is not wanted or cannot start. */
async function either<T>({ wasm: wanted }: DigestOptions, wasm: () => Promise<T>, js: () => T): Promise<T> {
  if (!wanted || !wasmStarts) return js();
  try {
    return await wasm();
  } catch {
    wasmStarts = false; // refused (CSP) or missing: the pure-JavaScript code from now on
    return js();
  }
}

serveMd5Requests((options) => either(options, wasmMd5, sparkMd5), {
  createSha256: (options) => either(options, wasmSha256, nobleSha256),
});
