/**
 * Puts files into the emulator's bucket from Node, straight over loopback: one completed upload
 * each, created with its `file_hash` (SHA-256), PUT, confirmed, its task followed to the end.
 * The "already in Mixpeek" part of the duplicate cases, set up outside the timed run.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TERMINAL_TASK_STATUSES } from '../../src/api/types.ts';
import type { BenchEnv } from '../pages/api.ts';

/** Seeds `paths` into `env`'s bucket, 100 a batch; throws when any of it fails. */
export async function seedBucket(env: BenchEnv, paths: string[]): Promise<void> {
  const headers = { Authorization: `Bearer ${env.apiKey}`, 'X-Namespace': env.namespace, 'Content-Type': 'application/json' };
  const call = async <T>(path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${env.apiUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`seeding: ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  for (let i = 0; i < paths.length; i += 100) {
    const chunk = paths.slice(i, i + 100);
    const bodies = await Promise.all(chunk.map((p) => readFile(p)));
    const uploads = chunk.map((p, j) => ({
      filename: basename(p),
      content_type: 'application/octet-stream',
      file_size_bytes: bodies[j]!.length,
      file_hash: createHash('sha256').update(bodies[j]!).digest('hex'),
    }));
    const created = await call<{ uploads: { upload_id: string; presigned_url: string }[] }>(`/v1/buckets/${env.bucket}/uploads/batch`, {
      uploads,
    });
    const confirmations = await Promise.all(
      created.uploads.map(async (u, j) => {
        const put = await fetch(u.presigned_url, {
          method: 'PUT',
          body: new Uint8Array(bodies[j]!),
          headers: { 'Content-Type': 'application/octet-stream' },
        });
        if (!put.ok) throw new Error(`seeding: PUT ${chunk[j]}: ${put.status}`);
        return { upload_id: u.upload_id, etag: put.headers.get('etag'), file_size_bytes: bodies[j]!.length };
      }),
    );
    const { task_id } = await call<{ task_id: string }>(`/v1/buckets/${env.bucket}/uploads/confirm/batch`, { confirmations });
    for (;;) {
      const task = await call<{ status: string }>(`/v1/tasks/${task_id}`);
      if (task.status === 'COMPLETED') break;
      if (TERMINAL_TASK_STATUSES.has(task.status)) throw new Error(`seeding: task ${task_id} ended ${task.status}`);
      await sleep(20);
    }
  }
}
