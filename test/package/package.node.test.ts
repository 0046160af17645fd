/**
 * The package as users install it (after `npm run build`): what `npm pack` ships, that every
 * `exports` target is in it, and that the entries import in plain Node (server-side rendering,
 * bundlers) without touching `window` or `document` or registering the element.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  exports: Record<string, string | Record<string, string>>;
  customElements: string;
  bin: Record<string, string>;
};

describe('npm package', () => {
  it('ships dist, types, the manifest, README, LICENSE and CHANGELOG, and no tests, demo or sources', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root });
    const files = new Set((JSON.parse(stdout) as [{ files: { path: string }[] }])[0].files.map((f) => f.path));
    for (const needed of [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'custom-elements.json',
      'dist/mixpeek-uploader.js',
      'dist/types/index.d.ts',
      'dist/types/jsx.d.ts',
      'dist/workers/md5.worker.js',
      'dist/workers/blob-reader.worker.js',
    ]) {
      assert.ok(files.has(needed), `${needed} is in the package`);
    }
    const targets = Object.values(pkg.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)));
    for (const target of [...targets, pkg.customElements, ...Object.values(pkg.bin)]) {
      const path = target.replace(/^\.\//, '');
      const found = path.includes('*') ? [...files].some((f) => f.startsWith(path.split('*')[0]!)) : files.has(path);
      assert.ok(found, `${target} (exports, bin or customElements) is in the package`);
    }
    const stray = [...files].filter((f) => /^(test|demo|src|bench|scripts|docs|\.ci)\//.test(f) || /\.test\./.test(f));
    assert.deepEqual(stray, []);
  });

  it('imports in plain Node without window or document, registering nothing', async () => {
    const script = `
      const before = new Set(Object.getOwnPropertyNames(globalThis));
      const main = await import('mixpeek-uploader');
      const gateway = await import('mixpeek-uploader/gateway');
      const node = await import('mixpeek-uploader/gateway/node');
      const globals = Object.getOwnPropertyNames(globalThis).filter((n) => !before.has(n));
      const emulator = await import('mixpeek-uploader/emulator'); // a dev tool: the AWS SDK may add globals
      console.log(JSON.stringify({
        exports: [typeof main.createUploader, typeof main.MixpeekUploader, typeof gateway.createGateway, typeof node.toNodeListener, typeof emulator.startEmulator],
        window: typeof window, document: typeof document,
        defined: globalThis.customElements?.get?.('mixpeek-uploader') !== undefined,
        globals,
      }));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
    const seen = JSON.parse(stdout) as { exports: string[]; window: string; document: string; defined: boolean; globals: string[] };
    assert.deepEqual(seen.exports, ['function', 'function', 'function', 'function', 'function']);
    assert.equal(seen.window, 'undefined');
    assert.equal(seen.document, 'undefined');
    assert.equal(seen.defined, false);
    // Only lit's own server-side shims (lit-html's SSR support), nothing of ours.
    assert.deepEqual(
      seen.globals.filter((n) => !/^(lit|reactiveElement|customElements$)/.test(n)),
      [],
    );
  });
});
