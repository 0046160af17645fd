/**
 * The baseline of the link cases: the least an uploader must do. Batch creates of 100 files
 * (`POST …/uploads/batch`), one after another, and bare `fetch` PUTs of the files to their
 * presigned URLs, `concurrency` at once, starting as soon as the first batch is answered. No
 * hashing, no confirm. Timed from the first create to the last PUT's answer.
 */
import type { BenchEnv, LinkRunResult } from './api.ts';

const epoch = () => performance.timeOrigin + performance.now();

/** A file and the presigned URL it goes to. */
export interface BareTarget {
  file: File;
  url: string;
  contentType: string;
}

/** One batch create (`POST …/uploads/batch`) for `files` (at most 100); throws on a non-2xx answer. */
export async function createBatchBare(env: BenchEnv, files: File[]): Promise<BareTarget[]> {
  const uploads = files.map((f) => ({ filename: f.name, content_type: f.type || 'application/octet-stream', file_size_bytes: f.size }));
  const response = await fetch(`${env.apiUrl}/v1/buckets/${env.bucket}/uploads/batch`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${env.apiKey}`, 'X-Namespace': env.namespace, 'Content-Type': 'application/json' },
    body: JSON.stringify({ uploads }),
  });
  if (!response.ok) throw new Error(`batch create: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { uploads: { presigned_url: string }[] };
  return body.uploads.map((u, j) => ({ file: files[j]!, url: u.presigned_url, contentType: uploads[j]!.content_type }));
}

export async function bareLinkUpload(env: BenchEnv, files: File[], concurrency: number): Promise<LinkRunResult> {
  const targets: BareTarget[] = [];
  let created = false;
  let waiting: (() => void)[] = [];
  const wake = () => {
    for (const resolve of waiting) resolve();
    waiting = [];
  };
  const started = epoch();
  const creating = (async () => {
    try {
      for (let i = 0; i < files.length; i += 100) {
        targets.push(...(await createBatchBare(env, files.slice(i, i + 100))));
        wake();
      }
    } finally {
      created = true;
      wake();
    }
  })();
  let next = 0;
  await Promise.all([
    creating,
    ...Array.from({ length: concurrency }, async () => {
      for (;;) {
        if (next < targets.length) {
          const t = targets[next++]!;
          const response = await fetch(t.url, { method: 'PUT', body: t.file, headers: { 'Content-Type': t.contentType } });
          if (!response.ok) throw new Error(`PUT ${t.file.name}: ${response.status} ${await response.text()}`);
        } else if (created) return;
        else await new Promise<void>((resolve) => waiting.push(resolve));
      }
    }),
  ]);
  const ended = epoch();
  return { ms: ended - started, confirmed: 0, errors: [], marks: { started, ended } };
}
