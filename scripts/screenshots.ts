/**
 * `npm run screenshots`: pictures of the demo in light and dark mode for the README
 * (docs/demo-light.png, docs/demo-dark.png). Start `npm run demo` first; pass its URL if it is
 * not http://127.0.0.1:5173/. Uses the system Chromium (CHROME_PATH overrides).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { chromiumArgs, chromiumPath } from '../test/support/chromium.mjs';

const url = process.argv[2] ?? 'http://127.0.0.1:5173/';
const dir = await mkdtemp(join(tmpdir(), 'mixpeek-shots-'));
const names = ['brief.pdf', 'cover photo.jpg', 'interview (final).mp4', 'notes ü.txt', 'scene.blend', 'empty.txt'];
const paths = [];
for (const [i, name] of names.entries()) {
  const path = join(dir, name);
  await writeFile(path, name === 'empty.txt' ? '' : Buffer.alloc(40_000 + i * 150_000, i + 1));
  paths.push(path);
}

const browser = await puppeteer.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
try {
  for (const scheme of ['light', 'dark'] as const) {
    const context = await browser.createBrowserContext(); // fresh storage: no journal from the other run
    const page = await context.newPage();
    await page.setViewport({ width: 1100, height: 1250 });
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
    await page.goto(url, { waitUntil: 'networkidle0' });
    for (const id of ['uploader', 'dark', 'compact']) {
      const input = await page.evaluateHandle((id) => document.getElementById(id)!.shadowRoot!.querySelector('input[data-pick=files]'), id);
      await (input as unknown as { uploadFile(...p: string[]): Promise<void> }).uploadFile(...paths.slice(0, id === 'compact' ? 3 : 6));
    }
    await page.evaluate(() => (document.getElementById('uploader') as unknown as { upload(): Promise<unknown> }).upload());
    await new Promise((r) => setTimeout(r, 1500)); // let the last batch's task finish and the tables fill
    await page.screenshot({ path: `docs/demo-${scheme}.png` });
    await context.close();
  }
} finally {
  await browser.close();
  await rm(dir, { recursive: true, force: true });
}
console.log('wrote docs/demo-light.png and docs/demo-dark.png');
