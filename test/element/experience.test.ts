/**
 * What a person sees: notices drawn when raised, rows that hold at phone width, one banner per
 * setup problem, status that tells the truth (offline, paused, canceled), focus after Remove,
 * axe in every state in light and dark, and a long list of images that scrolls smoothly.
 */
import { expect } from '@esm-bundle/chai';
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import axe from 'axe-core';
import '../../src/define.ts';
import type { MixpeekUploader } from '../../src/element/mixpeek-uploader.ts';
import { previews } from '../../src/element/thumbnails.ts';
import type { UploadSummary } from '../../src/events.ts';
import { env, nextEvent, patternFile, resetEmulator, setFaults } from '../support/fixtures.ts';
import { renderedRows } from './mixpeek-uploader.test.ts';

function mount(attributes = ''): MixpeekUploader {
  const host = document.createElement('div');
  host.innerHTML = `<mixpeek-uploader ${attributes}></mixpeek-uploader>`;
  document.body.append(host);
  const el = host.querySelector('mixpeek-uploader')!;
  Object.assign(el, { apiUrl: env.apiUrl, bucket: env.bucket, namespace: env.namespace, apiKey: env.apiKey });
  return el;
}

const $ = (el: MixpeekUploader, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);
const $$ = (el: MixpeekUploader, selector: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
const frame = () => new Promise((r) => requestAnimationFrame(r));

async function until(test: () => boolean, what: string, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; !test(); ) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Files that stay on their way for a while: storage answers each PUT 1.5 s late. */
async function slowStorage(): Promise<void> {
  await setFaults({ latencyMs: { api: 0, storage: 1500 } });
}

const bigFiles = (count: number, prefix = 'big') =>
  Array.from({ length: count }, (_, i) => patternFile(`${prefix}-${i}.bin`, 3 * 1024 * 1024, 'application/octet-stream', i));

/** A PNG made in the page (an image the browser can decode for previews). */
async function pngBytes(hue: number): Promise<Blob> {
  const canvas = new OffscreenCanvas(120, 80);
  const g = canvas.getContext('2d')!;
  g.fillStyle = `hsl(${hue} 70% 50%)`;
  g.fillRect(0, 0, 120, 80);
  g.fillStyle = '#fff';
  g.fillRect(20, 20, 40, 40);
  return canvas.convertToBlob({ type: 'image/png' });
}

async function axeViolations(el: MixpeekUploader): Promise<string[]> {
  const results = await axe.run(el, { resultTypes: ['violations'] });
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`);
}

describe('<mixpeek-uploader> experience', () => {
  beforeEach(resetEmulator);
  afterEach(async () => {
    await setFaults({});
    for (const el of document.querySelectorAll('mixpeek-uploader')) {
      el.engine.cancel();
      el.closest('div')?.remove();
    }
    await setViewport({ width: 800, height: 600 });
    await emulateMedia({ colorScheme: 'light' });
  });

  it('draws a duplicate notice decided after comparing bytes within one frame of the refusal', async () => {
    const el = mount();
    el.addFiles([patternFile('twice.txt', 50, 'text/plain'), patternFile('other.txt', 60, 'text/plain')]);
    await el.updateComplete;
    // Picked again: new File objects with the same name, size and date; their bytes decide.
    const rejected = nextEvent(el, 'mixpeek-file-rejected');
    el.addFiles([patternFile('twice.txt', 50, 'text/plain')]);
    await rejected;
    await frame();
    const notice = $(el, '[part~=notice]')!;
    expect(notice.textContent).to.include('"twice.txt" is already in the list');
    expect(notice.getBoundingClientRect().height).to.be.greaterThan(0);
  });

  it('at 390 px, rows with Pause and Cancel keep at least a third of the row for the name, and the full name', async () => {
    await setViewport({ width: 390, height: 800 });
    await slowStorage();
    const el = mount('concurrency="2"');
    const long = 'holiday-2024-lisbon-tram-28-at-sunset-with-friends-0142.jpeg';
    el.addFiles([patternFile(long, 3 * 1024 * 1024, 'image/jpeg'), ...bigFiles(2)]);
    const done = el.upload();
    let checked = 0;
    await until(() => el.engine.files.some((f) => f.status === 'uploading'), 'a file uploading');
    for (const row of await renderedRows(el)) {
      if (!row.querySelector('[data-action=cancel]')) continue;
      const name = row.querySelector<HTMLElement>('[part~=file-name]')!;
      expect(name.getBoundingClientRect().width, name.textContent!).to.be.at.least(row.getBoundingClientRect().width / 3);
      for (const button of row.querySelectorAll('button')) expect(button.getAttribute('aria-label')).to.match(/^(Pause|Resume|Cancel) /);
      checked += 1;
    }
    expect(checked).to.be.greaterThan(0);
    const first = (await renderedRows(el))[0]!.querySelector<HTMLElement>('[part~=file-name]')!;
    expect(first.textContent).to.equal(long);
    expect(first.title).to.equal(long);
    expect(first.querySelector('.tail')!.textContent).to.match(/\.jpeg$/);
    el.cancel();
    await done;
  });

  it('shows one banner, not a line per file, when 61 files fail because the api-url is wrong', async () => {
    const el = mount();
    el.engine.configure({ retry: { baseDelay: 50, maxDelay: 200 } });
    el.apiUrl = 'http://127.0.0.1:9';
    el.addFiles(Array.from({ length: 61 }, (_, i) => patternFile(`f${i}.txt`, 10 + i, 'text/plain')));
    const summary = await el.upload();
    expect(summary.failed).to.equal(61);
    await el.updateComplete;
    const banners = $$(el, '[part~=banner]');
    expect(banners).to.have.length(1);
    expect(banners[0]!.textContent).to.include('The upload service cannot be reached.');
    expect(banners[0]!.textContent).to.include('61 files were not uploaded.');
    expect(banners[0]!.getAttribute('role')).to.equal('alert');
    const rows = await renderedRows(el);
    expect(rows.length).to.be.greaterThan(0);
    expect($$(el, '[part~=error]'), 'no line per file').to.have.length(0);
    // The developer detail stays in the file's error.
    expect(summary.files[0]!.error!.message).to.match(/did not answer/);
  });

  it('drops speed and time left while offline, saying it waits for the network', async () => {
    const el = mount('concurrency="2"');
    el.addFiles(bigFiles(6, 'o'));
    const done = el.upload();
    const phase = () => $(el, '[part~=summary] .phase')?.textContent ?? '';
    await until(() => el.engine.files.some((f) => f.bytesUploaded > 0), 'bytes moving');
    await setFaults({ offline: { forMs: 4000 } });
    await until(() => !el.engine.online, 'offline');
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 150)); // a render while offline
    expect(phase()).to.include('Offline');
    expect(phase()).not.to.match(/left|\/s/);
    const summary = await done;
    expect(summary.confirmed).to.equal(6);
  });

  it('after the main Pause, rows in flight offer Resume; one row resumed goes on while the others stay paused', async () => {
    await slowStorage();
    const el = mount('concurrency="2"');
    el.addFiles(bigFiles(4, 'p'));
    const done = el.upload();
    await until(() => el.engine.files.some((f) => f.status === 'uploading'), 'uploading');
    el.pause();
    await until(() => $(el, '.controls [data-action=pause]')?.textContent?.trim() === 'Resume', 'the main button to say Resume');
    await renderedRows(el);
    const rows = $$(el, '[part~=file]').filter((r) => r.querySelector('[data-action=cancel]'));
    expect(rows.length).to.be.greaterThan(0);
    for (const row of rows) {
      expect(row.querySelector('[data-action=pause]') === null, 'no Pause on a paused row').to.equal(true);
      expect(row.querySelector('[data-action=resume]')?.getAttribute('aria-label')).to.match(/^Resume /);
      expect(row.querySelector('.status')!.textContent).to.equal('Paused');
    }
    const id = rows[0]!.getAttribute('data-file-id')!;
    rows[0]!.querySelector<HTMLButtonElement>('[data-action=resume]')!.click();
    expect(el.engine.paused).to.equal(false);
    const others = el.engine.files.filter((f) => f.fileId !== id && !['done', 'processing', 'confirming'].includes(f.status));
    expect(others.every((f) => f.paused)).to.equal(true);
    expect(el.engine.files.find((f) => f.fileId === id)!.paused).to.not.equal(true);
    el.cancel();
    await done;
  });

  it('counts canceled files in the summary line and in mixpeek-complete', async () => {
    await slowStorage();
    const el = mount('concurrency="1"');
    el.addFiles([patternFile('keep.txt', 10, 'text/plain'), ...bigFiles(3, 'c')]);
    const complete = nextEvent<UploadSummary>(el, 'mixpeek-complete');
    const done = el.upload();
    for (const f of el.engine.files.filter((f) => f.name.startsWith('c-'))) el.cancel(f.fileId);
    await done;
    const { detail } = await complete;
    expect([detail.confirmed, detail.failed, detail.canceled]).to.deep.equal([1, 0, 3]);
    await el.updateComplete;
    expect($(el, '[part~=summary]')!.textContent).to.match(/1 of 4 confirmed\s*·\s*3 canceled/);
    // "Retry failed" is not offered for canceled files: they have their own action.
    expect($(el, '.controls [data-action=retry]') === null, 'no Retry failed').to.equal(true);
    expect($(el, '.controls [data-action=retry-canceled]')!.textContent!.trim()).to.equal('Upload canceled files');
  });

  it('after Remove, focus goes to the next row, and to the list after the last', async () => {
    const el = mount();
    el.addFiles([patternFile('r1.txt', 5, 'text/plain'), patternFile('r2.txt', 6, 'text/plain'), patternFile('r3.txt', 7, 'text/plain')]);
    const rows = await renderedRows(el);
    const third = rows[2]!.getAttribute('data-file-id');
    rows[1]!.querySelector<HTMLButtonElement>('[data-action=remove]')!.click();
    await until(() => el.shadowRoot!.activeElement !== null, 'focus');
    expect(el.shadowRoot!.activeElement!.closest('[part~=file]')?.getAttribute('data-file-id')).to.equal(third);
    expect(el.engine.files.map((f) => f.name)).to.deep.equal(['r1.txt', 'r3.txt']);
    // Finished rows can be removed too, and Clear empties the list.
    await el.upload();
    const last = (await renderedRows(el)).at(-1)!;
    expect(last.querySelector('[data-action=remove]')!.getAttribute('aria-label')).to.include('stays in Mixpeek');
    last.querySelector<HTMLButtonElement>('[data-action=remove]')!.click();
    await until(() => el.engine.files.length === 1, 'removed');
    await until(() => el.shadowRoot!.activeElement !== null, 'focus');
    expect(el.shadowRoot!.activeElement!.closest('[part~=file]')?.getAttribute('data-file-id')).to.equal(el.engine.files[0]!.fileId);
    $(el, '[part~=clear-button]')!.click();
    await el.updateComplete;
    expect(el.engine.files).to.have.length(0);
    expect($(el, '[part~=file-list]') === null, 'the list is gone').to.equal(true);
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`has no axe violations in any state (empty, drag-over, uploading, paused, offline, errors, done) in ${scheme}`, async () => {
      await emulateMedia({ colorScheme: scheme });
      const found: Record<string, string[]> = {};
      const check = async (state: string, el: MixpeekUploader) => {
        await el.updateComplete;
        await renderedRows(el);
        found[state] = await axeViolations(el);
      };
      const el = mount('name="f"');
      await check('empty', el);
      const data = new DataTransfer();
      data.items.add(patternFile('d.txt', 3, 'text/plain'));
      el.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      await check('drag-over', el);
      el.dispatchEvent(new DragEvent('dragleave', { bubbles: true }));

      await slowStorage();
      el.addFiles([...bigFiles(3, 'u'), patternFile('pic.png', 0, 'image/png')]);
      const done = el.upload();
      await until(() => el.engine.files.some((f) => f.status === 'uploading'), 'uploading');
      await check('uploading', el);
      el.pause();
      await check('paused', el);
      el.resume();
      await setFaults({ offline: { forMs: 3000 } });
      await until(() => !el.engine.online, 'offline');
      await check('offline', el);
      await done;
      await check('done', el);

      const failing = mount();
      failing.engine.configure({ retry: { baseDelay: 50, maxDelay: 200 } });
      failing.apiUrl = 'http://127.0.0.1:9';
      failing.addFiles([patternFile('e1.txt', 5, 'text/plain'), patternFile('e2.txt', 0)]);
      await failing.upload();
      await check('errors', failing);
      expect(found).to.deep.equal({ empty: [], 'drag-over': [], uploading: [], paused: [], offline: [], done: [], errors: [] });
    });
  }

  it('2,000 images scroll with frames under 50 ms; previews only for rows on screen, a few at once, cached', async () => {
    const el = mount();
    const blobs = await Promise.all([0, 90, 180, 270].map(pngBytes));
    const files = Array.from(
      { length: 2000 },
      (_, i) => new File([blobs[i % 4]!], `photo-${String(i).padStart(4, '0')}.png`, { type: 'image/png', lastModified: i }),
    );
    el.addFiles(files);
    await renderedRows(el);
    const list = $(el, '[part~=file-list]')!;
    const before = { ...previews.stats };
    await until(() => previews.get(files[0]!) !== undefined, 'the first preview', 10_000);
    await until(() => $(el, '[part~=preview] canvas[data-ready]') !== null, 'a preview drawn', 10_000);

    // Scroll the list a little every frame, then measure the frames.
    const deltas: number[] = [];
    let last = performance.now();
    for (let i = 0; i < 240; i += 1) {
      list.scrollTop += 45;
      await frame();
      const now = performance.now();
      deltas.push(now - last);
      last = now;
    }
    deltas.sort((a, b) => a - b);
    const p90 = deltas[Math.floor(deltas.length * 0.9)]!;
    expect(p90, `90th percentile of ${deltas.length} frames`).to.be.below(50);

    const made = previews.stats.made - before.made;
    expect(made, 'previews only for rows that were on screen').to.be.below(600);
    expect(previews.stats.mostAtOnce, 'decodes at once').to.be.at.most(previews.parallel);
    // Back at the top, the first rows' previews come from the cache.
    await new Promise((r) => setTimeout(r, 500));
    const madeBefore = previews.stats.made;
    list.scrollTop = 0;
    await frame();
    await frame();
    expect(previews.get(files[0]!)).to.be.instanceOf(ImageBitmap);
    await new Promise((r) => setTimeout(r, 300));
    const rows = await renderedRows(el);
    expect(rows[0]!.querySelector('canvas[data-ready]') !== null, 'the first row shows its preview').to.equal(true);
    expect(previews.stats.made - madeBefore, 'the first rows were not decoded again').to.be.below(5);
  });
});
