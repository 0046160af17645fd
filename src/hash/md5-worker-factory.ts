/**
 * Starts the spark-md5 hashing worker from its own module file (development, tests, and
 * bundlers that follow `new URL(…, import.meta.url)`). The self-contained build replaces this
 * module with `md5-worker-factory.inline.ts` (see vite.config.ts).
 */
export function createMd5Worker(): Worker {
  return new Worker(new URL('./md5.worker.ts', import.meta.url), { type: 'module', name: 'mixpeek-md5' });
}
