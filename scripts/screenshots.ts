/**
 * `npm run screenshots`: pictures of the element in every state, at 1280 and 390 px wide, in
 * light and dark (docs/screenshots/STATE-WIDTH-SCHEME.png), and the demo page for the README
 * (docs/demo-light.png, docs/demo-dark.png). Starts the demo server (emulator + gateway, see
 * scripts/demo.ts) on a free port itself, and stops it at the end. Uses the system Chromium
 * (CHROME_PATH overrides). Uploads are slowed to 8 MB/s with Chromium's network emulation so
 * that a run under way can be photographed; offline is the emulator's `offline` fault.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import puppeteer, { type Page } from 'puppeteer-core';
import { chromiumArgs, chromiumPath } from '../test/support/chromium.mjs';

const states = ['empty', 'drag-over', 'uploading', 'paused', 'offline', 'errors', 'done'] as const;
type State = (typeof states)[number];
const widths = [1280, 390] as const;

/** Starts scripts/demo.ts and resolves with its page URL. */
function startDemo(): Promise<{ url: string; apiUrl: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--port', '5190'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /Open (http:\/\/\S+)/.exec(out)?.[1];
      const apiUrl = /→ (http:\/\/\S+)/.exec(out)?.[1]; // the emulator behind the gateway
      if (url && apiUrl) resolve({ url, apiUrl, child });
    });
    child.on('exit', (code) => reject(new Error(`The demo server stopped (${code}).`)));
  });
}

/** Replaces the demo page's content with one element (the demo's page script has defined it). */
async function freshElement(page: Page, scheme: 'light' | 'dark', attributes = ''): Promise<void> {
  await page.evaluate(
    (scheme, attributes) => {
      const bucket = (document.querySelector('mixpeek-uploader') as unknown as { bucket: string }).bucket;
      document.body.innerHTML = `<main style="padding:24px;box-sizing:border-box"><mixpeek-uploader id="shot" ${attributes}></mixpeek-uploader></main>`;
      document.body.style.cssText = `margin:0;max-width:none;padding:0;background:${scheme === 'dark' ? '#101216' : '#f4f5f7'}`;
      const el = document.getElementById('shot') as unknown as Record<string, unknown>;
      el.bucket = bucket;
      if (!el.apiUrl || el.apiUrl === 'https://api.mixpeek.com') el.apiUrl = '/mixpeek';
    },
    scheme,
    attributes,
  );
}

/** Files made in the page: a few photos (drawn), a PDF, a long-named video, a text file. */
async function addFiles(page: Page, big: number): Promise<void> {
  await page.evaluate(async (big) => {
    const photo = async (name: string, hue: number) => {
      const canvas = new OffscreenCanvas(640, 420);
      const g = canvas.getContext('2d')!;
      const sky = g.createLinearGradient(0, 0, 0, 420);
      sky.addColorStop(0, `hsl(${hue} 70% 70%)`);
      sky.addColorStop(1, `hsl(${hue + 40} 60% 45%)`);
      g.fillStyle = sky;
      g.fillRect(0, 0, 640, 420);
      g.fillStyle = `hsl(${hue + 180} 40% 30%)`;
      g.beginPath();
      g.moveTo(0, 420);
      g.lineTo(220, 180);
      g.lineTo(380, 330);
      g.lineTo(500, 230);
      g.lineTo(640, 420);
      g.fill();
      g.fillStyle = '#fff6c8';
      g.beginPath();
      g.arc(520, 90, 40, 0, Math.PI * 2);
      g.fill();
      return new File([await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 })], name, { type: 'image/jpeg' });
    };
    const files = [
      await photo('cover photo.jpg', 200),
      await photo('holiday-2024-lisbon-tram-28-sunset-0142.jpeg', 20),
      new File([new Uint8Array(big)], 'interview with the director (final cut, v3).mp4', { type: 'video/mp4' }),
      await photo('team.jpg', 110),
      new File([new Uint8Array(big / 2).fill(7)], 'brief.pdf', { type: 'application/pdf' }),
      new File(['notes ü\n'.repeat(4000)], 'notes ü.txt', { type: 'text/plain' }),
      new File([new Uint8Array(big / 3).fill(3)], 'scene.blend'),
    ];
    (document.getElementById('shot') as unknown as { addFiles(f: File[]): void }).addFiles(files);
  }, big);
}

