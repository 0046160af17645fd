/// <reference types="vite/client" />
/**
 * The hashing and reading workers inlined into the bundle, so `dist/mixpeek-uploader.js` is one
 * file. The workers then start from `blob:` URLs: a page with a Content-Security-Policy must
 * allow `worker-src blob:`.
 */
import Md5Worker from './md5.worker.ts?worker&inline';
import ReaderWorker from './blob-reader.worker.ts?worker&inline';

export function createMd5Worker(): Worker {
  return new Md5Worker({ name: 'mixpeek-md5' });
}

export function createReaderWorker(): Worker {
  return new ReaderWorker({ name: 'mixpeek-reader' });
}
