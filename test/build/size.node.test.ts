/**
 * The size budgets of the script-tag build (`npm run build`, which `npm test` runs before
 * this), min + gzip (node:zlib, level 9), each file compressed alone: what a page loads before
 * first paint (`dist/mixpeek-uploader.js` and its static imports) within 40 KiB, and every
 * `dist/mixpeek-uploader*.js` together within its guard. `npm run bench` reports the same
 * numbers beside lit + Uppy + spark-md5 bundled alone.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { bundleSize, SIZE_TARGET_BYTES, SIZE_TOTAL_BUDGET_BYTES } from '../../bench/support/size.ts';

const dist = fileURLToPath(new URL('../../dist', import.meta.url));
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

test(`first paint loads at most ${kib(SIZE_TARGET_BYTES)}, all chunks together at most ${kib(SIZE_TOTAL_BUDGET_BYTES)}`, async () => {
  assert.ok(existsSync(`${dist}/mixpeek-uploader.js`), 'dist/mixpeek-uploader.js is missing: run `npm run build` first');
  const { firstPaint, total } = await bundleSize(dist);
  // Uppy, the hashing workers and the virtual list must not be in what loads before first paint
  // (found by strings each keeps when minified: Uppy's plugin id, the worker's name, the sizer).
  const markers = ['AwsS3', 'mixpeek-md5', 'virtualizer-sizer'];
  const code = async (file: string) => readFile(`${dist}/${file}`, 'utf8');
  for (const file of firstPaint.files) {
    for (const marker of markers) assert.ok(!(await code(file)).includes(marker), `${file}, loaded before first paint, holds "${marker}"`);
  }
  const all = (await Promise.all(total.files.map(code))).join('\n');
  for (const marker of markers) assert.ok(all.includes(marker), `no chunk holds "${marker}": update the markers`);
  assert.ok(
    firstPaint.gzip <= SIZE_TARGET_BYTES,
    `first paint (${firstPaint.files.join(' + ')}) is ${firstPaint.gzip} bytes min + gzip (${kib(firstPaint.gzip)}), ` +
      `over its budget of ${SIZE_TARGET_BYTES} bytes by ${firstPaint.gzip - SIZE_TARGET_BYTES}`,
  );
  assert.ok(
    total.gzip <= SIZE_TOTAL_BUDGET_BYTES,
    `all of dist/mixpeek-uploader*.js is ${total.gzip} bytes min + gzip (${kib(total.gzip)}), ` +
      `over its budget of ${SIZE_TOTAL_BUDGET_BYTES} bytes by ${total.gzip - SIZE_TOTAL_BUDGET_BYTES}`,
  );
});
