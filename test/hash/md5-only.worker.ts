/// <reference lib="webworker" />
/** A site's own hashing worker written before SHA-256: the runtime with an MD5 only (sha256.test.ts). */
import { sparkMd5 } from '../../src/hash/js-digests.ts';
import { serveMd5Requests } from '../../src/hash/md5-worker-runtime.ts';

serveMd5Requests(sparkMd5);
