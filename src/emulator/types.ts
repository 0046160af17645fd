/**
 * Records the emulator keeps in memory, and the request-log entry type.
 *
 * Field names of wire objects are Mixpeek's own (snake_case), from Mixpeek's public OpenAPI
 * document, API version 0.81 (`UploadResponse`, `TaskResponse`, `TaskStatusEnum`).
 */
import type { FaultName, TaskOutcomeFault } from './faults.ts';

/** Upload and task states (Mixpeek OpenAPI 0.81, `TaskStatusEnum`; the subset the emulator uses). */
export type Status = 'PENDING' | 'IN_PROGRESS' | 'PROCESSING' | 'COMPLETED' | 'COMPLETED_WITH_ERRORS' | 'FAILED' | 'CANCELED';

/** Task types the emulator creates (Mixpeek OpenAPI 0.81, `TaskType` enum values). */
export type TaskType = 'api_buckets_uploads_confirm' | 'api_buckets_uploads_batch_confirm';

/** JSON object as parsed from a request body. */
export type JsonObject = Record<string, unknown>;

/**
 * One upload record. Serialised as Mixpeek's `UploadResponse` (Mixpeek OpenAPI 0.81).
 * Times are ms since the Unix epoch here and ISO 8601 strings on the wire.
 */
export interface UploadRecord {
  upload_id: string;
  bucket_id: string;
  filename: string;
  content_type: string;
  /** Bytes; the declared size until confirm, then the stored size. */
  file_size_bytes: number | null;
  /** The presigned PUT URL as issued at create. */
  presigned_url: string;
  /** Seconds the presigned URL lives (60–86400). */
  presigned_url_expiration: number;
  /** Object key inside the storage bucket. */
  s3_key: string;
  status: Status;
  metadata: JsonObject;
  create_object_on_confirm: boolean;
  object_metadata: JsonObject | null;
  blob_property: string | null;
  blob_type: string | null;
  file_hash: string | null;
  skip_duplicates: boolean;
  /**
   * Found at confirm to hold the same content (ETag) as an earlier COMPLETED upload of the
   * bucket, when no `file_hash` was sent (Mixpeek OpenAPI 0.81, `CreateUploadRequest.file_hash`).
   */
  is_duplicate: boolean;
  /** The earlier upload it duplicates, when `is_duplicate`. */
  duplicate_of_upload_id: string | null;
  message: string | null;
  /** ms epoch */
  createdAt: number;
  /** ms epoch; after this the URL is dead and an unconfirmed upload becomes FAILED. */
  expiresAt: number;
  /** ms epoch */
  completedAt: number | null;
  /** ms epoch */
  verifiedAt: number | null;
  /** Lowercase 32-hex MD5, unquoted, once verified. */
  etag: string | null;
  object_id: string | null;
  task_id: string | null;
  /** Id of the in-flight task that holds this upload, if any (never confirmed twice at once). */
  confirmingTaskId: string | null;
  /** Creation order, used as the sort tie-breaker. */
  seq: number;
}

/** Per-item result of a confirm task (emulator's choice; Mixpeek does not document the shape). */
export type TaskOutput =
  | { upload_id: string; status: 'COMPLETED'; object_id: string | null }
  | { upload_id: string; status: 'FAILED'; error: string };

/** One confirmation as requested (Mixpeek OpenAPI 0.81, `BatchConfirmRequest.confirmations[]`). */
export interface ConfirmationInput {
  upload_id: string;
  /** Normalised: unquoted, lower case. */
  etag: string | null;
  /** Bytes. */
  file_size_bytes: number | null;
}

/** A task record. Serialised as Mixpeek's `TaskResponse` (Mixpeek OpenAPI 0.81). */
export interface TaskRecord {
  task_id: string;
  task_type: TaskType;
  status: Status;
  bucket_id: string;
  confirmations: ConfirmationInput[];
  /** Reasons decided when the task was accepted (e.g. "already being confirmed"), by upload id. */
  preFailures: Map<string, string>;
  outputs: TaskOutput[] | null;
  error: string | null;
  /** The `taskOutcome` fault in force when the task was accepted (batch confirms only), or null. */
  outcome: TaskOutcomeFault | null;
  /** ms epoch */
  createdAt: number;
  /** ms epoch */
  updatedAt: number;
}

/** One line of the request log (API, storage and control requests, in arrival order of completion). */
export interface EmulatorRequestLogEntry {
  /** 1-based sequence number, restarted by `reset()`. */
  seq: number;
  /** ms since the Unix epoch when the request arrived. */
  time: number;
  kind: 'api' | 'storage' | 'control';
  method: string;
  /** Decoded path without the query string. */
  path: string;
  /**
   * HTTP status sent; 0 when no response was sent because a fault dropped the connection (a
   * cut PUT, the offline window), 499 when the client went away first.
   */
  status: number;
  /** Time from arrival to the end of the response, ms. */
  durationMs: number;
  /** Parsed JSON request body (API POSTs with a valid JSON body). */
  body?: unknown;
  /** Request `Content-Type` (storage PUTs). */
  contentType?: string;
  /** Request body size in bytes (storage PUTs: bytes stored, else `Content-Length`). */
  size?: number;
  /** Upload id parsed from the object key (storage requests). */
  uploadId?: string;
  /** The fault that shaped this request, if any. */
  fault?: FaultName;
}
