/**
 * In-memory upload records and confirm tasks: the emulator's model of Mixpeek's bucket-upload
 * lifecycle (Mixpeek OpenAPI 0.81: `UploadResponse`, `ConfirmUploadResponse`, `TaskResponse`).
 *
 * Upload states used: PENDING (URL issued) → PROCESSING (an async confirm holds it) →
 * COMPLETED | FAILED, and CANCELED after a delete. Mixpeek OpenAPI 0.81 `UploadResponse`
 * descriptions: "after expires_at … an unconfirmed upload is marked FAILED"; here that happens
 * lazily, whenever the record is read.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, badRequest, notFound } from './errors.ts';
import type { FaultInjector } from './fault-injector.ts';
import type { TaskOutcomeFault } from './faults.ts';
import { buildS3Key, newObjectId, newUploadId } from './keys.ts';
import { listUploads } from './list.ts';
import type { Storage, StoredObject } from './storage.ts';
import type { ConfirmationInput, JsonObject, Status, TaskOutput, TaskRecord, TaskType, UploadRecord } from './types.ts';
import type { CreateUploadInput, ListInput } from './validate.ts';

/** Message of a batch-confirm response (Mixpeek OpenAPI 0.81, `BatchConfirmResponse.message` default). */
export const BATCH_CONFIRM_MESSAGE = 'Batch confirmation is being processed in the background.';
/** Message of an async single confirm (emulator's wording). */
export const ASYNC_CONFIRM_MESSAGE = 'Confirmation is being processed in the background.';

/** What the store needs from its surroundings. */
export interface StoreOptions {
  storage: Pick<Storage, 'presignPut' | 'head' | 'remove'>;
  /** Namespace used in object keys. */
  namespace: string;
  /** Current time, ms since the Unix epoch. */
  clock: () => number;
  /** ms per task state step (PENDING → PROCESSING → terminal). */
  taskStepMs: number;
  /** ms a synchronous confirm spends before it answers (its processing). */
  syncConfirmMs: number;
  /** Plan size limit in bytes, checked at create (declared size) and at confirm (stored size). */
  maxFileSizeBytes: number;
  /** Stored size in bytes from which a single confirm runs asynchronously. */
  asyncConfirmThresholdBytes: number;
  /** Fault injection (`presignedUrlTtlSeconds`, `taskOutcome`, `unknownFileHash`); none when absent. */
  faults?: Pick<FaultInjector, 'presignedUrlTtlSeconds' | 'taskOutcome' | 'unknownFileHash'>;
  /**
   * Unique keys by bucket: the `object_metadata` fields whose values name one object (Mixpeek
   * OpenAPI 0.81, `UniqueKeyConfig`; that the values come from `object_metadata` is the
   * emulator's reading). None when absent.
   */
  uniqueKeys?: Readonly<Record<string, readonly string[]>>;
}

/**
 * What a create answered for one item: a new upload, or an earlier COMPLETED one of the bucket
 * that makes the upload needless (Mixpeek OpenAPI 0.81, `UploadResponse.is_duplicate`,
 * `skipped_unique_key`): `duplicate` by `file_hash`, `unique-key` by the bucket's unique key.
 */
export interface CreateAnswer {
  record: UploadRecord;
  skipped?: 'duplicate' | 'unique-key' | undefined;
}

/** `message` of a create answered as a duplicate (Mixpeek OpenAPI 0.81, `UploadResponse.message` example). */
export const DUPLICATE_MESSAGE = 'File already exists with the same content hash. No upload needed - returning existing upload.';
/** `message` of a create skipped by the bucket's unique key (emulator's wording). */
export const UNIQUE_KEY_MESSAGE = 'An object with the same unique key values already exists in the bucket. No upload needed.';

/** Body of a single confirm's response (Mixpeek OpenAPI 0.81, `ConfirmUploadResponse`). */
export interface ConfirmResponse {
  upload_id: string;
  status: Status;
  etag: string | null;
  file_size_bytes: number | null;
  file_hash: string | null;
  verified_at: string | null;
  completed_at: string | null;
  object_id: string | null;
  task_id: string | null;
  message: string | null;
}

type Check = { ok: true; stored: StoredObject } | { ok: false; reason: string };

