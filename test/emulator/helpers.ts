/** Small helpers shared by the emulator's node tests. */
import { createHash } from 'node:crypto';
import type { Emulator } from '../../src/emulator/index.ts';

// biome-ignore lint/suspicious/noExplicitAny: test bodies are read loosely, field by field
export type Json = Record<string, any>;

export const md5 = (data: string | Uint8Array): string => createHash('md5').update(data).digest('hex');

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A JSON API client bound to one emulator. */
export function client(em: Emulator, bucket = 'demo') {
  const headers = (extra: Record<string, string> = {}): Record<string, string> => ({
    authorization: `Bearer ${em.apiKey}`,
    'x-namespace': em.namespace,
    'content-type': 'application/json',
    ...extra,
  });
  const call = async (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => {
    const init: RequestInit = { method, headers: headers(extra) };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await fetch(`${em.apiUrl}${path}`, init);
    const text = await res.text();
    let json: Json | null = null;
    try {
      json = text ? (JSON.parse(text) as Json) : null;
    } catch {
      json = null;
    }
    return { status: res.status, headers: res.headers, json: json as Json, text };
  };
  const base = `/v1/buckets/${bucket}/uploads`;
  return {
    call,
    headers,
    create: (item: Json) => call('POST', base, item),
    batch: (body: Json) => call('POST', `${base}/batch`, body),
    get: (id: string) => call('GET', `${base}/${id}`),
    confirm: (id: string, body: Json = {}, query = '') => call('POST', `${base}/${id}/confirm${query}`, body),
    confirmBatch: (confirmations: Json[]) => call('POST', `${base}/confirm/batch`, { confirmations }),
    list: (body?: Json) => call('POST', `${base}/list`, body),
    remove: (id: string, query = '') => call('DELETE', `${base}/${id}${query}`),
    task: (id: string) => call('GET', `/v1/tasks/${id}`),
    /** Polls a task until it is terminal; returns every status seen, in order. */
    async waitTask(id: string, timeoutMs = 5000): Promise<{ task: Json; seen: string[] }> {
      const seen: string[] = [];
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { json } = await call('GET', `/v1/tasks/${id}`);
        if (seen.at(-1) !== json.status) seen.push(json.status);
        if (['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELED'].includes(json.status)) return { task: json, seen };
        if (Date.now() > deadline) throw new Error(`task ${id} still ${json.status}`);
        await sleep(10);
      }
    },
  };
}

/** PUTs bytes to a presigned URL. */
export async function put(url: string, body: string | Uint8Array<ArrayBuffer>, contentType: string, extra: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'PUT', headers: { 'content-type': contentType, ...extra }, body });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/**
 * GETs a stored object with a presigned URL (the storage refuses unsigned reads), signed by
 * the AWS SDK with s3rver's fixed credentials; resolves the HTTP status.
 */
export async function storedStatus(storageUrl: string, key: string): Promise<number> {
  const { GetObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
  const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
  const s3 = new S3Client({
    region: 'us-east-1',
    endpoint: storageUrl,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'mixpeek-emulator', Key: key }), { expiresIn: 60 });
  const res = await fetch(url);
  await res.arrayBuffer();
  return res.status;
}
