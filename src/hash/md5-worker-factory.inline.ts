/// <reference types="vite/client" />
/**
 * The hashing worker inlined into the bundle, so `dist/mixpeek-uploader.js` is one file. The
 * worker then starts from a `blob:` URL: a page with a Content-Security-Policy must allow
 * `worker-src blob:`.
 */
import Md5Worker from './md5.worker.ts?worker&inline';

export function createMd5Worker(): Worker {
  return new Md5Worker({ name: 'mixpeek-md5' });
}
