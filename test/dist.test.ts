/** `dist/mixpeek-uploader.js` (built by `npm run build`) defines the element from a plain script tag. */
import { expect } from '@esm-bundle/chai';
import { env, patternFile, resetEmulator } from './support/fixtures.ts';

describe('dist/mixpeek-uploader.js', () => {
  before(resetEmulator);

  it('defines <mixpeek-uploader> when loaded by <script type="module"> and uploads through it', async () => {
    expect(customElements.get('mixpeek-uploader')).to.equal(undefined);
    await new Promise<void>((resolve, reject) => {
      const script = document.createElement('script');
      script.type = 'module';
      script.src = '/dist/mixpeek-uploader.js';
      script.onload = () => resolve();
      script.onerror = () => reject(new Error('dist/mixpeek-uploader.js did not load: run npm run build'));
      document.head.append(script);
    });
    await customElements.whenDefined('mixpeek-uploader');
    document.body.insertAdjacentHTML(
      'beforeend',
      `<mixpeek-uploader api-url="${env.apiUrl}" bucket="${env.bucket}" namespace="${env.namespace}" api-key="${env.apiKey}"></mixpeek-uploader>`,
    );
    const el = document.querySelector('mixpeek-uploader') as HTMLElement & {
      addFiles(files: File[]): unknown;
      upload(): Promise<{ confirmed: number; files: { etag?: string }[] }>;
    };
    el.addFiles([patternFile('one.txt', 5, 'text/plain'), patternFile('two.bin', 70_000)]);
    const summary = await el.upload();
    expect(summary.confirmed).to.equal(2);
    expect(summary.files.every((f) => /^[0-9a-f]{32}$/.test(f.etag ?? ''))).to.equal(true);
  });
});
