/**
 * `npm run demo`: the demo page (Vite's dev server) with the upload gateway mounted at
 * `/mixpeek` on the same origin, in front of the local Mixpeek emulator. The page holds no
 * key: the gateway adds it. Prints the page's URL; Ctrl-C stops everything.
 *
 * With `MIXPEEK_API_KEY`, `MIXPEEK_NAMESPACE` and `MIXPEEK_BUCKET` set (and optionally
 * `MIXPEEK_API_URL`, `MIXPEEK_BLOB_PROPERTY`), the same page uploads to that Mixpeek account
 * instead, and no emulator starts.
 *
 * Flags: `--port N` for the page (default 5173), `--host H` (default 127.0.0.1).
 */
import { parseArgs } from 'node:util';
import { createServer, type Plugin } from 'vite';
import { startEmulator, type Emulator } from '../src/emulator/index.ts';
import { createGateway } from '../src/gateway/index.ts';
import { toNodeListener } from '../src/gateway/node.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.DEMO_PORT ?? '5173' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});

const real = process.env.MIXPEEK_API_KEY;
// MIXPEEK_BUCKETS (the gateway's list) works too: its first bucket.
const realBucket = process.env.MIXPEEK_BUCKET ?? process.env.MIXPEEK_BUCKETS?.split(',')[0]?.trim();
if (real && !(process.env.MIXPEEK_NAMESPACE && realBucket)) {
  console.error('With MIXPEEK_API_KEY set, also set MIXPEEK_NAMESPACE and MIXPEEK_BUCKET.');
  process.exit(2);
}
const emulator: Emulator | undefined = real
  ? undefined
  : await startEmulator({ host: values.host, log: (line) => console.log(`  emulator  ${line}`) });
const upstream = real
  ? {
      apiKey: real,
      apiUrl: process.env.MIXPEEK_API_URL ?? 'https://api.mixpeek.com',
      namespace: process.env.MIXPEEK_NAMESPACE!,
      bucket: realBucket!,
      target: 'your Mixpeek account',
    }
  : {
      apiKey: emulator!.apiKey,
      apiUrl: emulator!.apiUrl,
      namespace: emulator!.namespace,
      bucket: emulator!.buckets[0]!,
      target: 'the local Mixpeek emulator',
    };

const gateway = toNodeListener(
  createGateway({
    apiKey: upstream.apiKey,
    apiUrl: upstream.apiUrl,
    namespace: upstream.namespace,
    buckets: [upstream.bucket],
    basePath: '/mixpeek',
    rateLimit: false,
    log: (line) => console.log(`  gateway   ${line}`),
  }),
);
/** Mounts the gateway at /mixpeek on the page's own origin (so no CORS is needed). */
const mountGateway: Plugin = {
  name: 'mixpeek-gateway',
  configureServer(server) {
    server.middlewares.use((req, res, next) => {
      if (req.url?.startsWith('/mixpeek/')) void gateway(req, res);
      else next();
    });
  },
};

const page = await createServer({
  configFile: false,
  root: new URL('../demo/', import.meta.url).pathname,
  server: { host: values.host, port: Number(values.port), strictPort: false, fs: { allow: ['..'] } },
  logLevel: 'warn',
  plugins: [mountGateway],
  // Pre-bundle at start-up: a dependency found later (those of the hashing worker) would
  // make Vite reload the page in the middle of an upload.
  optimizeDeps: {
    entries: ['index.html'],
    include: [
      'lit',
      'lit/decorators.js',
      '@uppy/core',
      '@uppy/core/utils',
      '@uppy/aws-s3',
      'spark-md5',
      'hash-wasm',
      '@noble/hashes/sha2.js',
    ],
  },
  define: {
    __MIXPEEK_DEMO__: JSON.stringify({
      apiUrl: '/mixpeek',
      bucket: upstream.bucket,
      blobProperty: process.env.MIXPEEK_BLOB_PROPERTY ?? '',
      target: upstream.target,
    }),
  },
});
await page.listen();
const url = page.resolvedUrls?.local[0] ?? `http://${values.host}:${values.port}/`;

console.log(`
  mixpeek-uploader demo

  Open ${url}
  Gateway ${url.replace(/\/$/, '')}/mixpeek → ${upstream.apiUrl} (${upstream.target}; namespace ${upstream.namespace}, bucket ${upstream.bucket})${
    emulator ? `\n  Object storage ${emulator.storageUrl}` : ''
  }

  Press Ctrl-C to stop.
`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\n  Stopping…');
  await Promise.allSettled([page.close(), emulator?.close()]);
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
