/**
 * The peer contender: what a developer would write with `@uppy/core` + `@uppy/aws-s3` (the
 * project's own pinned versions) and a little glue, without the element. One create per file
 * (`POST /v1/buckets/{bucket}/uploads`) from Uppy's `signRequest` (6.x's successor of
 * `getUploadParameters`), the PUT by Uppy's AwsS3 plugin (single PUTs, `limit` = the element's
 * concurrency), then one confirm per file (`POST …/uploads/{upload_id}/confirm`) with the
 * storage ETag and size. A confirm answered asynchronously (a single confirm of 100 MiB or
 * more, Mixpeek OpenAPI 0.81) is done when its task is: the glue polls it every 200 ms, quicker
 * than Mixpeek's documented 1 s first wait, so the peer never idles longer than the element.
 */
import AwsS3 from '@uppy/aws-s3';
import Uppy from '@uppy/core';
import type { BenchEnv, LinkRunResult } from './api.ts';

const FINAL = ['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELED'];
const epoch = () => performance.timeOrigin + performance.now();
const withoutQuery = (url: string) => {
  const u = new URL(url);
  u.search = '';
  return u.href;
};

/**
 * Uppy 6.3.1 reads the storage ETag of a single PUT but passes it on in no event, so the glue
 * takes it from the XHR as it loads (by URL without its query).
 */
function etagsFromXhr(): Map<string, string> {
  const etags = new Map<string, string>();
  const open = XMLHttpRequest.prototype.open as (this: XMLHttpRequest, ...args: unknown[]) => void;
  XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, ...args: unknown[]) {
    const [method, url] = args as [string, string | URL];
    if (method.toUpperCase() === 'PUT') {
      this.addEventListener('load', () => {
        const etag = this.getResponseHeader('ETag');
        if (etag) etags.set(withoutQuery(String(url)), etag);
      });
    }
    open.apply(this, args);
  } as typeof XMLHttpRequest.prototype.open;
  return etags;
}

/** Uploads `files` the glue's way; resolves when every confirm (and its task, if any) is done. */
export async function uppyGlueUpload(env: BenchEnv, files: File[], concurrency: number): Promise<LinkRunResult> {
  const headers = { Authorization: `Bearer ${env.apiKey}`, 'X-Namespace': env.namespace, 'Content-Type': 'application/json' };
  const bucketUrl = `${env.apiUrl}/v1/buckets/${env.bucket}`;
  const post = async (url: string, body: unknown) => {
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  const etags = etagsFromXhr();
  const uploadIds = new Map<string, string>(); // by Uppy file id
  const errors: string[] = [];
  let confirmed = 0;
  let lastConfirm = Number.NaN;

  const uppy = new Uppy({ autoProceed: false });
  uppy.use(AwsS3, {
    shouldUseMultipart: false,
    limit: concurrency,
    generateObjectKey: (file) => file.id,
    signRequest: async (request) => {
      if (request.method !== 'PUT' || 'uploadId' in request) throw new Error(`unexpected ${request.method} (multipart is off)`);
      const { key } = request;
      const contentType = request.contentType ?? 'application/octet-stream';
      const file = uppy.getFile(key);
      const created = (await post(`${bucketUrl}/uploads`, {
        filename: file.name,
        content_type: contentType,
        file_size_bytes: file.size,
      })) as { upload_id: string; presigned_url: string };
      uploadIds.set(key, created.upload_id);
      return { url: created.presigned_url, headers: { 'Content-Type': contentType } };
    },
  });

  const confirming: Promise<void>[] = [];
  uppy.on('upload-success', (file, response) => {
    if (!file) return;
    const uploadId = uploadIds.get(file.id)!;
    const etag = etags.get(withoutQuery(response.uploadURL ?? ''));
    confirming.push(
      (async () => {
        let answer = (await post(`${bucketUrl}/uploads/${uploadId}/confirm`, { etag, file_size_bytes: file.size })) as {
          status: string;
          task_id?: string;
        };
        lastConfirm = epoch();
        // Answered asynchronously: done when the task is.
        while (answer.task_id && !FINAL.includes(answer.status)) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          const response = await fetch(`${env.apiUrl}/v1/tasks/${answer.task_id}`, { headers: { Authorization: headers.Authorization } });
          if (!response.ok) throw new Error(`task ${answer.task_id}: ${response.status}`);
          answer = { ...(await response.json()), task_id: answer.task_id };
        }
        if (answer.status !== 'COMPLETED') throw new Error(`${file.name}: ${answer.status}`);
        confirmed += 1;
      })().catch((error: Error) => {
        errors.push(error.message);
      }),
    );
  });
  uppy.on('upload-error', (file, error) => errors.push(`${file?.name}: ${error.message}`));

  uppy.addFiles(files.map((data) => ({ name: data.name, type: data.type, data, source: 'bench' })));
  const started = epoch();
  await uppy.upload();
  await Promise.all(confirming);
  const ended = epoch();
  uppy.destroy();
  return { ms: ended - started, confirmed, errors: errors.slice(0, 3), marks: { started, lastConfirm, ended } };
}
