/**
 * The framework examples in demo/examples/ (see its README), each loaded as a page in an
 * iframe and used once: a file added, Upload pressed, the upload confirmed through the gateway
 * at /mixpeek. Needs `npm run build` (dist/mixpeek-uploader.js, for the plain-HTML one) and
 * `node scripts/build-examples.mjs` (dist-examples/, for React, Vue and Svelte).
 */
import { expect } from '@esm-bundle/chai';
import type { MixpeekUploader } from '../../src/element/mixpeek-uploader.ts';
import type { CompleteDetail } from '../../src/events.ts';
import { env, patternFile, resetEmulator } from '../support/fixtures.ts';

/** What each example records on `window.__example`. */
interface ExampleRecord {
  getHeadersCalls: number;
  completes: CompleteDetail[];
}
type ExampleWindow = Window & typeof globalThis & { __example?: ExampleRecord };

const examples = [
  { name: 'plain HTML', page: '/demo/examples/html/index.html', headers: 'html' },
  { name: 'React 19', page: '/dist-examples/react/index.html', headers: 'react' },
  { name: 'Vue 3', page: '/dist-examples/vue/index.html', headers: 'vue' },
  { name: 'Svelte 5', page: '/dist-examples/svelte/index.html', headers: 'svelte' },
];

/** Polls until `check` returns a value (not a timing assertion: the test's timeout is the limit). */
async function until<T>(what: string, check: () => T | undefined | null | false): Promise<T> {
  for (;;) {
    const value = check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 25));
    if (!frame?.isConnected) throw new Error(`gave up waiting for ${what}`);
  }
}

let frame: HTMLIFrameElement | undefined;

/** Loads a page in an iframe; resolves once it has its <mixpeek-uploader> rendered. */
async function openExample(page: string): Promise<{ win: ExampleWindow; doc: Document; el: MixpeekUploader }> {
  const iframe = document.createElement('iframe');
  frame = iframe;
  iframe.style.cssText = 'width: 800px; height: 600px';
  const loaded = new Promise<void>((resolve, reject) => {
    iframe.addEventListener('load', () => resolve(), { once: true });
    iframe.addEventListener('error', () => reject(new Error(`${page} did not load`)), { once: true });
  });
  iframe.src = `${page}?bucket=${encodeURIComponent(env.bucket)}`;
  document.body.append(iframe);
  await loaded;
  const win = iframe.contentWindow as ExampleWindow;
  const doc = iframe.contentDocument!;
  expect(doc.title, `${page} is missing: run npm run build, then node scripts/build-examples.mjs`).to.include('mixpeek-uploader');
  // `load` comes after the page's module scripts ran, so the tag is defined by now, or never.
  expect(win.customElements.get('mixpeek-uploader'), `${page} defines <mixpeek-uploader> (an import kept by the bundler?)`).to.not.equal(
    undefined,
  );
  const el = await until(`${page} to render <mixpeek-uploader>`, () => doc.querySelector('mixpeek-uploader'));
  await el.updateComplete;
  return { win, doc, el };
}

describe('framework examples (demo/examples/)', () => {
  beforeEach(resetEmulator);
  afterEach(() => {
    frame?.remove();
    frame = undefined;
  });

  for (const example of examples) {
    it(`${example.name}: ${example.page} uploads a file, calls getHeaders, and shows mixpeek-complete`, async () => {
      const { win, doc, el } = await openExample(example.page);
      expect(el.getAttribute('api-url'), 'api-url as an attribute').to.equal('/mixpeek');
      expect(el.apiUrl).to.equal('/mixpeek');
      expect(el.bucket).to.equal(env.bucket);
      expect(el.getHeaders, 'getHeaders set as a property').to.be.a('function');
      expect(el.hasAttribute('getheaders'), 'getHeaders not turned into an attribute').to.equal(false);
      expect(await el.getHeaders!()).to.deep.equal({ 'X-Example': example.headers });
      const record = win.__example!;
      expect(record, 'window.__example').to.be.an('object');
      record.getHeadersCalls = 0; // the call just above

      const added = el.addFiles([patternFile(`${example.headers}.bin`, 70_000, 'application/octet-stream')]);
      expect(added).to.have.length(1);
      await el.updateComplete;
      const upload = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.controls button')].find(
        (b) => b.textContent!.trim() === 'Upload',
      );
      expect(upload, 'the Upload button').to.not.equal(undefined);
      expect(upload!.disabled).to.equal(false);
      upload!.click();

      const completes = await until('mixpeek-complete', () => record.completes.length > 0 && record.completes);
      expect(completes).to.have.length(1);
      expect(completes[0]!.confirmed).to.equal(1);
      expect(completes[0]!.failed).to.equal(0);
      expect(completes[0]!.files[0]!.status).to.equal('done');
      expect(record.getHeadersCalls, 'getHeaders called by the element').to.be.greaterThan(0);
      const status = doc.querySelector('#status')!;
      await until('"1 confirmed" on the page', () => status.textContent!.trim() === '1 confirmed');
      expect(status.textContent!.trim()).to.equal('1 confirmed');
    });
  }
});
