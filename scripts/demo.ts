/**
 * `npm run demo`: starts the Mixpeek emulator and the demo page (Vite's dev server) on
 * 127.0.0.1, prints the page's URL, and shuts both down on Ctrl-C.
 *
 * Flags: `--port N` for the page (default 5173), `--host H` (default 127.0.0.1).
 */
import { parseArgs } from 'node:util';
import { createServer } from 'vite';
import { startEmulator } from '../src/emulator/index.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.DEMO_PORT ?? '5173' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});

const emulator = await startEmulator({ host: values.host, log: (line) => console.log(`  emulator  ${line}`) });
const page = await createServer({
  configFile: false,
  root: new URL('../demo/', import.meta.url).pathname,
  server: { host: values.host, port: Number(values.port), strictPort: false, fs: { allow: ['..'] } },
  logLevel: 'warn',
  // Pre-bundle at start-up: a dependency found later (spark-md5 in the hashing worker) would
  // make Vite reload the page in the middle of an upload.
  optimizeDeps: {
    entries: ['index.html'],
    include: ['lit', 'lit/decorators.js', '@uppy/core', '@uppy/core/utils', '@uppy/aws-s3', 'spark-md5'],
  },
  define: {
    __MIXPEEK_DEMO__: JSON.stringify({
      apiUrl: emulator.apiUrl,
      apiKey: emulator.apiKey,
      namespace: emulator.namespace,
      bucket: emulator.buckets[0],
      target: 'the local Mixpeek emulator',
    }),
  },
});
await page.listen();
const url = page.resolvedUrls?.local[0] ?? `http://${values.host}:${values.port}/`;

console.log(`
  mixpeek-uploader demo

  Open ${url}
  Emulator API ${emulator.apiUrl} (key ${emulator.apiKey}, namespace ${emulator.namespace}, bucket ${emulator.buckets[0]})
  Object storage ${emulator.storageUrl}

  Press Ctrl-C to stop.
`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\n  Stopping…');
  await Promise.allSettled([page.close(), emulator.close()]);
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
