import { createMd5Worker } from './md5-worker-factory.ts';

/**
 * MD5 of a `Blob`, computed off the main thread.
 *
 * Mixpeek's confirm compares the `etag` it is sent with the stored object's ETag, which for a
 * single S3 PUT is the MD5 of the bytes (S3 "Checking object integrity"). Browsers cannot
 * always read the storage `ETag` header (the bucket's CORS must expose it), so the engine
 * computes the MD5 itself while the bytes are in flight, and only needs it at confirm time.
 */

/** Computes MD5s. Swap it for a faster one (e.g. WebAssembly) through the engine's options. */
export interface Hasher {
  /**
   * Resolves with the lowercase 32-hex MD5 of `blob`'s bytes. Rejects with an `AbortError`
   * when `signal` aborts, and with an `Error` naming the reason when the bytes cannot be read.
   */
  md5(blob: Blob, options?: { signal?: AbortSignal | undefined }): Promise<string>;
  /** Frees workers. */
  dispose?(): void;
}

/** Messages between the pool and a hashing worker. */
export type HashRequest = { type: 'hash'; id: number; blob: Blob; sliceSize: number } | { type: 'cancel'; id: number };
export type HashReply = { id: number; md5: string } | { id: number; error: string } | { id: number; canceled: true };

/** Options of {@link createWorkerHasher}. */
export interface WorkerHasherOptions {
  /** Parallel workers; default `navigator.hardwareConcurrency` (at least 1, at most 8). */
  workers?: number;
  /** Bytes read per slice; default 4 MiB (bounded memory whatever the file size). */
  sliceSize?: number;
  /** Creates one hashing worker; default: the bundled spark-md5 worker. */
  createWorker?: () => Worker;
}


interface Job {
  id: number;
  blob: Blob;
  resolve: (md5: string) => void;
  reject: (error: unknown) => void;
  signal?: AbortSignal | undefined;
  onAbort?: () => void;
}

/**
 * A pool of Web Workers running spark-md5 over `Blob` slices. Jobs wait in FIFO order for a
 * free worker; workers start lazily and stay for the pool's life.
 */
export function createWorkerHasher(options: WorkerHasherOptions = {}): Hasher {
  const size = Math.max(
    1,
    Math.min(8, options.workers ?? (typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : 2) ?? 2),
  );
  const sliceSize = options.sliceSize ?? 4 * 1024 * 1024;
  const createWorker = options.createWorker ?? createMd5Worker;
  const idle: Worker[] = [];
  const busy = new Map<Worker, Job>();
  const waiting: Job[] = [];
  let workerCount = 0;
  let nextId = 1;

  const finish = (worker: Worker, job: Job) => {
    busy.delete(worker);
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    idle.push(worker);
    schedule();
  };

  const onMessage = (worker: Worker) => (event: MessageEvent<HashReply>) => {
    const job = busy.get(worker);
    if (!job || job.id !== event.data.id) return;
    finish(worker, job);
    const reply = event.data;
    if ('md5' in reply) job.resolve(reply.md5);
    else if ('error' in reply) job.reject(new Error(reply.error));
    // `canceled` replies were already rejected with an AbortError when the signal fired.
  };

  const schedule = () => {
    while (waiting.length > 0) {
      let worker = idle.pop();
      if (!worker && workerCount < size) {
        worker = createWorker();
        workerCount += 1;
        const w = worker;
        w.addEventListener('message', onMessage(w));
        w.addEventListener('error', (event) => {
          const job = busy.get(w);
          if (job) {
            finish(w, job);
            job.reject(new Error(`The hashing worker failed: ${event.message || 'could not start'}`));
          }
        });
      }
      if (!worker) return;
      const job = waiting.shift()!;
      busy.set(worker, job);
      worker.postMessage({ type: 'hash', id: job.id, blob: job.blob, sliceSize } satisfies HashRequest);
    }
  };

  return {
    md5(blob, { signal } = {}) {
      return new Promise<string>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason ?? new DOMException('Hashing was canceled.', 'AbortError'));
          return;
        }
        const job: Job = { id: nextId++, blob, resolve, reject, signal };
        if (signal) {
          job.onAbort = () => {
            const queued = waiting.indexOf(job);
            if (queued >= 0) waiting.splice(queued, 1);
            for (const [worker, running] of busy) {
              if (running === job) worker.postMessage({ type: 'cancel', id: job.id } satisfies HashRequest);
            }
            reject(new DOMException('Hashing was canceled.', 'AbortError'));
          };
          signal.addEventListener('abort', job.onAbort, { once: true });
        }
        waiting.push(job);
        schedule();
      });
    },
    dispose() {
      for (const worker of [...idle, ...busy.keys()]) worker.terminate();
      for (const job of [...waiting, ...busy.values()]) job.reject(new DOMException('The hasher was disposed.', 'AbortError'));
      idle.length = 0;
      busy.clear();
      waiting.length = 0;
      workerCount = 0;
    },
  };
}