const run = (page: Page, script: string) => page.evaluate(`document.getElementById('shot').${script}`);
const phase = (page: Page) => page.evaluate(() => document.getElementById('shot')!.shadowRoot!.querySelector('.phase')?.textContent ?? '');

async function until(what: string, test: () => Promise<boolean>, ms = 30_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (await test()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`The ${what} state did not come within ${ms / 1000} s.`);
}

async function shoot(page: Page, state: State, scheme: string): Promise<void> {
  for (const width of widths) {
    await page.setViewport({ width, height: 900 });
    await new Promise((r) => setTimeout(r, 250)); // layout, previews
    const el = await page.$('#shot');
    await el!.screenshot({ path: `docs/screenshots/${state}-${width}-${scheme}.png` });
  }
}

await mkdir('docs/screenshots', { recursive: true });
const { url, apiUrl, child } = await startDemo();
/** The emulator's network fault: every connection to the API and storage dropped for `ms`. */
const networkGone = (ms: number) =>
  fetch(`${apiUrl}/_emulator/faults`, { method: 'POST', body: JSON.stringify({ offline: { forMs: ms } }) }).catch(() => undefined);
process.on('exit', () => child.kill('SIGTERM'));
const browser = await puppeteer.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
try {
  for (const scheme of ['light', 'dark'] as const) {
    const context = await browser.createBrowserContext(); // fresh storage: no journal from the other run
    const page = await context.newPage();
    // tsx names functions with a `__name` helper; functions sent to the page need it there too.
    await page.evaluateOnNewDocument('globalThis.__name = (f) => f');
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);

    // The README's pictures: the demo page with a finished upload.
    await page.setViewport({ width: 1100, height: 1250 });
    await page.goto(url, { waitUntil: 'networkidle0' });
    await page.evaluate(() => {
      const el = document.getElementById('uploader')!;
      el.id = 'shot';
    });
    await addFiles(page, 600_000);
    await run(page, 'upload()');
    await new Promise((r) => setTimeout(r, 1500)); // the last batch's task, the tables
    await page.evaluate(() => {
      document.getElementById('shot')!.id = 'uploader';
    });
    await page.screenshot({ path: `docs/demo-${scheme}.png` });

    await freshElement(page, scheme, 'max-file-size="2000000000" max-files="500" accept="image/*,video/*,.pdf,.txt,.blend"');
    await shoot(page, 'empty', scheme);
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.items.add(new File(['x'], 'x.txt', { type: 'text/plain' }));
      document.getElementById('shot')!.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await shoot(page, 'drag-over', scheme);

    await freshElement(page, scheme, 'concurrency="2"');
    const cdp = await page.createCDPSession();
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 5, downloadThroughput: -1, uploadThroughput: 8_000_000 });
    await addFiles(page, 120_000_000);
    void run(page, 'upload()').catch(() => undefined); // resolves at the end, or the page closes
    await until('left', async () => (await phase(page)).includes('left'));
    await shoot(page, 'uploading', scheme);
    await run(page, 'pause()');
    await until('Paused', async () => (await phase(page)).includes('Paused'));
    await shoot(page, 'paused', scheme);
    await run(page, 'resume()');
    await until('left', async () => (await phase(page)).includes('left'));
    await networkGone(15_000);
    await until('Offline', async () => (await phase(page)).includes('Offline'), 60_000);
    await shoot(page, 'offline', scheme);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await until('Done', async () => (await phase(page)).includes('Done'), 120_000);
    await new Promise((r) => setTimeout(r, 400));
    await shoot(page, 'done', scheme);

    // A wrong api-url: one banner for every file, and a refused duplicate in the notice.
    await freshElement(page, scheme);
    await page.evaluate(() => {
      (document.getElementById('shot') as unknown as { apiUrl: string }).apiUrl = 'http://127.0.0.1:9/';
    });
    await addFiles(page, 30_000);
    await run(page, 'upload()');
    await until('Done', async () => (await phase(page)).includes('Done'), 60_000);
    await page.evaluate(() => {
      const el = document.getElementById('shot') as unknown as { engine: { files: { file?: File }[] }; addFiles(f: File[]): void };
      el.addFiles([el.engine.files[0]!.file!, new File([], 'empty.txt')]);
    });
    await shoot(page, 'errors', scheme);
    await context.close();
  }
} finally {
  await browser.close();
  child.kill('SIGTERM');
}
console.log('wrote docs/screenshots/*.png, docs/demo-light.png and docs/demo-dark.png');
