/**
 * The engine's default transfer and hasher, loaded when first used rather than with the page:
 * Uppy (about 22 KiB min + gzip) and the inlined hashing workers are not needed to draw the
 * element, so the script-tag build keeps them in chunks of their own (`import()`), and the
 * element asks for them once the page is idle, before anyone picks a file (and the engine when
 * a run starts, beside its first batch create). A chunk that fails to load is asked for again
 * on its next use.
 */
import { abortError } from '../errors.ts';
import type { Hasher } from '../hash/hasher.ts';
import type { Transfer } from '../transfer/types.ts';
import { TransferError } from '../transfer/types.ts';

/** Caches a dynamic import; forgets a failed one, so the next call tries again. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}

const uppyTransfer = once(() => import('../transfer/uppy-transfer.ts'));
const workerHasher = once(() => import('../hash/hasher.ts'));

/** Starts loading Uppy's chunk (a failure is left for its first real use). */
export function preloadUppyTransfer(): void {
  uppyTransfer().catch(() => undefined);
}

/** Starts loading the hashing pool's chunk (a failure is left for its first real use). */
export function preloadWorkerHasher(): void {
  workerHasher().catch(() => undefined);
}

/**
 * The `@uppy/aws-s3` transfer (uppy-transfer.ts), loaded on the first PUT. A chunk that cannot
 * be loaded fails that PUT as one that got no answer (a {@link TransferError} without
 * `status`), which the engine retries like a lost connection.
 */
export function deferredUppyTransfer(options: { concurrency: number }): Transfer {
  let transfer: Transfer | undefined;
  let disposed = false;
  return {
    async put(job, onProgress, signal) {
      if (!transfer) {
        const module = await uppyTransfer().catch((error: unknown) => {
          throw new TransferError(`The upload code could not be loaded: ${(error as Error)?.message ?? error}`);
        });
        if (disposed) throw abortError('The transfer was disposed.');
        transfer ??= module.createUppyTransfer(options);
      }
      signal?.throwIfAborted();
      return transfer.put(job, onProgress, signal);
    },
    dispose() {
      disposed = true;
      transfer?.dispose();
    },
  };
}

/** The worker pool of hasher.ts (`createWorkerHasher()` with its defaults), loaded on first use. */
export function deferredWorkerHasher(): Hasher {
  let hasher: Hasher | undefined;
  let disposed = false;
  const ready = async () => {
    if (!hasher) {
      const module = await workerHasher();
      if (disposed) throw abortError('The hasher was disposed.');
      hasher ??= module.createWorkerHasher();
    }
    return hasher;
  };
  return {
    md5: async (blob, options) => (await ready()).md5(blob, options),
    fingerprint: async (file, relativePath) => (await ready()).fingerprint!(file, relativePath),
    dispose() {
      disposed = true;
      hasher?.dispose?.();
    },
  };
}
