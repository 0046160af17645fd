/** The element uploading through the gateway (mounted at /mixpeek by the test runner) to the emulator: no key in the page. */
import { expect } from '@esm-bundle/chai';
import '../../src/define.ts';
import { apiBodies, env, patternFile, resetEmulator } from '../support/fixtures.ts';

describe('<mixpeek-uploader> through the gateway', () => {
  beforeEach(resetEmulator);

  it('uploads and confirms 250 files with no key and no namespace in the page', async () => {
    const el = document.createElement('mixpeek-uploader');
    el.apiUrl = '/mixpeek';
    el.bucket = env.bucket;
    document.body.append(el);
    const sent: Headers[] = [];
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      if (String(input).startsWith('/mixpeek/')) sent.push(new Headers(init?.headers));
      return realFetch(input, init);
    };
    el.addFiles(Array.from({ length: 250 }, (_, i) => patternFile(`g${i}.txt`, 1 + (i % 97), 'text/plain', i)));
    const summary = await el.upload().finally(() => (window.fetch = realFetch));
    el.remove();

    expect(sent.length).to.be.greaterThan(5);
    expect(sent.some((h) => h.has('authorization') || h.has('x-namespace'))).to.equal(false);
    expect(summary.confirmed).to.equal(250);
    expect(summary.batches.map((b) => b.status)).to.deep.equal(['COMPLETED', 'COMPLETED', 'COMPLETED']);
    const confirms = await apiBodies<{ confirmations: unknown[] }>('POST', '/uploads/confirm/batch');
    expect(confirms.map((b) => b.confirmations.length)).to.deep.equal([100, 100, 50]);
  });

  it('shows a gateway refusal as the file’s error', async () => {
    const el = document.createElement('mixpeek-uploader');
    el.apiUrl = '/mixpeek';
    el.bucket = 'not-allowed';
    document.body.append(el);
    el.addFiles([patternFile('x.txt', 3, 'text/plain')]);
    const summary = await el.upload();
    el.remove();
    expect(summary.files[0]!.status).to.equal('failed');
    expect(summary.files[0]!.error?.message).to.include('not-allowed');
  });

  it('shows the gateway’s reason when its upload policy refuses a file', async () => {
    const el = document.createElement('mixpeek-uploader');
    el.apiUrl = '/mixpeek-strict';
    el.bucket = env.bucket;
    document.body.append(el);
    el.addFiles([patternFile('notes.txt', 3, 'text/plain')]);
    const summary = await el.upload();
    await el.updateComplete;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const shown = el.shadowRoot?.textContent ?? '';
    el.remove();
    expect(summary.files[0]!.status).to.equal('failed');
    expect(summary.files[0]!.error?.message).to.include('text/plain').and.include('not allowed here');
    expect(shown).to.include('not allowed here');
  });
});
