/**
 * Puts files into the emulator's bucket from Node, straight over loopback: one completed upload
 * each, created with its `file_hash` (SHA-256), PUT, confirmed, its task followed to the end.
 * The "already in Mixpeek" part of the duplicate cases, set up outside the timed run, with the
 * project's own API client and task poller.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { MixpeekClient } from '../../src/api/client.ts';
import { pollTask } from '../../src/engine/task-poller.ts';
import type { BenchEnv } from '../pages/api.ts';

/** Seeds `paths` into `env`'s bucket, 100 a batch; throws when any of it fails or a task does not complete. */
export async function seedBucket(env: BenchEnv, paths: string[]): Promise<void> {
  const api = new MixpeekClient({ apiUrl: env.apiUrl, bucket: env.bucket, namespace: env.namespace, apiKey: env.apiKey });
  for (let i = 0; i < paths.length; i += 100) {
    const chunk = paths.slice(i, i + 100);
    const bodies = await Promise.all(chunk.map((p) => readFile(p)));
    const digest = (algorithm: string, j: number) => createHash(algorithm).update(bodies[j]!).digest('hex');
    const created = await api.createUploads(
      chunk.map((p, j) => ({
        filename: basename(p),
        content_type: 'application/octet-stream',
        file_size_bytes: bodies[j]!.length,
        file_hash: digest('sha256', j),
      })),
    );
    await Promise.all(
      created.map(async (u, j) => {
        const put = await fetch(u.presigned_url!, {
          method: 'PUT',
          body: new Uint8Array(bodies[j]!),
          headers: { 'Content-Type': 'application/octet-stream' },
        });
        if (!put.ok) throw new Error(`seeding: PUT ${chunk[j]}: ${put.status}`);
      }),
    );
    const confirmed = await api.confirmUploads(
      created.map((u, j) => ({ upload_id: u.upload_id, etag: digest('md5', j), file_size_bytes: bodies[j]!.length })),
    );
    const task = await pollTask((id, signal) => api.getTask(id, signal), confirmed.task_id, { first: 20, max: 200 });
    if (task.status !== 'COMPLETED') throw new Error(`seeding: task ${confirmed.task_id} ended ${task.status}`);
  }
}
