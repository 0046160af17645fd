/**
 * Starts the spark-md5 hashing worker and the pool's reading worker from their own module files
 * (development, tests, and bundlers that follow `new URL(…, import.meta.url)`). The
 * self-contained build replaces this module with `md5-worker-factory.inline.ts` (see
 * vite.config.ts).
 */
export function createMd5Worker(): Worker {
  return new Worker(new URL('./md5.worker.ts', import.meta.url), { type: 'module', name: 'mixpeek-md5' });
}

export function createReaderWorker(): Worker {
  return new Worker(new URL('./blob-reader.worker.ts', import.meta.url), { type: 'module', name: 'mixpeek-reader' });
}
