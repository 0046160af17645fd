import assert from 'node:assert/strict';
import { it } from 'node:test';
import { instantTransfer, nodeMd5 } from './support.ts';
import { createUploader } from '../../src/engine/uploader.ts';
import { createMemoryJournal } from '../../src/engine/journal.ts';
import { fingerprint } from '../../src/hash/fingerprint.ts';

const apiUrl = 'http://api.test';
const target = `${apiUrl}|b|`;

it('a file canceled while its create batch is prepared leaves no journal record', async () => {
  let n = 0;
  const fetch = (async (url: string | URL, init?: RequestInit) => {
    const { pathname } = new URL(String(url));
    if (pathname.endsWith('/uploads/batch')) {
      const { uploads } = JSON.parse(String(init!.body));
      return Response.json({
        uploads: uploads.map(() => ({
          upload_id: `new-${++n}`,
          presigned_url: `http://storage/${n}`,
          expires_at: new Date(Date.now() + 3_600_000).toISOString(),
        })),
      });
    }
    if (pathname.endsWith('/uploads/confirm/batch')) return Response.json({ task_id: 't1', status: 'PENDING' });
    if (pathname.startsWith('/v1/tasks/')) return Response.json({ task_id: 't1', status: 'COMPLETED' });
    if (pathname.endsWith('/uploads/list')) return Response.json({ results: [] });
    return new Response(null, { status: 204 });
  }) as typeof globalThis.fetch;
  const journal = createMemoryJournal();
  // Something from an earlier page to reuse: fingerprints are read before the create.
  journal.put({
    key: `${target}#other`,
    target,
    name: 'c.bin',
    relativePath: 'c.bin',
    size: 3,
    lastModified: 1,
    state: 'created',
    uploadId: 'old',
    url: 'http://s/old',
    expiresAt: Date.now() + 3_000_000,
    updatedAt: Date.now(),
    owner: 'gone',
  });
  const up = createUploader({
    apiUrl,
    bucket: 'b',
    journal,
    fetch,
    taskPollInterval: 1,
    hasher: {
      md5: nodeMd5,
      fingerprint: async (f: File, p: string) => {
        await new Promise((r) => setTimeout(r, 50));
        return fingerprint(f, p);
      },
    } as never,
    createTransfer: instantTransfer(),
  });
  await up.restore();
  const [a] = up.addFiles([
    new File(['aaa'], 'a.bin', { lastModified: 1 }),
    new File(['bbb'], 'b.bin', { lastModified: 1 }),
    new File(['ccc'], 'c.bin', { lastModified: 1 }),
  ]);
  const done = up.upload();
  await new Promise((r) => setTimeout(r, 10)); // the create batch is being prepared (fingerprints read)
  console.log(
    'status before cancel',
    up.files.map((f) => [f.name, f.status]),
  );
  up.cancel(a!.fileId);
  await done;
  const all = await journal.list(target);
  console.log(all.map((r) => [r.name, r.state, r.uploadId]));
  const left = all.filter((r) => r.name === 'a.bin');
  assert.deepEqual(
    left.map((r) => r.state),
    [],
    'a canceled file is named lost after every reload for a week',
  );
});
