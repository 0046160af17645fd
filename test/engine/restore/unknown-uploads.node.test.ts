import assert from 'node:assert/strict';
import { it } from 'node:test';
import { instantTransfer, nodeUploader, TEST_API_URL } from '../support.ts';
import { createMemoryJournal } from '../../../src/engine/journal.ts';
import { duplicateKey } from '../../../src/engine/file-rules.ts';

const apiUrl = TEST_API_URL;
const target = `${apiUrl}|b|`;

it("the list of unknown uploads answered late (a retry) does not cancel this page's own new upload", async () => {
  const log: string[] = [];
  const pending = new Map<string, string>(); // upload_id -> filename
  let createdNew!: () => void;
  const created = new Promise<void>((r) => (createdNew = r));
  let n = 0;
  const fetch = (async (url: string | URL, init?: RequestInit) => {
    const { pathname } = new URL(String(url));
    const method = init?.method ?? 'GET';
    log.push(`${method} ${pathname}`);
    if (pathname.endsWith('/uploads/batch')) {
      const { uploads } = JSON.parse(String(init!.body));
      const out = uploads.map((u: { filename: string }) => {
        const id = `new-${++n}`;
        pending.set(id, u.filename);
        return { upload_id: id, presigned_url: `http://storage/${id}`, expires_at: new Date(Date.now() + 3_600_000).toISOString() };
      });
      createdNew();
      return Response.json({ uploads: out });
    }
    if (pathname.endsWith('/uploads/list')) {
      await created; // answered after this page's create (e.g. the first try failed and was retried)
      return Response.json({ results: [...pending].map(([upload_id, filename]) => ({ upload_id, filename, status: 'PENDING' })) });
    }
    if (pathname.endsWith('/uploads/confirm/batch')) {
      await new Promise((r) => setTimeout(r, 20));
      return Response.json({ task_id: 't1', status: 'PENDING' });
    }
    if (pathname.startsWith('/v1/tasks/')) return Response.json({ task_id: 't1', status: 'COMPLETED' });
    if (method === 'DELETE') {
      pending.delete(pathname.split('/').pop()!);
      return new Response(null, { status: 204 });
    }
    return Response.json({ status: 'PENDING' });
  }) as typeof globalThis.fetch;
  const file = new File(['hello world'], 'a.bin', { lastModified: 1_700_000_000_000 });
  const journal = createMemoryJournal();
  const info = { relativePath: 'a.bin', size: file.size, lastModified: file.lastModified };
  // The old page sent a create for a.bin and closed before the answer.
  journal.put({
    key: `${target}#queued#${duplicateKey(info)}`,
    target,
    name: 'a.bin',
    ...info,
    state: 'creating',
    uploadId: '',
    updatedAt: Date.now(),
    owner: 'gone-page',
  });
  const up = nodeUploader({ journal, fetch, createTransfer: instantTransfer(30) });
  await up.restore();
  up.addFiles([file]); // added after the journal was read
  await up.upload();
  assert.ok(!log.includes('DELETE /v1/buckets/b/uploads/new-1'), `this page's own upload was canceled: ${JSON.stringify(log)}`);
});
