/**
 * The events of `<mixpeek-uploader>` and of the headless engine: names, `detail` shapes, and
 * the `HTMLElementEventMap` augmentation that types `addEventListener` for them. On the
 * element every event is a `CustomEvent` that bubbles and is composed.
 */
import type { Confirmation } from './api/types.ts';
import type { RejectionCode } from './engine/file-rules.ts';
import type { FileStatus } from './engine/status.ts';
import type { UploaderErrorCode } from './errors.ts';

/** A file in the engine, as events and the view see it. */
export interface UploadFileInfo {
  /** The engine's id for this file (stable for the session). */
  fileId: string;
  name: string;
  /** Path inside a picked or dropped folder, else the name. */
  relativePath: string;
  /** Bytes. */
  size: number;
  /** `File.lastModified`, ms since epoch. */
  lastModified: number;
  /** The `content_type` declared to Mixpeek and sent on the PUT. */
  contentType: string;
  status: FileStatus;
  /** Bytes stored so far (never decreases, never over `size`). */
  bytesUploaded: number;
  /**
   * Bytes of the file's current PUT so far: back to 0 when the PUT is redone from the start
   * (after a pause, an expired URL, a lost network), unlike `bytesUploaded`. Absent before the
   * first PUT.
   */
  bytesSent?: number | undefined;
  uploadId?: string | undefined;
  /** Lowercase 32-hex MD5, unquoted. */
  etag?: string | undefined;
  objectId?: string | undefined;
  taskId?: string | undefined;
  /** Why the file failed, when it did (see {@link FileErrorDetail} for the fields). */
  error?: { code: UploaderErrorCode; message: string; status?: number | undefined; cause?: unknown } | undefined;
  /** The `File` itself; absent for a file recovered from the journal after a reload. */
  file?: File | undefined;
  /** True while this file alone is paused (`pause(fileId)`). */
  paused?: boolean | undefined;
  /** True for a file recovered from the journal after a reload (stored, then confirmed now). */
  recovered?: boolean | undefined;
  /**
   * Status `skipped` by `is_duplicate`: the earlier upload with the same content
   * (`duplicate_of_upload_id`, Mixpeek OpenAPI 0.81 `UploadResponse`).
   */
  duplicateOf?: string | undefined;
  /**
   * Status `skipped` by `skipped_unique_key`: the existing object with the same unique key values
   * (`existing_object_id`, Mixpeek OpenAPI 0.81 `UploadResponse`); also in `objectId`.
   */
  existingObjectId?: string | undefined;
}

/** A batch-confirm request and its task. */
export interface BatchInfo {
  /** 1-based number of the batch in this session. */
  batch: number;
  taskId: string;
  /** Last known task status. */
  status: string;
  uploadIds: string[];
}

/** What `upload()` resolves with and `mixpeek-complete` carries. */
export interface UploadSummary {
  files: UploadFileInfo[];
  batches: BatchInfo[];
  /** Files whose upload is confirmed and processed. */
  confirmed: number;
  /** Files that failed (after retries). */
  failed: number;
  /** Files canceled (`cancel()`) before their upload was confirmed; neither confirmed nor failed. */
  canceled: number;
  /** Files Mixpeek already had (status `skipped`): never sent, never confirmed. */
  skipped: number;
  /** Bytes of the skipped files, not sent. */
  bytesSaved: number;
}

/** `mixpeek-file-added`: a file accepted into the list (a snapshot of its info). */
export interface FileAddedDetail {
  file: UploadFileInfo;
}
/** `mixpeek-file-rejected`: a file refused by the page's rules (`accept`, `max-file-size`, `max-files`, empty, already listed or uploaded); nothing was sent for it. */
export interface FileRejectedDetail {
  /**
   * Set only for a file announced as added before it was refused: one added before the journal
   * of an earlier page was read, which knows it as already uploaded.
   */
  fileId?: string | undefined;
  name: string;
  /** Bytes. */
  size: number;
  code: RejectionCode;
  message: string;
}
/** `mixpeek-upload-progress`: bytes stored so far, for one file and for the session, at most every `progressInterval` ms. */
export interface UploadProgressDetail {
  fileId: string;
  /** Bytes of this file stored so far. */
  bytesUploaded: number;
  /** The file's size, bytes. */
  bytesTotal: number;
  /** Bytes of all files in the session stored so far. */
  totalBytesUploaded: number;
  /** Bytes of all files in the session to send (skipped files not counted). */
  totalBytes: number;
}
/** `mixpeek-file-uploaded`: a file's bytes are stored and its MD5 is known; its confirm follows in a batch. */
export interface FileUploadedDetail {
  fileId: string;
  name: string;
  uploadId: string;
  /** Lowercase 32-hex MD5 of the bytes, unquoted. */
  etag: string;
  /** `File.size`, bytes. */
  fileSizeBytes: number;
}
/**
 * A file ended `skipped`: its create answered that Mixpeek already has it (Mixpeek OpenAPI 0.81,
 * `UploadResponse.is_duplicate` / `skipped_unique_key`, no `presigned_url`). Nothing was sent
 * and nothing is confirmed; the sibling of `mixpeek-file-uploaded`.
 */
