/**
 * Builds the Node side of the package with esbuild: `dist/gateway.js` (the `createGateway`
 * fetch handler, any runtime) and `dist/mixpeek-gateway.js` (the CLI behind
 * `npx mixpeek-gateway`). Dependencies stay external; they are the package's dependencies.
 */
import { build } from 'esbuild';

const common = { bundle: true, format: 'esm', packages: 'external', target: 'node20', logLevel: 'warning' };
await build({ ...common, entryPoints: ['src/gateway/index.ts'], outfile: 'dist/gateway.js', platform: 'neutral' });
await build({
  ...common,
  entryPoints: ['src/gateway/cli.ts'],
  outfile: 'dist/mixpeek-gateway.js',
  platform: 'node',
  banner: { js: '#!/usr/bin/env node' },
});
await import('node:fs/promises').then((fs) => fs.chmod('dist/mixpeek-gateway.js', 0o755));