/** Item error in a task forced to CANCELED by the `taskOutcome` fault (emulator's wording). */
export const CANCELED_ITEM_REASON = 'confirm task was canceled before this upload was confirmed';
/** Item reason in a task forced to FAILED by the `taskOutcome` fault, unless `fail` names one. */
export const FORCED_FAILED_REASON = 'confirmation failed (emulator fault: taskOutcome.status FAILED)';

/**
 * The reason the `taskOutcome` fault makes this upload fail, or null: `fail[upload_id]`, else
 * `fail[filename]`, else {@link FORCED_FAILED_REASON} when the status is forced to FAILED.
 */
function forcedFailure(outcome: TaskOutcomeFault, record: UploadRecord): string | null {
  const fail = outcome.fail ?? {};
  if (Object.hasOwn(fail, record.upload_id)) return fail[record.upload_id] as string;
  if (Object.hasOwn(fail, record.filename)) return fail[record.filename] as string;
  return outcome.status === 'FAILED' ? FORCED_FAILED_REASON : null;
}

/** A value a unique key can hold (Mixpeek OpenAPI 0.81, `UniqueKeyConfig`: scalar fields). */
const isScalar = (value: unknown): boolean => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** A byte count as Mixpeek words its limits: the largest unit it is a whole number of, e.g. `5 GiB`. */
export function formatExactBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1 && Number.isInteger(value / 1024)) {
    value /= 1024;
    unit += 1;
  }
  return `${value} ${units[unit]}`;
}

/** Upload records and tasks, with the confirm logic. */
export class UploadStore {
  private readonly uploads = new Map<string, UploadRecord>();
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private seq = 0;
  /** Bumped by reset(); work started under an older generation is dropped. */
  private generation = 0;

  constructor(private readonly options: StoreOptions) {}

  /** Forgets every upload and task and stops pending task steps. */
  reset(): void {
    this.generation += 1;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.uploads.clear();
    this.tasks.clear();
  }

  /** Stops pending task steps. */
  close(): void {
    this.reset();
  }

  private now(): number {
    return this.options.clock();
  }

