/**
 * The one place that imports `@uppy/*`: the byte transfer (one presigned PUT per file) through
 * `@uppy/core` and `@uppy/aws-s3`, behind the small {@link Transfer} interface, so an Uppy
 * major upgrade touches this file only.
 *
 * Mixpeek hands out one presigned S3 PUT URL per upload and has no multipart API, so the
 * plugin runs with multipart off; `signRequest` returns the URL Mixpeek issued and the
 * `Content-Type` it was signed for (S3 rejects a PUT whose signed headers differ).
 */
import AwsS3 from '@uppy/aws-s3';
import Uppy from '@uppy/core';
import { abortError } from '../errors.ts';
import { TransferError, type Transfer, type TransferJob, UPPY_QUEUE_AHEAD } from './types.ts';

/** Options of {@link createUppyTransfer}. */
export interface UppyTransferOptions {
  /** Parallel PUTs (Uppy's `limit`); default 4. */
  concurrency?: number;
}

interface Pending {
  job: TransferJob;
  /** What `job.onStart` threw: the PUT was not sent. */
  refusal?: unknown;
  onProgress: (bytesUploaded: number, bytesTotal: number) => void;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * A {@link Transfer} built on `@uppy/core` + `@uppy/aws-s3` (single PUTs, `limit` = concurrency);
 * it takes {@link UPPY_QUEUE_AHEAD} jobs more, which wait in the plugin's queue.
 */
export function createUppyTransfer(options: UppyTransferOptions = {}): Transfer {
  const pending = new Map<string, Pending>();
  const uppy = new Uppy({
    // The engine reports every failure itself (events and the view); Uppy stays quiet.
    logger: { debug: () => undefined, warn: () => undefined, error: () => undefined },
    autoProceed: true,
    allowMultipleUploadBatches: true,
    // Our ids, not Uppy's name-derived ones: two files with one name are two jobs.
    onBeforeFileAdded: (file) => ({ ...file, id: String(file.meta.transferId) }),
  });
  uppy.use(AwsS3, {
    shouldUseMultipart: false,
    limit: options.concurrency ?? 4,
    generateObjectKey: (file) => file.id,
    signRequest: (request) => {
      const entry = pending.get(request.key);
      if (!entry) throw new Error(`No presigned URL for ${request.key}`);
      try {
        entry.job.onStart?.(); // the plugin signs a request just before it sends it
      } catch (error) {
        entry.refusal = error;
        throw error;
      }
      return { url: entry.job.url, headers: { 'Content-Type': entry.job.contentType } };
    },
  });

  const settle = (id: string | undefined, outcome: (p: Pending) => void) => {
    const entry = id === undefined ? undefined : pending.get(id);
    if (!entry) return;
    pending.delete(entry.job.id);
    if (uppy.getFile(entry.job.id)) uppy.removeFile(entry.job.id);
    outcome(entry);
  };
  uppy.on('upload-progress', (file, progress) => {
    const entry = file && pending.get(file.id);
    if (entry && progress.bytesTotal != null) entry.onProgress(progress.bytesUploaded, progress.bytesTotal);
  });
  uppy.on('upload-success', (file) => settle(file?.id, (p) => p.resolve()));
  uppy.on('upload-error', (file, error) =>
    settle(file?.id, (p) => {
      if (p.refusal !== undefined) return p.reject(p.refusal);
      // Uppy's S3ServiceError carries the status and S3 code; its S3NetworkError has neither.
      const { status, serviceCode, body } = error as { status?: number; serviceCode?: string; body?: string };
      p.reject(new TransferError(error.message, { status: status || undefined, storageCode: serviceCode, body, cause: error }));
    }),
  );

  return {
    queueAhead: UPPY_QUEUE_AHEAD,
    put(job, onProgress, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(abortError());
        pending.set(job.id, { job, onProgress, resolve, reject });
        signal?.addEventListener('abort', () => settle(job.id, (p) => p.reject(abortError())), { once: true });
        try {
          uppy.addFile({
            name: job.name,
            type: job.contentType,
            data: job.file,
            meta: { transferId: job.id },
            source: 'mixpeek-uploader',
          });
        } catch (error) {
          pending.delete(job.id);
          reject(error);
        }
      });
    },
    dispose() {
      for (const id of [...pending.keys()]) settle(id, (p) => p.reject(abortError()));
      uppy.destroy();
    },
  };
}
