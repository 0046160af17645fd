/**
 * The hashing and reading workers inlined into the bundle as code (worker-code-plugin.ts), so
 * the script-tag build needs no worker files (they are in its hashing chunk). They start from `blob:` URLs through the Trusted Types
 * policy `mixpeek-uploader` where Trusted Types exist (trusted-worker.ts): a page with a
 * Content-Security-Policy must allow `worker-src blob:` (README, "Strict Content-Security-Policy").
 */
import md5Code from 'worker-code:./md5.worker.ts';
import readerCode from 'worker-code:./blob-reader.worker.ts';
import { startWorker } from './trusted-worker.ts';

export const createMd5Worker = (): Worker => startWorker(md5Code, 'mixpeek-md5');

export const createReaderWorker = (): Worker => startWorker(readerCode, 'mixpeek-reader');
