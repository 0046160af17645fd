/**
 * Browser tests (`npm run test:browser`): the real element in headless Chromium against the
 * real emulator (HTTP on 127.0.0.1, real object storage). The emulator starts once here; tests
 * read its address from `window.__MIXPEEK_TEST__` and its request log over HTTP.
 */
import { createHash } from 'node:crypto';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { register } from 'tsx/esm/api';
import { chromiumArgs, chromiumPath } from './test/support/chromium.mjs';
import { commonjsPlugin } from './test/support/commonjs-plugin.mjs';

register();
// The AWS SDK's notice about future Node versions is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { startEmulator } = await import('./src/emulator/index.ts');
/** Node's MD5 and SHA-256 of P(n), the project's fixture: n bytes where byte i is i mod 251. */
const { patternMd5, patternSha256 } = await import('./bench/support/files.ts');
const emulator = await startEmulator({ taskStepMs: 150 });

// The gateway, mounted at /mixpeek on the test page's own origin, in front of the emulator.
const { createGateway } = await import('./src/gateway/index.ts');
const { toNodeListener } = await import('./src/gateway/node.ts');
const gateway = toNodeListener(
  createGateway({
    apiKey: emulator.apiKey,
    apiUrl: emulator.apiUrl,
    namespace: emulator.namespace,
    buckets: emulator.buckets,
    basePath: '/mixpeek',
    rateLimit: false,
  }),
);
// A second gateway with an upload policy, at /mixpeek-strict, for refusals the element shows.
const strictGateway = toNodeListener(
  createGateway({
    apiKey: emulator.apiKey,
    apiUrl: emulator.apiUrl,
    namespace: emulator.namespace,
    buckets: emulator.buckets,
    basePath: '/mixpeek-strict',
    allowedContentTypes: ['image/*'],
    maxFileSize: 1000,
    rateLimit: false,
  }),
);
/** Koa middleware handing /mixpeek/* and /mixpeek-strict/* to the gateways. */
async function gatewayMiddleware(ctx, next) {
  const handler = ctx.path.startsWith('/mixpeek/') ? gateway : ctx.path.startsWith('/mixpeek-strict/') ? strictGateway : null;
  if (!handler) return next();
  ctx.respond = false;
  await handler(ctx.req, ctx.res);
}

/**
 * The strict page (test/csp/strict.html) with the strictest Content-Security-Policy the element
 * works under (README, "Strict Content-Security-Policy"): the gateway is same-origin, so only
 * object storage is another origin to connect to.
 */
const strictPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  'worker-src blob:',
  `connect-src 'self' ${new URL(emulator.storageUrl).origin}`,
  "require-trusted-types-for 'script'",
  'trusted-types mixpeek-uploader lit-html',
].join('; ');
/** The strict policy where WebAssembly may run (test/csp/hasher.test.ts, the hasher's WASM path). */
const wasmPolicy = strictPolicy.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'");
async function strictCspMiddleware(ctx, next) {
  await next();
  if (ctx.path === '/test/csp/strict.html') ctx.set('Content-Security-Policy', strictPolicy);
  // The hasher alone under either policy: `?wasm` allows WebAssembly.
  if (ctx.path === '/test/csp/hasher.html') ctx.set('Content-Security-Policy', 'wasm' in ctx.query ? wasmPolicy : strictPolicy);
}

/** Server commands tests call through `executeServerCommand`; stops the emulator at the end. */
const nodeCommands = {
  name: 'node-commands',
  async serverStop() {
    await emulator.close(); // also removes its temporary storage folder
  },
  executeCommand({ command, payload }) {
    if (command === 'node-md5') return createHash('md5').update(Buffer.from(payload.base64, 'base64')).digest('hex');
    if (command === 'node-md5-pattern') return patternMd5(payload.size);
    if (command === 'node-sha256') return createHash('sha256').update(Buffer.from(payload.base64, 'base64')).digest('hex');
    if (command === 'node-sha256-pattern') return patternSha256(payload.size);
    return undefined;
  },
};

if (!chromiumPath) throw new Error("No Chromium found: install Debian's chromium package or set CHROME_PATH.");

export default {
  files: ['test/**/*.test.ts', '!test/**/*.node.test.ts'],
  nodeResolve: { exportConditions: ['production', 'browser'] },
  concurrency: 1,
  middleware: [gatewayMiddleware, strictCspMiddleware],
  testsFinishTimeout: 300_000,
  testFramework: { config: { timeout: 120_000 } },
  browsers: [chromeLauncher({ launchOptions: { executablePath: chromiumPath, headless: true, args: chromiumArgs } })],
  plugins: [commonjsPlugin(), esbuildPlugin({ ts: true, target: 'auto', tsconfig: './tsconfig.json' }), nodeCommands],
  testRunnerHtml: (testFramework) => `<!doctype html>
    <html><head><meta charset="utf-8"></head><body>
    <script>window.__MIXPEEK_TEST__ = ${JSON.stringify({
      apiUrl: emulator.apiUrl,
      storageUrl: emulator.storageUrl,
      apiKey: emulator.apiKey,
      namespace: emulator.namespace,
      bucket: emulator.buckets[0],
    })};
    // The virtualized list's ResizeObserver may report "loop completed with undelivered
    // notifications", a benign browser notice; stopped before the runner logs it as \`null\`.
    addEventListener('error', (e) => { if (String(e.message).includes('ResizeObserver loop')) e.stopImmediatePropagation(); }, true);</script>
    <script type="module" src="${testFramework}"></script>
    </body></html>`,
};
