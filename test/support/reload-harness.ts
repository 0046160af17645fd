/** A page the reload test loads in an iframe, reloads mid-upload, and drives again. */
import '../../src/define.ts';
import type { TestEnv } from './fixtures.ts';

const env = (parent as unknown as { __MIXPEEK_TEST__: TestEnv }).__MIXPEEK_TEST__;
const el = document.querySelector('mixpeek-uploader')!;
Object.assign(el, { apiUrl: env.apiUrl, bucket: env.bucket, namespace: env.namespace, apiKey: env.apiKey, concurrency: 2 });
(window as unknown as { uploader: typeof el }).uploader = el;
