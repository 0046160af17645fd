/**
 * `npm run demo`: the demo page (Vite's dev server) with the upload gateway mounted at
 * `/mixpeek` on the same origin, in front of the local Mixpeek emulator. The page holds no
 * key: the gateway adds it. Prints the page's URL; Ctrl-C stops everything.
 *
 * With `MIXPEEK_API_KEY`, `MIXPEEK_NAMESPACE` and `MIXPEEK_BUCKET` set (and optionally
 * `MIXPEEK_API_URL`, `MIXPEEK_BLOB_PROPERTY`), the same page uploads to that Mixpeek account
 * instead, and no emulator starts.
 *
 * Flags: `--port N` for the page (default 5173; a busy port moves to the next free one),
 * `--host H` (default 127.0.0.1), `--help`. Every expected failure (a bad flag, a missing
 * package, an address that is not this machine's, a Mixpeek API that does not answer) is one
 * line and a non-zero exit code.
 */
import { parseArgs } from 'node:util';
import type { Plugin } from 'vite';
import { startFailure, UsageError } from '../src/emulator/start-failure.ts';

const USAGE = `Usage: npm run demo [-- options]

The demo page with the upload gateway at /mixpeek, in front of the built-in Mixpeek emulator
(or your Mixpeek account when MIXPEEK_API_KEY, MIXPEEK_NAMESPACE and MIXPEEK_BUCKET are set).

  --port N    the page's port (default 5173, or DEMO_PORT; a busy port moves to the next free one)
  --host H    the interface (default 127.0.0.1)
  --help      this text`;

/** The demo's settings from its flags and environment; throws {@link UsageError}. */
function readFlags(): { port: number; host: string } | undefined {
  let values: { port?: string | undefined; host: string; help: boolean };
  try {
    values = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return undefined;
  const port = values.port ?? (process.env.DEMO_PORT || '5173');
  if (!/^\d+$/.test(port) || Number(port) > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, not '${port}'`);
  return { port: Number(port), host: values.host };
}

/** Fails with one line when nothing answers at `apiUrl` (any HTTP answer will do). */
async function checkReachable(apiUrl: string): Promise<void> {
  try {
    await fetch(apiUrl, { method: 'HEAD', signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (err as Error).message;
    throw new UnreachableError(`cannot reach ${apiUrl} (${reason}): check MIXPEEK_API_URL and the network`);
  }
}

/** The Mixpeek API the demo should upload to does not answer. */
class UnreachableError extends Error {}

/** What to close when the demo fails after the emulator started. */
let closeOnFailure: () => Promise<void> | undefined = () => undefined;

async function main(): Promise<void> {
  const flags = readFlags();
  if (!flags) {
    console.log(USAGE);
    return;
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  const real = process.env.MIXPEEK_API_KEY;
  // MIXPEEK_BUCKETS (the gateway's list) works too: its first bucket.
  const realBucket = process.env.MIXPEEK_BUCKET || process.env.MIXPEEK_BUCKETS?.split(',')[0]?.trim();
  if (real && !(process.env.MIXPEEK_NAMESPACE && realBucket)) {
    throw new UsageError('with MIXPEEK_API_KEY set, also set MIXPEEK_NAMESPACE and MIXPEEK_BUCKET');
  }
  // Loaded only now, so a missing package is named instead of failing this script's import.
  const [{ createServer }, { startEmulator }, { createGateway }, { toNodeListener }] = await Promise.all([
    import('vite'),
    import('../src/emulator/index.ts'),
    import('../src/gateway/index.ts'),
    import('../src/gateway/node.ts'),
  ]);
  const emulator = real ? undefined : await startEmulator({ host: flags.host, log: (line) => console.log(`  emulator  ${line}`) });
  closeOnFailure = () => emulator?.close();
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

  if (real) await checkReachable(upstream.apiUrl);

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
    server: { host: flags.host, port: flags.port, strictPort: false, fs: { allow: ['..'] } },
    logLevel: 'warn',
    plugins: [mountGateway],
    // Pre-bundle at start-up: a dependency found later (spark-md5 in the hashing worker) would
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
  const url = page.resolvedUrls?.local[0] ?? `http://${flags.host}:${flags.port}/`;

  // Before the banner: whoever reads it may stop the demo at once.
  let stopping = false;
  async function stop(): Promise<void> {
    if (stopping) return;
    stopping = true;
    console.log('\n  Stopping…');
    await Promise.allSettled([page.close(), emulator?.close()]);
    process.exit(0);
  }
  process.on('SIGINT', () => void stop());
  // Vite's dev server has a SIGTERM handler of its own that exits (with 143) before the
  // emulator is closed; this one closes both and exits with 0.
  process.removeAllListeners('SIGTERM');
  process.on('SIGTERM', () => void stop());

  console.log(`
  mixpeek-uploader demo

  Open ${url}
  Gateway ${url.replace(/\/$/, '')}/mixpeek → ${upstream.apiUrl} (${upstream.target}; namespace ${upstream.namespace}, bucket ${upstream.bucket})${
    emulator ? `\n  Object storage ${emulator.storageUrl}` : ''
  }

  Press Ctrl-C to stop.
`);
}

main().catch(async (err: unknown) => {
  await closeOnFailure();
  const { message, exitCode } =
    err instanceof UnreachableError
      ? { message: err.message, exitCode: 1 }
      : startFailure(err, { installCommand: () => 'npm install (in this repository; the demo needs its devDependencies too)' });
  console.error(`demo: ${message}`);
  process.exit(exitCode);
});
