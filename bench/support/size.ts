/**
 * Size of the shipped script, min + gzip, and of its dependencies bundled alone (the floor any
 * element built on them would pay). gzip is node:zlib at level 9, as `gzip -9` would give.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/**
 * What test/build/size.node.test.ts enforces, min + gzip: the script a page loads before first
 * paint (`dist/mixpeek-uploader.js` and the chunks it imports statically) within the 40 KiB
 * target, and every `dist/mixpeek-uploader*.js` together (the deferred chunks too: Uppy, the
 * hashing workers, the virtual list, loaded once the page is idle) within 88 KiB, a guard
 * against growth (about 64 KiB when the split was made; 80.4 KiB once the hashing worker
 * carried WebAssembly MD5 and SHA-256 and their pure-JS fallbacks, about 12 KiB of it, and the
 * engine gained journal reconciliation and just-in-time creates).
 */
export const SIZE_TARGET_BYTES = 40 * 1024;
export const SIZE_TOTAL_BUDGET_BYTES = 88 * 1024;

export const gzipSize = (bytes: Uint8Array | string): number => gzipSync(bytes, { level: 9 }).length;

/** Sizes in bytes; `gzip` sums each file compressed alone, as a server sends them. */
export interface BundleSize {
  raw: number;
  gzip: number;
  /** The files counted, relative to `dist/`. */
  files: string[];
}

/** The chunks `code` imports statically (`import … from"./x.js"`, not `import("./x.js")`). */
const staticImports = (code: string): string[] =>
  [...code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{},\s]+from\s*)?["'`]\.\/([^"'`]+)["'`]/g)].map((m) => m[1]!);

async function measureFiles(dir: string, files: string[]): Promise<BundleSize> {
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = await readFile(join(dir, file));
    raw += bytes.length;
    gzip += gzipSize(bytes);
  }
  return { raw, gzip, files };
}

/**
 * min + gzip bytes of the script-tag build (`npm run build`): `firstPaint` is
 * `mixpeek-uploader.js` and its static imports, followed transitively; `total` is every
 * `mixpeek-uploader*.js` in `dir`.
 */
export async function bundleSize(dir = `${repo}dist`): Promise<{ firstPaint: BundleSize; total: BundleSize }> {
  const entry = 'mixpeek-uploader.js';
  const first = new Set([entry]);
  for (const file of first) for (const next of staticImports(await readFile(join(dir, file), 'utf8'))) first.add(next);
  const all = (await readdir(dir)).filter((f) => /^mixpeek-uploader.*\.js$/.test(f)).sort();
  return { firstPaint: await measureFiles(dir, [...first]), total: await measureFiles(dir, all) };
}

/** lit + @uppy/core + @uppy/aws-s3 + spark-md5, bundled and minified alone with esbuild; min + gzip bytes. */
export async function dependenciesSize(): Promise<{ raw: number; gzip: number }> {
  const result = await build({
    stdin: {
      contents: [
        "export { LitElement, html, css, nothing } from 'lit';",
        "export { default as Uppy } from '@uppy/core';",
        "export { default as AwsS3 } from '@uppy/aws-s3';",
        "export { default as SparkMD5 } from 'spark-md5';",
      ].join('\n'),
      resolveDir: repo,
      loader: 'js',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['production', 'browser'],
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    write: false,
    logLevel: 'silent',
  });
  const bytes = result.outputFiles[0]!.contents;
  return { raw: bytes.length, gzip: gzipSize(bytes) };
}
