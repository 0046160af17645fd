import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import { createUploader } from '../../../src/engine/uploader.ts';
import { createMemoryJournal } from '../../../src/engine/journal.ts';
import { duplicateKey } from '../../../src/engine/file-rules.ts';

const apiUrl = 'http://api.test';
const target = `${apiUrl}|b|`;

function world() {
  const log: string[] = [];
  let n = 0;
  const fetch = (async (url: string | URL, init?: RequestInit) => {
    const { pathname } = new URL(String(url));
    const method = init?.method ?? 'GET';
    log.push(`${method} ${pathname}`);
    if (pathname.endsWith('/uploads/batch')) {
      const { uploads } = JSON.parse(String(init!.body));
      return Response.json({
        uploads: uploads.map(() => ({
          upload_id: `new-${++n}`,
          presigned_url: `http://storage/new-${n}`,
          expires_at: new Date(Date.now() + 3_600_000).toISOString(),
          status: 'PENDING',
        })),
      });
    }
    if (pathname.endsWith('/uploads/confirm/batch')) return Response.json({ task_id: 't1', status: 'PENDING' });
    if (pathname.startsWith('/v1/tasks/')) return Response.json({ task_id: 't1', status: 'COMPLETED' });
    if (pathname.endsWith('/uploads/list')) return Response.json({ results: [] });
    if (method === 'DELETE') return new Response(null, { status: 204 });
    return Response.json({ status: 'PENDING' });
  }) as typeof globalThis.fetch;
  const puts: string[] = [];
  const createTransfer = () => ({
    put: async (job: { url: string; file: File }, p: (b: number, t: number) => void) => {
      puts.push(job.url);
      p(job.file.size, job.file.size);
    },
    dispose() {},
  });
  const hasher = {
    md5: async (b: Blob) =>
      createHash('md5')
        .update(Buffer.from(await b.arrayBuffer()))
        .digest('hex'),
  };
  return { log, puts, fetch, createTransfer, hasher };
}

function oldPage(journal: ReturnType<typeof createMemoryJournal>, file: File) {
  // The old page's create was answered, its hash not yet: its 'created' record is under the queued key.
  const info = { relativePath: file.name, size: file.size, lastModified: file.lastModified };
  journal.put({
    key: `${target}#queued#${duplicateKey(info)}`,
    target,
    name: file.name,
    ...info,
    state: 'created',
    uploadId: 'old-1',
    url: 'http://storage/old-1',
    expiresAt: Date.now() + 3_000_000,
    contentType: 'application/octet-stream',
    updatedAt: Date.now(),
    owner: 'gone-page',
  });
}

for (const when of ['before', 'after'] as const) {
  it(`re-added ${when} the journal is read: the old page's live upload is reused or canceled`, async () => {
    const file = new File(['hello world'], 'a.bin', { lastModified: 1_700_000_000_000 });
    const journal = createMemoryJournal();
    oldPage(journal, file);
    const w = world();
    const up = createUploader({
      apiUrl,
      bucket: 'b',
      journal,
      fetch: w.fetch,
      hasher: w.hasher as never,
      createTransfer: w.createTransfer as never,
      taskPollInterval: 1,
    });
    if (when === 'before') up.addFiles([file]);
    else {
      await up.restore();
      up.addFiles([file]);
    }
    const summary = await up.upload();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(summary.confirmed, 1);
    const oldUsed = w.puts.includes('http://storage/old-1') || w.log.includes('DELETE /v1/buckets/b/uploads/old-1');
    assert.ok(oldUsed, `old-1 neither reused nor canceled: ${JSON.stringify(w.log)}`);
  });
}
