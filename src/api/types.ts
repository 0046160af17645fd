/**
 * Mixpeek's upload and task wire types, written from Mixpeek's public OpenAPI document
 * (API version 0.81: `CreateUploadRequest`, `UploadResponse`, `BatchUploadRequest`,
 * `BatchConfirmRequest`, `BatchConfirmResponse`, `TaskResponse`). Field names are Mixpeek's
 * own (snake_case) because these objects go on the wire unchanged.
 */

/** Task and upload states (`TaskStatusEnum`). */
export type TaskStatus =
  | 'PENDING'
  | 'IN_PROGRESS'
  | 'PROCESSING'
  | 'COMPLETED'
  | 'COMPLETED_WITH_ERRORS'
  | 'FAILED'
  | 'CANCELED'
  | 'UNKNOWN'
  | 'SKIPPED'
  | 'DRAFT'
  | 'ACTIVE'
  | 'ARCHIVED'
  | 'SUSPENDED';

/**
 * States after which a task never changes. The enum's documentation lists COMPLETED,
 * COMPLETED_WITH_ERRORS, FAILED and CANCELED; SKIPPED is treated as terminal too (our
 * reading: a skipped task will not run).
 */
export const TERMINAL_TASK_STATUSES: ReadonlySet<string> = new Set(['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELED', 'SKIPPED']);

/**
 * Upload states while a confirm of it is running at Mixpeek: the documented path is PENDING →
 * IN_PROGRESS → PROCESSING → COMPLETED | FAILED | CANCELED, and an async confirm answers
 * PROCESSING (Mixpeek OpenAPI 0.81, `ConfirmUploadResponse`). Such an upload must be neither
 * confirmed nor uploaded again: its confirm's task decides.
 */
export const CONFIRMING_UPLOAD_STATUSES: ReadonlySet<string> = new Set(['IN_PROGRESS', 'PROCESSING']);

/** One item of `POST /v1/buckets/{bucket}/uploads/batch` (`CreateUploadRequest`). */
export interface CreateUploadRequest {
  /** 1–255 characters; `../` and `\` are refused by Mixpeek. */
  filename: string;
  /** A MIME type; the presigned URL is signed for exactly this `Content-Type`. */
  content_type: string;
  /** Bytes, ≥ 1. Checked against the plan's size limit at create and the stored size at confirm. */
  file_size_bytes?: number | null;
  /** Seconds the presigned PUT URL lives, 60–86400 (Mixpeek's default 3600). */
  presigned_url_expiration?: number;
  /** Free-form metadata stored on the upload record (not on the object). */
  metadata?: Record<string, unknown>;
  /** Metadata attached to the created bucket object. */
  object_metadata?: Record<string, unknown> | null;
  /** Schema property that receives the file; pattern `^[a-zA-Z0-9_]+$`. */
  blob_property?: string | null;
  blob_type?: string | null;
  /** SHA-256 of the content, 64 lowercase hex characters. */
  file_hash?: string | null;
  create_object_on_confirm?: boolean;
  skip_duplicates?: boolean;
}

/** An upload record (`UploadResponse`); also what `GET …/uploads/{id}` returns. */
export interface UploadResponse {
  upload_id: string;
  bucket_id?: string;
  filename: string;
  content_type: string;
  file_size_bytes?: number | null;
  /** The S3-style presigned PUT URL; `null` when the upload is a duplicate or skipped. */
  presigned_url?: string | null;
  presigned_url_expiration?: number;
  s3_key?: string;
  status: TaskStatus | string;
  metadata?: Record<string, unknown>;
  is_duplicate?: boolean;
  duplicate_of_upload_id?: string | null;
  skipped_unique_key?: boolean;
  existing_object_id?: string | null;
  message?: string | null;
  created_at?: string;
  /** ISO 8601 time after which the presigned URL no longer works. */
  expires_at?: string;
  etag?: string | null;
  object_id?: string | null;
  task_id?: string | null;
}

/** Response of batch create (`BatchUploadResponse`). */
export interface BatchUploadResponse {
  uploads: UploadResponse[];
  total: number;
}

/** One item of batch confirm. Mixpeek types the items as free-form objects with these keys. */
export interface Confirmation {
  upload_id: string;
  /** Lowercase 32-hex MD5 of the bytes, unquoted. */
  etag: string;
  /** Bytes, ≥ 1. */
  file_size_bytes: number;
}

/** A task (`TaskResponse`). `outputs` and `additional_data` have no documented shape. */
export interface TaskResponse {
  task_id: string;
  task_type?: string;
  status: TaskStatus | string;
  inputs?: unknown[] | null;
  outputs?: unknown[] | null;
  additional_data?: Record<string, unknown> | null;
  /** Flattened `additional_data.error` (the OpenAPI name). */
  error?: string | null;
  /** The same, under the name the docs' examples use. */
  error_message?: string | null;
}

/** Response of batch confirm (`BatchConfirmResponse`); the confirm itself is asynchronous. */
export interface BatchConfirmResponse {
  task_id: string;
  status: TaskStatus | string;
  confirmations_count: number;
  task?: TaskResponse;
  message?: string;
}
