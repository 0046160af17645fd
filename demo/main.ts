/**
 * The demo page: one `<mixpeek-uploader>`, a live event log and the confirmed uploads.
 * `npm run demo` (scripts/demo.ts) serves it with the upload gateway at /mixpeek.
 */
import '../src/define.ts';
import type { MixpeekUploader } from '../src/element/mixpeek-uploader.ts';
import { createUploader } from '../src/index.ts';
import { MixpeekEvents, type MixpeekEventName } from '../src/events.ts';

/** Set by scripts/demo.ts. The page holds no key: the gateway at `apiUrl` adds it. */
declare const __MIXPEEK_DEMO__: { apiUrl: string; bucket: string; blobProperty: string; target: string };

const config = __MIXPEEK_DEMO__;
const uploader = document.querySelector<MixpeekUploader>('#uploader')!;
for (const el of document.querySelectorAll('mixpeek-uploader')) {
  el.apiUrl = config.apiUrl;
  el.bucket = config.bucket;
  if (config.blobProperty) el.blobProperty = config.blobProperty;
}
document.querySelector('#target')!.textContent =
  `Uploading to bucket "${config.bucket}" on ${config.target}, through the gateway at ${config.apiUrl}.`;

const log = document.querySelector<HTMLOListElement>('#log')!;
const confirmedBody = document.querySelector<HTMLTableSectionElement>('#confirmed tbody')!;
const confirmedCount = document.querySelector('#confirmed-count')!;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function describe(name: MixpeekEventName, detail: Record<string, unknown>): string {
  switch (name) {
    case 'mixpeek-file-added':
      return `added ${(detail.file as { relativePath: string }).relativePath}`;
    case 'mixpeek-file-rejected':
      return `rejected ${detail.name} (${detail.code}): ${detail.message}`;
    case 'mixpeek-file-uploaded':
      return `uploaded ${detail.name} → ${detail.uploadId}, etag ${detail.etag}`;
    case 'mixpeek-file-error':
      return `failed ${detail.name} (${detail.code}): ${detail.message}`;
    case 'mixpeek-batch-confirmed':
      return `batch ${detail.batch}: ${plural((detail.confirmations as unknown[]).length, 'confirmation')} → task ${detail.taskId} ${detail.status}`;
    case 'mixpeek-task-update':
      return `task ${detail.taskId} → ${detail.status}`;
    case 'mixpeek-complete':
      return `complete: ${detail.confirmed} confirmed, ${detail.failed} failed, ${plural((detail.batches as unknown[]).length, 'batch', 'batches')}`;
    default:
      return JSON.stringify(detail);
  }
}

for (const name of Object.values(MixpeekEvents)) {
  if (name === 'mixpeek-upload-progress') continue; // too many to list
  uploader.addEventListener(name, (event) => {
    const detail = (event as unknown as CustomEvent<Record<string, unknown>>).detail;
    const item = document.createElement('li');
    item.textContent = `${new Date().toLocaleTimeString()}  ${describe(name, detail)}`;
    if (name === 'mixpeek-file-error' || name === 'mixpeek-file-rejected') item.className = 'error';
    log.prepend(item);
    while (log.childElementCount > 500) log.lastElementChild!.remove();
  });
}

/** Lists the confirmed files; refreshed as each batch's task ends, and at the end. */
function renderConfirmed(): void {
  const rows = uploader.engine.files
    .filter((f) => f.status === 'done')
    .map((f) => {
      const row = document.createElement('tr');
      for (const text of [f.relativePath, f.uploadId ?? '', f.objectId ?? '', f.etag ?? '']) {
        const cell = document.createElement('td');
        cell.textContent = text;
        row.append(cell);
      }
      return row;
    });
  confirmedBody.replaceChildren(...rows);
  confirmedCount.textContent = String(rows.length);
}
// The engine settles a batch's files right after announcing its task's new status.
uploader.addEventListener('mixpeek-task-update', () => setTimeout(renderConfirmed));
uploader.addEventListener('mixpeek-complete', renderConfirmed);

// The form: its value is one entry per confirmed upload under the element's name.
const form = document.querySelector<HTMLFormElement>('#form')!;
form.addEventListener('submit', (event) => {
  event.preventDefault();
  const lines = [...new FormData(form)].map(([name, value]) => `${name} = ${String(value)}`);
  document.querySelector('#form-output')!.textContent = lines.join('\n');
});
form.addEventListener('reset', () => (document.querySelector('#form-output')!.textContent = ''));

// Headless: the same engine and events, with a plain list as the UI.
const headless = createUploader({
  apiUrl: config.apiUrl,
  bucket: config.bucket,
  autoUpload: true,
  blobProperty: config.blobProperty || undefined,
});
const list = document.querySelector<HTMLUListElement>('#headless-list')!;
const status = document.querySelector('#headless-status')!;
const rows = new Map<string, HTMLLIElement>();
const show = () => {
  for (const f of headless.files) {
    let row = rows.get(f.fileId);
    if (!row) {
      row = document.createElement('li');
      rows.set(f.fileId, row);
      list.append(row);
    }
    const pct = Math.floor((100 * f.bytesUploaded) / f.size);
    row.textContent = `${f.relativePath}: ${f.status} ${pct}%${f.error ? ` (${f.error.message})` : ''}`;
  }
  const t = headless.totals;
  status.textContent = t.files ? `${t.done} of ${t.files} confirmed` : '';
};
headless.addEventListener('change', show);
document.querySelector<HTMLInputElement>('#headless-input')!.addEventListener('change', (event) => {
  const input = event.target as HTMLInputElement;
  if (input.files) headless.addFiles(input.files);
  input.value = '';
});
