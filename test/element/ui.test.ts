/** What a person meets: keyboard, announcements, axe, folders, paste, forms and languages. */
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import axe from 'axe-core';
import '../../src/define.ts';
import { filesFromDataTransfer } from '../../src/element/drop.ts';
import type { MixpeekUploader } from '../../src/element/mixpeek-uploader.ts';
import { apiBodies, env, patternFile, resetEmulator } from '../support/fixtures.ts';
import { renderedRows } from './mixpeek-uploader.test.ts';

function mount(html = '<mixpeek-uploader></mixpeek-uploader>'): MixpeekUploader {
  const host = document.createElement('div');
  host.innerHTML = html;
  document.body.append(host);
  const el = host.querySelector('mixpeek-uploader')!;
  Object.assign(el, { apiUrl: env.apiUrl, bucket: env.bucket, namespace: env.namespace, apiKey: env.apiKey });
  return el;
}

const shadow = (el: MixpeekUploader, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector)!;
const activeInShadow = (el: MixpeekUploader) => el.shadowRoot!.activeElement as HTMLElement | null;

describe('<mixpeek-uploader> for people', () => {
  beforeEach(resetEmulator);
  afterEach(() => {
    for (const el of document.querySelectorAll('mixpeek-uploader')) el.closest('div')?.remove();
  });

  it('works by keyboard: Tab to the drop zone, Enter opens the picker; Upload by keyboard keeps focus on a control', async () => {
    const el = mount();
    await el.updateComplete;
    let opened = 0;
    shadow(el, 'input[data-pick=files]').click = () => {
      opened += 1;
    };
    el.focus();
    await sendKeys({ press: 'Tab' });
    expect(activeInShadow(el)?.getAttribute('part')).to.equal('dropzone');
    await sendKeys({ press: 'Enter' });
    expect(opened).to.equal(1);

    el.addFiles([patternFile('k.bin', 4 * 1024 * 1024, 'application/octet-stream')]);
    await el.updateComplete;
    const upload = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.controls button')].find(
      (b) => b.textContent!.trim() === 'Upload',
    )!;
    upload.focus();
    const complete = new Promise((r) => el.addEventListener('mixpeek-complete', r, { once: true }));
    await sendKeys({ press: 'Enter' });
    for (let i = 0; i < 50 && activeInShadow(el)?.dataset.action !== 'pause'; i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(activeInShadow(el)?.dataset.action).to.equal('pause');
    await complete;
    for (let i = 0; i < 50 && activeInShadow(el)?.getAttribute('part') !== 'dropzone'; i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(activeInShadow(el)?.getAttribute('part'), 'focus stays in the element when Pause goes away').to.equal('dropzone');
  });

  it('announces additions, batches and the end politely, a few times, not per byte', async () => {
    const el = mount();
    await el.updateComplete;
    const region = shadow(el, '[role=status][aria-live=polite].visually-hidden');
    let changes = 0;
    new MutationObserver(() => (changes += 1)).observe(region, { childList: true, subtree: true, characterData: true });
    el.addFiles([patternFile('a1.txt', 200_000, 'text/plain'), patternFile('a2.txt', 300_000, 'text/plain')]);
    await new Promise((r) => setTimeout(r, 700));
    expect(region.textContent).to.include('2 files added');
    await el.upload();
    await new Promise((r) => setTimeout(r, 700));
    expect(region.textContent).to.include('Upload finished: 2 confirmed');
    expect(changes).to.be.lessThan(10);
  });

  it('has no axe violations, with files queued, failed and confirmed, in light and compact layouts', async () => {
    const el = mount('<mixpeek-uploader compact name="f"></mixpeek-uploader>');
    el.addFiles([patternFile('ok.txt', 5, 'text/plain'), patternFile('empty.txt', 0), patternFile('other.txt', 6, 'text/plain')]);
    await el.upload();
    el.addFiles([patternFile('queued.txt', 7, 'text/plain')]);
    await renderedRows(el);
    const results = await axe.run(el, { resultTypes: ['violations'] });
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`)).to.deep.equal([]);
    el.compact = false;
    await el.updateComplete;
    expect((await axe.run(el, { resultTypes: ['violations'] })).violations).to.deep.equal([]);
  });

  it('walks a dropped folder tree and keeps each file’s relative path', async () => {
    const fileEntry = (path: string, size: number) => ({
      isFile: true,
      isDirectory: false,
      fullPath: `/${path}`,
      file: (ok: (f: File) => void) => ok(patternFile(path.split('/').pop()!, size, 'application/pdf')),
    });
    const dirEntry = (path: string, children: unknown[]) => {
      const chunks = [children, []]; // readEntries answers in chunks, then an empty list
      return {
        isFile: false,
        isDirectory: true,
        fullPath: `/${path}`,
        createReader: () => ({ readEntries: (ok: (c: unknown[]) => void) => ok(chunks.shift() ?? []) }),
      };
    };
    const tree = dirEntry('photos', [
      fileEntry('photos/a/report.pdf', 10),
      dirEntry('photos/b', [fileEntry('photos/b/report.pdf', 11)]),
      fileEntry('photos/top.pdf', 12),
    ]);
    const fake = { items: [{ kind: 'file', webkitGetAsEntry: () => tree }], files: [] } as unknown as DataTransfer;
    const found = await filesFromDataTransfer(fake);
    expect(found.map((f) => f.relativePath)).to.deep.equal(['photos/a/report.pdf', 'photos/b/report.pdf', 'photos/top.pdf']);

    const el = mount();
    el.addFiles(found);
    const summary = await el.upload();
    expect(summary.confirmed).to.equal(3);
    const sent = (
      await apiBodies<{ uploads: { filename: string; metadata?: { relative_path?: string } }[] }>('POST', '/uploads/batch')
    ).flatMap((b) => b.uploads);
    expect(sent.map((u) => [u.filename, u.metadata?.relative_path])).to.deep.equal([
      ['report.pdf', 'photos/a/report.pdf'],
      ['report.pdf', 'photos/b/report.pdf'],
      ['top.pdf', 'photos/top.pdf'],
    ]);
  });

  it('takes pasted files, and a real drop of files', async () => {
    const el = mount();
    await el.updateComplete;
    const data = new DataTransfer();
    data.items.add(patternFile('pasted.png', 20, 'image/png'));
    shadow(el, '[part=dropzone]').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, composed: true }));
    await new Promise((r) => setTimeout(r, 50));
    expect(el.engine.files.map((f) => f.name)).to.deep.equal(['pasted.png']);

    const dropped = new DataTransfer();
    dropped.items.add(patternFile('dropped.txt', 5, 'text/plain'));
    el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dropped, bubbles: true, cancelable: true }));
    await el.updateComplete;
    expect(el.hasAttribute('dragover')).to.equal(true);
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: dropped, bubbles: true, cancelable: true }));
    await new Promise((r) => setTimeout(r, 50));
    expect(el.hasAttribute('dragover')).to.equal(false);
    expect(el.engine.files.map((f) => f.name)).to.deep.equal(['pasted.png', 'dropped.txt']);
  });

  it('in a form: required until confirmed, value lists the uploads, reset clears, disabled refuses files', async () => {
    const host = document.createElement('div');
    host.innerHTML = '<form><fieldset><mixpeek-uploader name="uploads" required></mixpeek-uploader></fieldset></form>';
    document.body.append(host);
    const form = host.querySelector('form')!;
    const el = host.querySelector('mixpeek-uploader')!;
    Object.assign(el, { apiUrl: env.apiUrl, bucket: env.bucket, namespace: env.namespace, apiKey: env.apiKey });
    await el.updateComplete;
    expect(form.checkValidity()).to.equal(false);

    el.addFiles([patternFile('f1.txt', 5, 'text/plain'), patternFile('f2.txt', 6, 'text/plain')]);
    const summary = await el.upload();
    await el.updateComplete;
    expect(form.checkValidity()).to.equal(true);
    const values = new FormData(form).getAll('uploads').map((v) => JSON.parse(String(v)));
    expect(values.map((v) => v.upload_id).sort()).to.deep.equal(summary.files.map((f) => f.uploadId).sort());
    expect(values.every((v) => /^obj_/.test(v.object_id))).to.equal(true);

    form.reset();
    await el.updateComplete;
    expect(el.engine.files).to.have.length(0);
    expect(form.checkValidity()).to.equal(false);

    host.querySelector('fieldset')!.disabled = true;
    await el.updateComplete;
    expect(el.disabled).to.equal(true);
    expect(el.addFiles([patternFile('no.txt', 1)])).to.deep.equal([]);
    host.remove();
  });

  it('speaks the chosen language, follows lang, and takes string overrides', async () => {
    const el = mount();
    el.locale = 'de';
    await el.updateComplete;
    expect(shadow(el, '[part=dropzone]').textContent).to.include('Dateien auswählen');
    el.locale = 'ja';
    await el.updateComplete;
    expect(shadow(el, '[part=folder-button]').textContent!.trim()).to.equal('フォルダーを選択');
    el.locale = undefined;
    el.closest('div')!.setAttribute('lang', 'fr');
    el.requestUpdate();
    await el.updateComplete;
    expect(shadow(el, '[part=dropzone]').textContent).to.include('Déposez');
    el.strings = { upload: 'Send them' };
    el.addFiles([patternFile('s.txt', 3, 'text/plain')]);
    await el.updateComplete;
    expect([...el.shadowRoot!.querySelectorAll('.controls button')].map((b) => b.textContent!.trim())).to.include('Send them');
    // Sizes are formatted for the language.
    const row = (await renderedRows(el))[0]!;
    expect(row.textContent).to.match(/3\s?o|3 B|3 octets/);
  });

  it('says why files were refused, and what failed, in the chosen language; a neutral notice for refusals', async () => {
    const el = mount('<mixpeek-uploader locale="de" max-file-size="10"></mixpeek-uploader>');
    const ok = patternFile('ok.txt', 3, 'text/plain');
    el.addFiles([patternFile('leer.txt', 0), patternFile('gross.bin', 11), ok, ok]);
    await el.updateComplete;
    const items = [...el.shadowRoot!.querySelectorAll('.notice li')].map((li) => li.textContent);
    expect(items).to.deep.equal([
      '„leer.txt“ ist leer (0 Byte); Mixpeek braucht mindestens 1 Byte.',
      '„gross.bin“ ist 11 Byte groß; erlaubt sind höchstens 10 Byte.',
      '„ok.txt“ ist schon in der Liste oder wurde schon hochgeladen; übersprungen.',
    ]);
    expect(shadow(el, '.notice').textContent).to.include('3 Probleme:');
    expect(el.shadowRoot!.querySelector('[part~=banner]') === null, 'refusals are no setup problem').to.equal(true);
    // An engine error is a setup problem: one banner, localized, then the technical detail.
    el.batchSize = 500;
    await el.upload().catch(() => undefined);
    await el.updateComplete;
    expect(shadow(el, '[part~=banner]').textContent!.replace(/\s+/g, ' ').trim()).to.match(
      /^Der Uploader ist nicht richtig eingerichtet\. .*batch-size/,
    );
  });

  it('shows a file waiting for a free transfer slot as waiting, not uploading', async () => {
    const el = mount('<mixpeek-uploader concurrency="1"></mixpeek-uploader>');
    el.addFiles([
      patternFile('w1.bin', 8 * 1024 * 1024, 'application/octet-stream', 1),
      patternFile('w2.bin', 1024, 'application/octet-stream', 2),
    ]);
    const done = el.upload();
    const statuses = new Set<string>();
    while (el.engine.running) {
      for (const row of await renderedRows(el)) {
        if (row.querySelector('.name')!.textContent === 'w2.bin')
          statuses.add(`${row.getAttribute('data-status')}:${row.querySelector('.status')!.textContent}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await done;
    expect([...statuses]).to.include('uploading:Waiting');
  });
});
