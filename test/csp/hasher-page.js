/**
 * The hasher page's own script: hands test/csp/hasher.test.ts the built package's
 * `createWorkerHasher` (dist/index.js, whose workers are inlined and start from `blob:` URLs
 * through the `mixpeek-uploader` Trusted Types policy, as in the script-tag build).
 */
import { createWorkerHasher } from '/dist/index.js';

window.__createWorkerHasher = createWorkerHasher;