  private schedule(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  // ---------------------------------------------------------------- create

  /**
   * Creates uploads for validated items, all or nothing (emulator's choice; Mixpeek does not
   * document partial failure of batch create). A declared size over the plan limit is a 400
   * (Mixpeek OpenAPI 0.81, `CreateUploadRequest.file_size_bytes`: "checked against the tier size
   * limit"; the status code is the emulator's choice).
   */
  async create(bucketId: string, items: CreateUploadInput[]): Promise<CreateAnswer[]> {
    const max = this.options.maxFileSizeBytes;
    items.forEach((item, index) => {
      if (item.file_size_bytes !== null && item.file_size_bytes > max) {
        const where = items.length > 1 ? `uploads[${index}] ` : '';
        throw badRequest(
          `${where}file_size_bytes ${item.file_size_bytes} exceeds the maximum file size of ${max} bytes (${formatExactBytes(max)}) for '${item.filename}'`,
          { index, filename: item.filename, file_size_bytes: item.file_size_bytes, max_file_size_bytes: max },
        );
      }
    });
    const now = this.now();
    // SigV4 dates have 1 s resolution; the URL's lifetime starts at the whole second.
    const signedAt = Math.floor(now / 1000) * 1000;
    // The `presignedUrlTtlSeconds` fault overrides the requested lifetime.
    const ttlOverride = this.options.faults?.presignedUrlTtlSeconds();
    const answers = await Promise.all(
      items.map(async (item): Promise<CreateAnswer> => {
        const known = this.knownContent(bucketId, item);
        if (known) return known;
        const uploadId = newUploadId();
        const key = buildS3Key(this.options.namespace, uploadId, item.filename);
        const ttl = ttlOverride ?? item.presigned_url_expiration;
        const url = await this.options.storage.presignPut(key, item.content_type, ttl, new Date(signedAt));
        const record: UploadRecord = {
          upload_id: uploadId,
          bucket_id: bucketId,
          filename: item.filename,
          content_type: item.content_type,
          file_size_bytes: item.file_size_bytes,
          presigned_url: url,
          presigned_url_expiration: ttl,
          s3_key: key,
          status: 'PENDING',
          metadata: item.metadata,
          create_object_on_confirm: item.create_object_on_confirm,
          object_metadata: item.object_metadata,
          blob_property: item.blob_property,
          blob_type: item.blob_type,
          file_hash: item.file_hash,
          skip_duplicates: item.skip_duplicates,
          is_duplicate: false,
          duplicate_of_upload_id: null,
          message: null,
          createdAt: now,
          expiresAt: signedAt + ttl * 1000,
          completedAt: null,
          verifiedAt: null,
          etag: null,
          object_id: null,
          task_id: null,
          confirmingTaskId: null,
          seq: 0,
        };
        return { record };
      }),
    );
    for (const { record, skipped } of answers) {
      if (skipped) continue;
      record.seq = ++this.seq;
      this.uploads.set(record.upload_id, record);
    }
    return answers;
  }

  /**
   * The earlier COMPLETED upload of the bucket that makes this item's upload needless, if any:
   * one with the same `file_hash` when the item sends one with `skip_duplicates` (Mixpeek
   * OpenAPI 0.81, `CreateUploadRequest.skip_duplicates`; not while the `unknownFileHash` fault
   * is on), else one whose object has the same values for every field of the bucket's unique
   * key, taken from `object_metadata`.
   */
  private knownContent(bucketId: string, item: CreateUploadInput): CreateAnswer | undefined {
    const completed = [...this.uploads.values()].filter((r) => r.bucket_id === bucketId && r.status === 'COMPLETED');
    if (item.file_hash !== null && item.skip_duplicates && !this.options.faults?.unknownFileHash()) {
      const original = completed.find((r) => r.file_hash === item.file_hash && !r.is_duplicate);
      if (original) return { record: original, skipped: 'duplicate' };
    }
    const fields = this.options.uniqueKeys?.[bucketId];
    const values = item.object_metadata;
    if (fields && fields.length > 0 && values && fields.every((f) => isScalar(values[f]))) {
      const existing = completed.find((r) => r.object_id !== null && fields.every((f) => r.object_metadata?.[f] === values[f]));
      if (existing) return { record: existing, skipped: 'unique-key' };
    }
    return undefined;
  }

  /** Serialises a create's answer (Mixpeek OpenAPI 0.81, `UploadResponse`): a skipped one carries no URL. */
  toCreateResponse({ record, skipped }: CreateAnswer): JsonObject {
    const doc = this.toUploadResponse(record);
    if (skipped === 'duplicate') {
      Object.assign(doc, { presigned_url: null, is_duplicate: true, duplicate_of_upload_id: record.upload_id, message: DUPLICATE_MESSAGE });
    } else if (skipped === 'unique-key') {
      Object.assign(doc, {
        presigned_url: null,
        skipped_unique_key: true,
        existing_object_id: record.object_id,
        message: UNIQUE_KEY_MESSAGE,
      });
    }
    return doc;
  }

  // ---------------------------------------------------------------- read

  /** Marks an unconfirmed upload past `expires_at` as FAILED. */
  private refresh(record: UploadRecord): void {
    if (record.status === 'PENDING' && record.confirmingTaskId === null && this.now() > record.expiresAt) {
      record.status = 'FAILED';
      record.message = `Upload expired at ${iso(record.expiresAt)} before it was confirmed`;
    }
  }

  /** The upload with this id in any bucket, or undefined (no expiry refresh; for fault lookups). */
  findUpload(uploadId: string): UploadRecord | undefined {
    return this.uploads.get(uploadId);
  }

  /** The upload, or a 404 naming it. */
  get(bucketId: string, uploadId: string): UploadRecord {
    const record = this.uploads.get(uploadId);
    if (!record || record.bucket_id !== bucketId) {
      throw notFound(`Upload '${uploadId}' not found in bucket '${bucketId}'`, { upload_id: uploadId, bucket_id: bucketId });
    }
    this.refresh(record);
    return record;
  }

  /** Serialises an upload as Mixpeek's `UploadResponse` (Mixpeek OpenAPI 0.81). */
  toUploadResponse(r: UploadRecord): JsonObject {
    return {
      upload_id: r.upload_id,
      bucket_id: r.bucket_id,
      filename: r.filename,
      content_type: r.content_type,
      file_size_bytes: r.file_size_bytes,
      // Emulator's choice: the PUT URL is withheld once it can no longer be used usefully.
      presigned_url: r.status === 'COMPLETED' || r.status === 'CANCELED' ? null : r.presigned_url,
      presigned_url_expiration: r.presigned_url_expiration,
      s3_key: r.s3_key,
      status: r.status,
      metadata: r.metadata,
      create_object_on_confirm: r.create_object_on_confirm,
      object_metadata: r.object_metadata,
      blob_property: r.blob_property,
      blob_type: r.blob_type,
      file_hash: r.file_hash,
      skip_duplicates: r.skip_duplicates,
      is_duplicate: r.is_duplicate,
      duplicate_of_upload_id: r.duplicate_of_upload_id,
      skipped_unique_key: false,
      existing_object_id: null,
      message: r.message,
      created_at: iso(r.createdAt),
      expires_at: iso(r.expiresAt),
      completed_at: iso(r.completedAt),
      verified_at: iso(r.verifiedAt),
      etag: r.etag,
      object_id: r.object_id,
      task_id: r.task_id,
    };
  }

  /**
   * `POST …/uploads/list` (Mixpeek OpenAPI 0.81, `ListUploadsResponse`); see {@link listUploads}.
   */
  list(bucketId: string, input: ListInput): JsonObject {
    const rows = [...this.uploads.values()]
      .filter((r) => r.bucket_id === bucketId)
      .map((r) => {
        this.refresh(r);
        return { record: r, doc: this.toUploadResponse(r) };
      });
    return listUploads(rows, input);
  }

  // ---------------------------------------------------------------- confirm

  /**
   * Reason an upload cannot be confirmed because of its state, or null. Emulator's choices
   * (Mixpeek does not document them): a COMPLETED upload is not confirmed again, a CANCELED
   * one cannot be confirmed, an upload held by an in-flight confirm is never confirmed twice,
   * and a FAILED upload may be confirmed again unless it has expired.
   */
  private stateConflict(record: UploadRecord): string | null {
    if (record.confirmingTaskId !== null) {
      const by = record.confirmingTaskId.startsWith('sync:') ? 'another request' : `task ${record.confirmingTaskId}`;
      return `upload ${record.upload_id} is already being confirmed by ${by}`;
    }
    if (record.status === 'COMPLETED') return `upload ${record.upload_id} is already confirmed (status COMPLETED)`;
    if (record.status === 'CANCELED') return `upload ${record.upload_id} was canceled and cannot be confirmed`;
    return null;
  }

  /** Reason the upload is past `expires_at` at time `at` (ms epoch), or null. */
  private expiredReason(record: UploadRecord, at: number = this.now()): string | null {
    if (at <= record.expiresAt) return null;
    return `upload ${record.upload_id} expired at ${iso(record.expiresAt)} before it was confirmed`;
  }

  /**
   * Compares the stored object with the confirmation. Mixpeek OpenAPI 0.81,
   * `ConfirmUploadRequest`: the server HEADs the object, compares `etag` and
   * `file_size_bytes` when given; the create-time size is "checked … against the real size at
   * confirm" and so is the plan limit when no size was declared. `requestedAt` (ms epoch) is
   * when the confirm was asked for, used for the expiry check.
   */
  private async check(
    record: UploadRecord,
    conf: { etag: string | null; file_size_bytes: number | null },
    requestedAt: number = this.now(),
  ): Promise<Check> {
    const expired = this.expiredReason(record, requestedAt);
    if (expired) return { ok: false, reason: expired };
    const stored = await this.options.storage.head(record.s3_key);
    if (!stored) return { ok: false, reason: 'object not found in storage: the PUT did not complete' };
    if (conf.etag !== null && conf.etag !== stored.md5) {
      return { ok: false, reason: `ETag mismatch: confirmation has ${conf.etag}, stored object has ${stored.md5}` };
    }
    if (conf.file_size_bytes !== null && conf.file_size_bytes !== stored.size) {
      return {
        ok: false,
        reason: `file_size_bytes mismatch: confirmation has ${conf.file_size_bytes} bytes, stored object has ${stored.size} bytes`,
      };
    }
    if (record.file_size_bytes !== null && record.file_size_bytes !== stored.size) {
      return {
        ok: false,
        reason: `file_size_bytes mismatch: ${record.file_size_bytes} bytes declared at create, stored object has ${stored.size} bytes`,
      };
    }
    const max = this.options.maxFileSizeBytes;
    if (stored.size > max) {
      return {
        ok: false,
        reason: `stored object is ${stored.size} bytes, over the maximum file size of ${max} bytes (${formatExactBytes(max)})`,
      };
    }
    return { ok: true, stored };
  }

  private complete(record: UploadRecord, stored: StoredObject): void {
    const now = this.now();
    record.status = 'COMPLETED';
    record.etag = stored.md5;
    record.file_size_bytes = stored.size;
    record.verifiedAt = now;
    record.completedAt = now;
    // Mixpeek OpenAPI 0.81, confirm: "If file hash matches existing upload, marks as duplicate",
    // with `file_hash` "from ETag". Every confirm is checked by the stored object's ETag, also when
    // a SHA-256 came with the create (it cannot match an earlier upload confirmed without one);
    // the duplicate points at the original's object where there is one (no new object).
    const original = record.skip_duplicates
      ? [...this.uploads.values()].find(
          (r) => r !== record && r.bucket_id === record.bucket_id && r.status === 'COMPLETED' && !r.is_duplicate && r.etag === stored.md5,
        )
      : undefined;
    if (original) {
      record.is_duplicate = true;
      record.duplicate_of_upload_id = original.upload_id;
      record.object_id = original.object_id;
      record.message = `Upload confirmed as a duplicate of ${original.upload_id} (same ETag); no new object created`;
      return;
    }
    // Mixpeek OpenAPI 0.81, `CreateUploadRequest.create_object_on_confirm`: false creates no object.
    record.object_id = record.create_object_on_confirm ? newObjectId() : null;
    record.message = record.create_object_on_confirm
      ? `Upload confirmed; object ${record.object_id} created`
      : 'Upload confirmed; no object created (create_object_on_confirm is false)';
  }

  /** Lets go of an upload a canceled task held: back to PENDING, confirmable again. */
  private release(record: UploadRecord, task: TaskRecord): void {
    record.confirmingTaskId = null;
    record.status = 'PENDING';
    record.message = `confirm task ${task.task_id} was canceled`;
  }

  private fail(record: UploadRecord, reason: string): void {
    record.status = 'FAILED';
    record.message = reason;
  }

  private confirmResponse(record: UploadRecord): ConfirmResponse {
    return {
      upload_id: record.upload_id,
      status: record.status,
      etag: record.etag,
      file_size_bytes: record.file_size_bytes,
      // Mixpeek OpenAPI 0.81, `ConfirmUploadResponse.file_hash`: "from ETag" — here the client's
      // SHA-256 when it sent one, else the MD5 ETag (emulator's choice).
      file_hash: record.file_hash ?? record.etag,
      verified_at: iso(record.verifiedAt),
      completed_at: iso(record.completedAt),
      object_id: record.object_id,
      task_id: record.task_id,
      message: record.message,
    };
  }

  /**
   * `POST …/uploads/{id}/confirm`. Runs synchronously unless `async` is true or the stored
   * object is at least `asyncConfirmThresholdBytes` (Mixpeek OpenAPI 0.81, confirm route:
   * "files ≥ 100MB" run asynchronously and return a `task_id`, status PROCESSING).
   * State conflicts and failed checks are 400 `BadRequestError` (emulator's choice); a failed
   * content check also marks the upload FAILED with the reason.
   */
  async confirm(
    bucketId: string,
    uploadId: string,
    conf: { etag: string | null; file_size_bytes: number | null },
    runAsync: boolean,
  ): Promise<ConfirmResponse> {
    const record = this.get(bucketId, uploadId);
    const conflict = this.stateConflict(record);
    if (conflict) throw badRequest(conflict, { upload_id: uploadId, status: record.status });
    const expired = this.expiredReason(record);
    if (expired) {
      this.fail(record, expired);
      throw badRequest(expired, { upload_id: uploadId, status: record.status });
    }

    const claim = `sync:${randomUUID()}`;
    record.confirmingTaskId = claim;
    const generation = this.generation;
    let result: Check;
    try {
      if (!runAsync) {
        const stored = await this.options.storage.head(record.s3_key);
        runAsync = stored !== null && stored.size >= this.options.asyncConfirmThresholdBytes;
      }
      if (runAsync) {
        record.confirmingTaskId = null;
        const task = this.startTask('api_buckets_uploads_confirm', bucketId, [{ upload_id: uploadId, ...conf }]);
        return {
          ...this.confirmResponse(record),
          status: 'PROCESSING',
          task_id: task.task_id,
          message: ASYNC_CONFIRM_MESSAGE,
        };
      }
      result = await this.check(record, conf);
      if (this.options.syncConfirmMs > 0) await sleep(this.options.syncConfirmMs);
    } finally {
      if (record.confirmingTaskId === claim) record.confirmingTaskId = null;
    }
    if (generation !== this.generation) throw new ApiError(404, 'NotFoundError', `Upload '${uploadId}' was reset`);
    if (!result.ok) {
      this.fail(record, result.reason);
      throw badRequest(result.reason, { upload_id: uploadId });
    }
    this.complete(record, result.stored);
    record.task_id = null;
    return this.confirmResponse(record);
  }

  /**
   * `POST …/uploads/confirm/batch`: every id must exist in this bucket (else 404 naming the
   * first unknown one, nothing confirmed; emulator's choice), then one task checks them all in
   * the background (Mixpeek OpenAPI 0.81, `BatchConfirmResponse`). The `taskOutcome` fault in
   * force now decides how the task ends (see faults.ts).
   */
  batchConfirm(bucketId: string, confirmations: ConfirmationInput[]): TaskRecord {
    for (const c of confirmations) this.get(bucketId, c.upload_id);
    return this.startTask('api_buckets_uploads_batch_confirm', bucketId, confirmations, this.options.faults?.taskOutcome() ?? null);
  }

  /** Creates a task, claims the uploads it can, and schedules PENDING → PROCESSING → terminal. */
  private startTask(
    type: TaskType,
    bucketId: string,
    confirmations: ConfirmationInput[],
    outcome: TaskOutcomeFault | null = null,
  ): TaskRecord {
    const now = this.now();
    const task: TaskRecord = {
      task_id: randomUUID(),
      task_type: type,
      status: 'PENDING',
      bucket_id: bucketId,
      confirmations,
      preFailures: new Map(),
      outputs: null,
      error: null,
      outcome,
      createdAt: now,
      updatedAt: now,
    };
    for (const c of confirmations) {
      const record = this.uploads.get(c.upload_id);
      if (!record) continue;
      if (record.confirmingTaskId !== null) {
        task.preFailures.set(c.upload_id, this.stateConflict(record) ?? 'already being confirmed');
      } else if (record.status !== 'COMPLETED' && record.status !== 'CANCELED') {
        record.confirmingTaskId = task.task_id;
        record.status = 'PROCESSING';
        record.task_id = task.task_id;
      }
    }
    this.tasks.set(task.task_id, task);
    const generation = this.generation;
    const finish = () => {
      // The `taskOutcome.hold` fault in force now, not at acceptance, keeps the task running.
      if (this.options.faults?.taskOutcome()?.hold) this.schedule(finish, this.options.taskStepMs);
      else void this.finishTask(task, generation);
    };
    this.schedule(() => {
      task.status = 'PROCESSING';
      task.updatedAt = this.now();
      this.schedule(finish, this.options.taskStepMs);
    }, this.options.taskStepMs);
    return task;
  }

  private async finishTask(task: TaskRecord, generation: number): Promise<void> {
    const outputs: TaskOutput[] = [];
    for (const c of task.confirmations) {
      const record = this.uploads.get(c.upload_id);
      const pre = task.preFailures.get(c.upload_id);
      if (pre !== undefined || !record) {
        outputs.push({ upload_id: c.upload_id, status: 'FAILED', error: pre ?? `upload ${c.upload_id} no longer exists` });
        continue;
      }
      if (record.confirmingTaskId !== task.task_id) {
        // Not claimed at acceptance (COMPLETED or CANCELED then): report, leave the upload alone.
        outputs.push({ upload_id: c.upload_id, status: 'FAILED', error: this.stateConflict(record) ?? 'upload cannot be confirmed' });
        continue;
      }
      if (task.outcome?.status === 'CANCELED') {
        this.release(record, task);
        outputs.push({ upload_id: c.upload_id, status: 'FAILED', error: CANCELED_ITEM_REASON });
        continue;
      }
      let result: Check;
      const forced = task.outcome ? forcedFailure(task.outcome, record) : null;
      try {
        // Expiry is judged at the time the confirm was requested, not after the task's delay.
        result = forced !== null ? { ok: false, reason: forced } : await this.check(record, c, task.createdAt);
      } catch (err) {
        result = { ok: false, reason: `storage error: ${(err as Error).message}` };
      }
      if (generation !== this.generation) return;
      record.confirmingTaskId = null;
      if (result.ok) {
        this.complete(record, result.stored);
        outputs.push({ upload_id: c.upload_id, status: 'COMPLETED', object_id: record.object_id });
      } else {
        this.fail(record, result.reason);
        outputs.push({ upload_id: c.upload_id, status: 'FAILED', error: result.reason });
      }
    }
    const failed = outputs.filter((o) => o.status === 'FAILED').length;
    task.outputs = outputs;
    task.status = task.outcome?.status ?? (failed === 0 ? 'COMPLETED' : failed === outputs.length ? 'FAILED' : 'COMPLETED_WITH_ERRORS');
    if (task.status === 'CANCELED') {
      task.error = `confirm task ${task.task_id} was canceled; no upload was confirmed`;
    } else if (task.status === 'FAILED') {
      const first = outputs[0];
      task.error = outputs.length === 1 && first && first.status === 'FAILED' ? first.error : `all ${outputs.length} confirmations failed`;
    }
    task.updatedAt = this.now();
  }

  /** The task, or a 404 envelope. */
  getTask(taskId: string): TaskRecord {
    const task = this.tasks.get(taskId);
    if (!task) throw notFound(`Task '${taskId}' not found`, { task_id: taskId });
    return task;
  }

  /**
   * Serialises a task as Mixpeek's `TaskResponse` (Mixpeek OpenAPI 0.81). `outputs` and
   * `additional_data` have no documented shape for confirm tasks; the emulator's are:
   * `outputs`: null until terminal, then one `{upload_id, status, object_id | error}` per input;
   * `additional_data`: `{confirmations_count, succeeded, failed, success_rate (0–1, null until
   * terminal), errors: [{upload_id, error}], error? (when FAILED or CANCELED)}`. With the
   * `taskOutcome.omitOutputs` fault, `outputs` stays null and `errors` empty (the counts remain).
   */
  toTaskResponse(task: TaskRecord): JsonObject {
    const outputs = task.outputs;
    const errors = (outputs ?? []).flatMap((o) => (o.status === 'FAILED' ? [{ upload_id: o.upload_id, error: o.error }] : []));
    const succeeded = (outputs ?? []).filter((o) => o.status === 'COMPLETED').length;
    const omit = task.outcome?.omitOutputs === true;
    const additional: JsonObject = {
      confirmations_count: task.confirmations.length,
      succeeded,
      failed: errors.length,
      success_rate: outputs ? (outputs.length > 0 ? Math.round((succeeded / outputs.length) * 10000) / 10000 : 0) : null,
      errors: omit ? [] : errors,
    };
    if (task.error !== null) additional.error = task.error;
    return {
      task_id: task.task_id,
      task_type: task.task_type,
      status: task.status,
      inputs: task.confirmations.map((c) => c.upload_id),
      outputs: omit ? null : outputs,
      additional_data: additional,
      error: task.error,
      created_at: iso(task.createdAt),
      updated_at: iso(task.updatedAt),
    };
  }

  // ---------------------------------------------------------------- delete

  /**
   * `DELETE …/uploads/{id}`: Mixpeek OpenAPI 0.81 allows cancelling PENDING, IN_PROGRESS and
   * FAILED uploads, not COMPLETED ones; the final status CANCELED is the emulator's reading.
   * An upload held by an in-flight confirm cannot be cancelled (emulator's choice).
   */
  async cancel(bucketId: string, uploadId: string, deleteObject: boolean): Promise<void> {
    const record = this.get(bucketId, uploadId);
    const cancellable = ['PENDING', 'IN_PROGRESS', 'FAILED'].includes(record.status) && record.confirmingTaskId === null;
    if (!cancellable) {
      throw badRequest(`upload ${uploadId} cannot be canceled in status ${record.status}`, { upload_id: uploadId, status: record.status });
    }
    record.status = 'CANCELED';
    record.message = 'Upload canceled';
    if (deleteObject) await this.options.storage.remove(record.s3_key);
  }
}
