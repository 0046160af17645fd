/**
 * The demo page: one `<mixpeek-uploader>`, a live event log and the confirmed uploads.
 * `npm run demo` (scripts/demo.ts) starts the emulator and hands its address to this page.
 */
import '../src/define.ts';
import { MixpeekEvents, type MixpeekEventName } from '../src/events.ts';

declare const __MIXPEEK_DEMO__: { apiUrl: string; apiKey: string; namespace: string; bucket: string; target: string };

const config = __MIXPEEK_DEMO__;
const uploader = document.querySelector('mixpeek-uploader')!;
uploader.apiUrl = config.apiUrl;
uploader.apiKey = config.apiKey;
uploader.namespace = config.namespace;
uploader.bucket = config.bucket;
document.querySelector('#target')!.textContent = `Uploading to bucket "${config.bucket}" on ${config.target} (${config.apiUrl}).`;

const log = document.querySelector<HTMLOListElement>('#log')!;
const confirmedBody = document.querySelector<HTMLTableSectionElement>('#confirmed tbody')!;
const confirmedCount = document.querySelector('#confirmed-count')!;

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
      return `batch ${detail.batch}: ${(detail.confirmations as unknown[]).length} confirmations → task ${detail.taskId} ${detail.status}`;
    case 'mixpeek-task-update':
      return `task ${detail.taskId} → ${detail.status}`;
    case 'mixpeek-complete':
      return `complete: ${detail.confirmed} confirmed, ${detail.failed} failed, ${(detail.batches as unknown[]).length} batches`;
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

uploader.addEventListener('mixpeek-complete', (event) => {
  const rows = event.detail.files
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
});
