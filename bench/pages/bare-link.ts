/**
 * The baseline of the link cases: the least an uploader must do. Batch creates of 100 files
 * (`POST …/uploads/batch`), one after another, and bare `fetch` PUTs of the files to their
 * presigned URLs, `concurrency` at once, starting as soon as the first batch is answered. No
 * hashing, no confirm. Timed from the first create to the last PUT's answer.
 */
import type { BenchEnv, LinkRunResult } from './api.ts';

const epoch = () => performance.timeOrigin + performance.now();

export async function bareLinkUpload(env: BenchEnv, files: File[], concurrency: number): Promise<LinkRunResult> {
  const headers = { Authorization: `Bearer ${env.apiKey}`, 'X-Namespace': env.namespace, 'Content-Type': 'application/json' };
  const targets: { file: File; url: string; contentType: string }[] = [];
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
        const chunk = files.slice(i, i + 100);
        const uploads = chunk.map((f) => ({
          filename: f.name,
          content_type: f.type || 'application/octet-stream',
          file_size_bytes: f.size,
        }));
        const response = await fetch(`${env.apiUrl}/v1/buckets/${env.bucket}/uploads/batch`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ uploads }),
        });
        if (!response.ok) throw new Error(`batch create: ${response.status} ${await response.text()}`);
        const body = (await response.json()) as { uploads: { presigned_url: string }[] };
        for (const [j, u] of body.uploads.entries())
          targets.push({ file: chunk[j]!, url: u.presigned_url, contentType: uploads[j]!.content_type });
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
