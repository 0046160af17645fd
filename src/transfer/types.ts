/** The byte transfer, as the engine sees it (implemented by `uppy-transfer.ts`). */
import { MixpeekUploaderError } from '../errors.ts';

/** One file to PUT. */
export interface TransferJob {
  /** Unique id of the job (the engine's file id). */
  id: string;
  file: Blob;
  name: string;
  /** The presigned PUT URL. */
  url: string;
  /** Exactly the `content_type` declared at create: the URL is signed for it. */
  contentType: string;
  /**
   * Called when the request is about to start. A transfer with {@link Transfer.queueAhead} must
   * call it (a job may first wait in its queue); others may. When it throws, the request is not
   * sent and `put` rejects with what it threw (e.g. the URL expired while the job waited).
   */
  onStart?: (() => void) | undefined;
}

/**
 * Jobs the Uppy transfer takes beyond its concurrency and queues itself: a request slot that
 * frees starts the next PUT at once, without a round trip through the engine and Uppy's
 * `addFile` (which left slots idle about a fifth of the time in the 200 × 1 MiB bench).
 */
export const UPPY_QUEUE_AHEAD = 2;

/** Moves bytes to presigned URLs. */
export interface Transfer {
  /**
   * PUTs `job.file` to `job.url`. Reports progress in bytes; resolves once storage answered
   * 2xx; rejects with a {@link TransferError} when storage refused or no answer came, and with
   * an `AbortError` when `signal` aborts (the request is aborted at once).
   */
  put(job: TransferJob, onProgress: (bytesUploaded: number, bytesTotal: number) => void, signal?: AbortSignal): Promise<void>;
  /** Aborts everything and releases resources. */
  dispose(): void;
  /**
   * Optional: makes now what the first {@link put} needs (the engine calls it while a create
   * is out), so that the PUT starts as soon as its URL comes. Never throws.
   */
  prepare?(): void;
  /**
   * How many jobs beyond its concurrency the transfer accepts at once, queued (first in, first
   * out) and started as request slots free, each with a call to its `onStart`; default 0 (the
   * engine hands over a job only when a slot is free).
   */
  readonly queueAhead?: number;
}

/**
 * A PUT that failed (code `upload-failed`): `status` is storage's HTTP status (undefined when no
 * answer came) and `storageCode` the S3 error code from its XML body (e.g.
 * `SignatureDoesNotMatch`, `AccessDenied`).
 */
export class TransferError extends MixpeekUploaderError {
  override name = 'TransferError';
  readonly status: number | undefined;
  readonly storageCode: string | undefined;
  /** Storage's error body (S3 XML), for reasons such as "Request has expired". */
  readonly body: string | undefined;

  constructor(
    message: string,
    init: { status?: number | undefined; storageCode?: string | undefined; body?: string | undefined; cause?: unknown } = {},
  ) {
    super('upload-failed', message, { cause: init.cause });
    this.status = init.status;
    this.storageCode = init.storageCode;
    this.body = init.body;
  }

  /**
   * True when the presigned URL has expired: S3 answers 403 `AccessDenied` "Request has
   * expired" (or `ExpiredToken`/`RequestExpired` on some stores) once `X-Amz-Expires` passed.
   */
  get expired(): boolean {
    return (
      this.status === 403 &&
      (/expired/i.test(this.body ?? '') || this.storageCode === 'ExpiredToken' || this.storageCode === 'RequestExpired')
    );
  }
}
