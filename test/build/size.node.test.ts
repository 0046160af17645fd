/**
 * The size budget of the shipped script: `dist/mixpeek-uploader.js` (built by `npm run build`,
 * which `npm test` runs before this) must stay within 40 KiB min + gzip (node:zlib, level 9).
 * `npm run bench` reports the same number beside lit + Uppy + spark-md5 bundled alone.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { bundleSize, SIZE_BUDGET_BYTES } from '../../bench/support/size.ts';

const dist = fileURLToPath(new URL('../../dist/mixpeek-uploader.js', import.meta.url));

test(`dist/mixpeek-uploader.js is at most ${SIZE_BUDGET_BYTES / 1024} KiB min + gzip`, async () => {
  assert.ok(existsSync(dist), 'dist/mixpeek-uploader.js is missing: run `npm run build` first');
  const { gzip, raw } = await bundleSize(dist);
  assert.ok(
    gzip <= SIZE_BUDGET_BYTES,
    `dist/mixpeek-uploader.js is ${gzip} bytes min + gzip (${(gzip / 1024).toFixed(1)} KiB; ${raw} bytes minified), ` +
      `over its budget of ${SIZE_BUDGET_BYTES} bytes by ${gzip - SIZE_BUDGET_BYTES}`,
  );
});
