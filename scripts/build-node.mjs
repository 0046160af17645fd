/**
 * Builds the Node side of the package with esbuild (see `external` below for what stays an import):
 * - `dist/gateway.js`: `createGateway`, a fetch handler for any runtime;
 * - `dist/gateway-node.js`: `toNodeListener` / `serveGateway` for Node's http, Express, Next.js;
 * - `dist/emulator.js`: `startEmulator`, the local Mixpeek-compatible API with object storage;
 * - `dist/mixpeek-gateway.js` and `dist/mixpeek-emulator.js`: the CLIs behind `npx`;
 * - `dist/md5-worker-runtime.js`: `serveMd5Requests`, for a hashing worker of your own (hash-wasm);
 * - `dist/workers/md5.worker.js` and `dist/workers/blob-reader.worker.js`: the hashing pool's
 *   workers as self-contained files, for sites that serve worker files themselves (strict CSP).
 */
import { chmod, readFile } from 'node:fs/promises';
import { build } from 'esbuild';

/**
 * Packages that stay imports: the dependencies and the optional peers (a user installs those
 * they use). valibot (the request schemas) and rate-limiter-flexible's in-memory limiter are
 * bundled instead, so the gateway core needs no package at run time and a browser app that
 * installs mixpeek-uploader gets no server package.
 */
const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]
  .filter((name) => name !== 'rate-limiter-flexible')
  .flatMap((name) => [name, `${name}/*`]);
const common = { bundle: true, format: 'esm', external, target: 'node20', logLevel: 'warning' };

/**
 * The emulator's CLI loads the emulator only after reading its flags, so that a missing optional
 * package is named instead of failing the CLI's own import: its `import('./index.ts')` stays an
 * import of the emulator's build, `dist/emulator.js`, instead of being bundled into the CLI.
 */
const emulatorAsSibling = {
  name: 'emulator-as-sibling',
  setup(b) {
    b.onResolve({ filter: /^\.\/index\.ts$/ }, (args) =>
      args.importer.endsWith('src/emulator/cli.ts') && args.kind === 'dynamic-import'
        ? { path: './emulator.js', external: true }
        : undefined,
    );
  },
};
const cli = { ...common, platform: 'node', banner: { js: '#!/usr/bin/env node' } };
await Promise.all([
  build({ ...common, entryPoints: ['src/gateway/index.ts'], outfile: 'dist/gateway.js', platform: 'neutral' }),
  build({ ...common, entryPoints: ['src/gateway/node.ts'], outfile: 'dist/gateway-node.js', platform: 'node' }),
  build({ ...common, entryPoints: ['src/emulator/index.ts'], outfile: 'dist/emulator.js', platform: 'node' }),
  build({ ...cli, entryPoints: ['src/gateway/cli.ts'], outfile: 'dist/mixpeek-gateway.js' }),
  build({ ...cli, entryPoints: ['src/emulator/cli.ts'], outfile: 'dist/mixpeek-emulator.js', plugins: [emulatorAsSibling] }),
  build({ ...common, entryPoints: ['src/hash/md5-worker-runtime.ts'], outfile: 'dist/md5-worker-runtime.js', platform: 'browser' }),
  build({
    ...common,
    packages: undefined, // a worker file runs as it is: hash-wasm, spark-md5 and @noble/hashes go inside
    entryPoints: ['src/hash/md5.worker.ts', 'src/hash/blob-reader.worker.ts'],
    outdir: 'dist/workers',
    platform: 'browser',
    target: 'es2022',
    minify: true,
  }),
]);
await Promise.all(['dist/mixpeek-gateway.js', 'dist/mixpeek-emulator.js'].map((file) => chmod(file, 0o755)));
