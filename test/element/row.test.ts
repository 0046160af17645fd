/** One row, drawn alone from a file's state: what its status, bar and buttons say. */
import { expect } from '@esm-bundle/chai';
import { render } from 'lit';
import { type RowContext, renderRow } from '../../src/element/row.ts';
import { en } from '../../src/element/strings.ts';
import type { UploadFileInfo } from '../../src/events.ts';

const file = (over: Partial<UploadFileInfo>): UploadFileInfo => ({
  fileId: 'f1',
  name: 'clip.mp4',
  relativePath: 'clip.mp4',
  size: 1000,
  lastModified: 1,
  contentType: 'video/mp4',
  status: 'queued',
  bytesUploaded: 0,
  ...over,
});

const context = (over: Partial<RowContext> = {}): RowContext => ({
  t: en,
  lang: 'en',
  disabled: false,
  running: true,
  paused: false,
  remove: () => undefined,
  pause: () => undefined,
  resume: () => undefined,
  cancel: () => undefined,
  retry: () => undefined,
  ...over,
});

function draw(f: UploadFileInfo, over: Partial<RowContext> = {}): HTMLElement {
  const host = document.createElement('div');
  render(renderRow(f, context(over)), host);
  return host.firstElementChild as HTMLElement;
}

describe('a file row', () => {
  it('a PUT redone from the start shows its own bytes from 0 and says it is sent again', () => {
    const row = draw(file({ status: 'uploading', bytesUploaded: 800, bytesSent: 120 }));
    expect(row.querySelector('.status')!.textContent).to.equal('Sending again from the start');
    expect(row.querySelector('progress')!.value).to.equal(120);
  });

  it('a paused row shows no bar, says Paused and offers Resume', () => {
    const row = draw(file({ status: 'uploading', bytesUploaded: 800, bytesSent: 0, paused: true }));
    expect(row.querySelector('.status')!.textContent).to.equal('Paused');
    expect(row.querySelector('progress') === null, 'no bar').to.equal(true);
    expect(row.querySelector('[data-action=resume]')!.getAttribute('aria-label')).to.equal('Resume clip.mp4');
  });

  it('queued and finished rows have no bar; a confirmed row offers Remove that keeps the upload', () => {
    expect(draw(file({ status: 'queued' }), { running: false }).querySelector('progress') === null).to.equal(true);
    const done = draw(file({ status: 'done', bytesUploaded: 1000 }));
    expect(done.querySelector('progress') === null).to.equal(true);
    expect(done.querySelector('[data-action=remove]')!.getAttribute('aria-label')).to.equal('Remove clip.mp4 (stays in Mixpeek)');
  });

  it('a failed file shows a short reason; a setup problem leaves it to the banner', () => {
    const mismatch = draw(
      file({
        status: 'failed',
        file: new File(['x'], 'clip.mp4'),
        error: { code: 'processing-failed', message: 'ETag mismatch: confirmation has ca4d…, stored object has d92e…' },
      }),
    );
    expect(mismatch.querySelector('[part~=error]')!.textContent).to.equal('The stored file differs from the one sent. Try again.');
    expect(mismatch.querySelector('[data-action=retry]') === null).to.equal(false);
    const refused = draw(file({ status: 'failed', error: { code: 'create-failed', message: 'Unauthorized', status: 401 } }));
    expect(refused.querySelector('[part~=error]') === null).to.equal(true);
    const storage = draw(
      file({ status: 'failed', error: { code: 'upload-failed', message: 'Storage answered 403 SignatureDoesNotMatch' } }),
    );
    expect(storage.querySelector('[part~=error]')!.textContent).to.equal('Sending the file to storage failed. (SignatureDoesNotMatch)');
  });

  it('a long name keeps its extension in the tail and reads whole', () => {
    const long = 'holiday-2024-lisbon-tram-28-sunset-0142.jpeg';
    const name = draw(file({ name: long, relativePath: long, contentType: 'image/jpeg' })).querySelector('[part~=file-name]')!;
    expect(name.textContent).to.equal(long);
    expect(name.querySelector('.tail')!.textContent).to.equal('t-0142.jpeg');
    expect(name.getAttribute('title')).to.equal(long);
  });

  it('shows an icon by kind, and a preview canvas only for images the browser decodes', () => {
    const kinds = [
      ['video/mp4', 'a.mp4', 'video'],
      ['audio/mpeg', 'a.mp3', 'audio'],
      ['application/pdf', 'a.pdf', 'pdf'],
      ['text/plain', 'a.txt', 'text'],
      ['application/zip', 'a.zip', 'archive'],
      ['', 'scene.blend', 'other'],
      ['image/png', 'a.png', 'image'],
    ];
    for (const [type, name, kind] of kinds) {
      const row = draw(file({ name: name!, relativePath: name!, contentType: type!, file: new File(['x'], name!, { type: type! }) }));
      expect(row.querySelector('[part~=preview]')!.getAttribute('data-kind'), name).to.equal(kind);
      expect(row.querySelector('[part~=preview] svg') === null, name).to.equal(false);
      expect(row.querySelector('[part~=preview] canvas') !== null, name).to.equal(kind === 'image');
    }
  });
});
