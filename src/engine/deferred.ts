/**
 * The engine's default transfer and hasher, loaded when first used rather than with the page:
 * Uppy (about 22 KiB min + gzip) and the inlined hashing workers are not needed to draw the
 * element, so the script-tag build keeps them in chunks of their own (`import()`). The element
 * asks for them once the page is idle, before anyone picks a file, and the engine when an
 * upload starts ({@link Uploader.preload}), beside its first batch create.
 */
import { fingerprint } from '../hash/fingerprint.ts';
import type { Hasher } from '../hash/hasher.ts';
import { MixpeekUploaderError, abortError, messageOf } from '../errors.ts';
import { type Transfer, UPPY_QUEUE_AHEAD } from '../transfer/types.ts';

/**
 * A part of the script that could not be loaded: in the script-tag build, a
 * `mixpeek-uploader-*.js` chunk missing beside `mixpeek-uploader.js`, or refused by the page's
 * Content-Security-Policy. The engine fails the files that need it with this message, before
 * creating their uploads when it can.
 */
export class DeferredLoadError extends MixpeekUploaderError {
  override name = 'DeferredLoadError';

  constructor(message: string, options?: { cause?: unknown }) {
    super('upload-failed', message, options);
  }
}

/** How long a failed load is answered from memory before the chunk is asked for again, ms. */
const FAILED_LOAD_KEPT = 10_000;

/**
 * Caches a dynamic import. A failure becomes a {@link DeferredLoadError}, kept for
 * {@link FAILED_LOAD_KEPT} ms (the files of a run fail at once instead of each fetching the
 * chunk again), then forgotten, so a later upload asks again.
 */
function once<T>(what: string, load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      setTimeout(() => (loading = undefined), FAILED_LOAD_KEPT);
      throw new DeferredLoadError(
        `${what} could not be loaded (${messageOf(error)}): serve every dist/mixpeek-uploader*.js file from the folder of mixpeek-uploader.js.`,
        { cause: error },
      );
    }));
}

/** Loads uppy-transfer.ts (its own chunk in the script-tag build). */
export const loadUppyTransfer = once('The upload code', () => import('../transfer/uppy-transfer.ts'));
/** Loads hasher.ts, the worker pool (its own chunk in the script-tag build). */
export const loadWorkerHasher = once('The hashing code', () => import('../hash/hasher.ts'));
/** Loads duplicates.ts, loaded with the first create (first paint has a size budget). */
export const loadDuplicateCheck = once('The duplicate check', () => import('./duplicates.ts'));
/** Loads create-request.ts, loaded with the first create (first paint has a size budget). */
export const loadCreateRequest = once('The create code', () => import('./create-request.ts'));

/**
 * The `@uppy/aws-s3` transfer (uppy-transfer.ts), loaded on the first PUT; `load` is for tests.
 * A PUT whose code cannot be loaded rejects with a {@link DeferredLoadError}.
 */
export function deferredUppyTransfer(options: { concurrency: number }, load = loadUppyTransfer): Transfer {
  let transfer: Transfer | undefined;
  let disposed = false;
  const ready = async (): Promise<Transfer> => {
    if (!transfer) {
      const module = await load();
      if (disposed) throw abortError('The transfer was disposed.');
      transfer ??= module.createUppyTransfer(options);
    }
    return transfer;
  };
  return {
    queueAhead: UPPY_QUEUE_AHEAD,
    async put(job, onProgress, signal) {
      const made = await ready();
      signal?.throwIfAborted();
      return made.put(job, onProgress, signal);
    },
    prepare() {
      ready().catch(() => undefined); // a chunk that cannot load fails the PUT, with its reason
    },
    dispose() {
      disposed = true;
      transfer?.dispose();
    },
  };
}

/**
 * The worker pool of hasher.ts (`createWorkerHasher()` with its defaults), loaded on first use;
 * `load` is for tests. `md5` rejects with a {@link DeferredLoadError} when the pool cannot be
 * loaded; fingerprints are then read on the calling thread.
 */
export function deferredWorkerHasher(load = loadWorkerHasher): Hasher {
  let hasher: Hasher | undefined;
  let disposed = false;
  const ready = async () => {
    if (!hasher) {
      const module = await load();
      if (disposed) throw abortError('The hasher was disposed.');
      hasher ??= module.createWorkerHasher();
    }
    return hasher;
  };
  return {
    supportsSha256: true, // the bundled pool, with its bundled worker
    md5: async (blob, options) => (await ready()).md5(blob, options),
    hash: async (file, relativePath, options) => (await ready()).hash!(file, relativePath, options),
    async fingerprint(file, relativePath) {
      const pool = await ready().catch((error: unknown) => {
        if (error instanceof DeferredLoadError) return undefined;
        throw error;
      });
      return pool ? pool.fingerprint!(file, relativePath) : fingerprint(file, relativePath);
    },
    dispose() {
      disposed = true;
      hasher?.dispose?.();
    },
  };
}
