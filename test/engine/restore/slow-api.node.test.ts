import assert from 'node:assert/strict';
import { it } from 'node:test';
import { nodeUploader, TEST_API_URL } from '../support.ts';
import { createMemoryJournal } from '../../../src/engine/journal.ts';

const apiUrl = TEST_API_URL;
const target = `${apiUrl}|b|`;

it('a reload during a confirm of 25 files, API at 150 ms a request: files added again are not uploaded twice', async () => {
  const log: string[] = [];
  const events: string[] = [];
  const fetch = (async (url: string | URL, init?: RequestInit) => {
    const { pathname } = new URL(String(url));
    const method = init?.method ?? 'GET';
    log.push(`${method} ${pathname}`);
    await new Promise((r) => setTimeout(r, 150));
    if (pathname.endsWith('/uploads/batch')) {
      const { uploads } = JSON.parse(String(init!.body));
      return Response.json({
        uploads: uploads.map((_: unknown, i: number) => ({
          upload_id: `new-${i}`,
          presigned_url: `http://storage/new-${i}`,
          expires_at: new Date(Date.now() + 3_600_000).toISOString(),
        })),
      });
    }
    if (pathname.endsWith('/uploads/confirm/batch')) return Response.json({ task_id: 't1', status: 'PENDING' });
    if (pathname.startsWith('/v1/tasks/')) return Response.json({ task_id: 't1', status: 'COMPLETED' });
    if (pathname.endsWith('/uploads/list')) return Response.json({ results: [] });
    if (method === 'GET' && pathname.includes('/uploads/old-'))
      return Response.json({ upload_id: pathname.split('/').pop(), status: 'COMPLETED' });
    return new Response(null, { status: 204 });
  }) as typeof globalThis.fetch;
  const journal = createMemoryJournal();
  const files = Array.from({ length: 25 }, (_, i) => new File([`file ${i}`], `f${i}.bin`, { lastModified: 1_700_000_000_000 }));
  files.forEach((f, i) => {
    journal.put({
      key: `${target}#fp${i}`,
      target,
      name: f.name,
      relativePath: f.name,
      size: f.size,
      lastModified: f.lastModified,
      state: 'confirming',
      uploadId: `old-${i}`,
      etag: '0'.repeat(32),
      updatedAt: Date.now(),
      owner: 'gone-page',
    });
  });
  const up = nodeUploader({ journal, fetch });
  up.addEventListener('mixpeek-journal-unavailable', (e) => events.push((e as CustomEvent).detail.reason));
  up.addFiles(files); // the page adds its files back at once
  const summary = await up.upload();
  const creates = log.filter((l) => l.endsWith('/uploads/batch')).length;
  assert.equal(
    creates,
    0,
    `files Mixpeek already confirmed were uploaded again (${summary.confirmed} confirmed); events: ${events.join(' | ')}`,
  );
});