export interface FileSkippedDetail {
  fileId: string;
  name: string;
  /** `duplicate`: same content (`file_hash`); `unique-key`: same unique key values (`object_metadata`). */
  reason: 'duplicate' | 'unique-key';
  /** The upload id of the answer (for a duplicate, the earlier upload's). */
  uploadId: string;
  /** The earlier upload with the same content (`duplicate_of_upload_id`). */
  duplicateOf?: string | undefined;
  /** The existing object (`existing_object_id`, else the answer's `object_id`). */
  objectId?: string | undefined;
  /** Bytes not sent (`File.size`). */
  bytesSaved: number;
}
/** `mixpeek-file-error`: a file failed; the others go on. The row shows `message` in plain words; `cause` is for developers. */
export interface FileErrorDetail {
  fileId: string;
  name: string;
  code: UploaderErrorCode;
  /** The developer detail: the server's or storage's own words. */
  message: string;
  /** HTTP status of the API's answer when the API refused the request (401, 403, 404, 422…); absent when it did not answer. */
  status?: number | undefined;
  /** The original failure (a `MixpeekApiError`, a `MixpeekUploaderError` with code `network-error`, a `TransferError`…). */
  cause?: unknown;
}
/** `mixpeek-batch-confirmed`: Mixpeek accepted a batch confirm (`POST …/uploads/confirm/batch`, at most 100 items) and gave its task. */
export interface BatchConfirmedDetail {
  /** 1-based number of the batch in this session. */
  batch: number;
  /** The items sent (at most `batch-size`). */
  confirmations: Confirmation[];
  taskId: string;
  /** The task status in the batch-confirm response (normally PENDING). */
  status: string;
}
/** `mixpeek-task-update`: a batch confirm's task changed status (`GET /v1/tasks/{task_id}`: PENDING, PROCESSING, COMPLETED, FAILED…). */
export interface TaskUpdateDetail {
  taskId: string;
  status: string;
}
/** `mixpeek-complete`: the run ended, every task followed to its end; the same summary `upload()` resolves with. */
export type CompleteDetail = UploadSummary;
/**
 * Every file of the run has been confirmed to Mixpeek (or has ended): what is left is Mixpeek's
 * processing, which `mixpeek-complete` waits for. For pages that do not need to wait for it.
 */
export interface UploadsConfirmedDetail {
  /** Files whose confirmation Mixpeek accepted (processing or done). */
  confirmed: number;
  failed: number;
  canceled: number;
  /** Files Mixpeek already had (status `skipped`). */
  skipped: number;
  batches: BatchInfo[];
}
/** The upload journal cannot be used: uploads go on, but cannot resume after a reload. */
export interface JournalUnavailableDetail {
  /** Why, in words for developers. */
  reason: string;
}

/** Event names mapped to their `detail` types. */
export interface MixpeekEventDetails {
  'mixpeek-file-added': FileAddedDetail;
  'mixpeek-file-rejected': FileRejectedDetail;
  'mixpeek-upload-progress': UploadProgressDetail;
  'mixpeek-file-uploaded': FileUploadedDetail;
  'mixpeek-file-skipped': FileSkippedDetail;
  'mixpeek-file-error': FileErrorDetail;
  'mixpeek-batch-confirmed': BatchConfirmedDetail;
  'mixpeek-task-update': TaskUpdateDetail;
  'mixpeek-uploads-confirmed': UploadsConfirmedDetail;
  'mixpeek-complete': CompleteDetail;
  'mixpeek-journal-unavailable': JournalUnavailableDetail;
}

/** Every event name the element and the engine dispatch (`mixpeek-…`). */
export type MixpeekEventName = keyof MixpeekEventDetails;

/** The event names, as constants. */
export const MixpeekEvents = {
  fileAdded: 'mixpeek-file-added',
  fileRejected: 'mixpeek-file-rejected',
  uploadProgress: 'mixpeek-upload-progress',
  fileUploaded: 'mixpeek-file-uploaded',
  fileSkipped: 'mixpeek-file-skipped',
  fileError: 'mixpeek-file-error',
  batchConfirmed: 'mixpeek-batch-confirmed',
  taskUpdate: 'mixpeek-task-update',
  uploadsConfirmed: 'mixpeek-uploads-confirmed',
  complete: 'mixpeek-complete',
  journalUnavailable: 'mixpeek-journal-unavailable',
} as const satisfies Record<string, MixpeekEventName>;

/** Each event name to its `CustomEvent` type, for typed `addEventListener` on the element. */
export type MixpeekEventMap = { [K in MixpeekEventName]: CustomEvent<MixpeekEventDetails[K]> };

declare global {
  interface HTMLElementEventMap extends MixpeekEventMap {}
}
