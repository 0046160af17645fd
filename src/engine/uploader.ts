/**
 * The headless upload engine: everything `<mixpeek-uploader>` does, without a view.
 *
 * Pipeline (Mixpeek "Bucket Uploads" routes, OpenAPI 0.81):
 * 1. batch-create uploads, at most `batchSize` (≤ 100) per `POST …/uploads/batch`;
 * 2. PUT each file to its `presigned_url` (at most `concurrency` at once) while a worker
 *    computes its MD5;
 * 3. batch-confirm `{upload_id, etag, file_size_bytes}`, at most `batchSize` per
 *    `POST …/uploads/confirm/batch`, sending a group as soon as it is full and the rest when
 *    nothing else is on its way (250 files → 100, 100, 50);
 * 4. poll `GET /v1/tasks/{task_id}` with backoff until the task ends, and settle each file.
 */
import { MixpeekApiError, MixpeekUploaderError, isAbortError, messageOf, type UploaderErrorCode } from '../errors.ts';
import { type ClientMemory, MixpeekClient, newClientMemory } from '../api/client.ts';
import {
  CONFIRMING_UPLOAD_STATUSES,
  TERMINAL_TASK_STATUSES,
  type Confirmation,
  type CreateUploadRequest,
  type TaskResponse,
} from '../api/types.ts';
import type { BatchInfo, MixpeekEventDetails, MixpeekEventName, UploadFileInfo, UploadSummary } from '../events.ts';
import type { Hasher } from '../hash/hasher.ts';
import { Connectivity } from '../api/connectivity.ts';
import { backoffDelay, defaultRetryOptions, isNetworkFailure, isUnreachable, shouldRetry, type RetryOptions } from '../api/retry.ts';
import type { Transfer } from '../transfer/types.ts';
import { TransferError } from '../transfer/types.ts';
import { contentTypeFor } from '../transfer/content-type.ts';
import { DeferredLoadError, deferredUppyTransfer, deferredWorkerHasher, loadUppyTransfer, loadWorkerHasher } from './deferred.ts';
import { checkFile, duplicateKey, type Candidate, type Rejection } from './file-rules.ts';
import { fingerprint } from '../hash/fingerprint.ts';
import {
  createIdbJournal,
  createMemoryJournal,
  holdPageLock,
  livePages,
  pageSession,
  type Journal,
  type JournalRecord,
  type JournalState,
} from './journal.ts';
import { safeFilename } from './filename.ts';
import { sleep } from '../sleep.ts';
import { normalizeEtag } from './etag.ts';
import { type FileStatus, canTransition, isFinal } from './status.ts';

/** Options of the engine. Units: bytes and milliseconds. */
export interface UploaderOptions {
  /** Base URL of a Mixpeek-compatible API (Mixpeek, a gateway path, or the emulator). */
  apiUrl: string;
  /** `bucket_identifier` in the paths. Required before `upload()`. */
  bucket: string;
  /** Sent as `X-Namespace` on bucket routes. */
  namespace?: string | undefined;
  /** Sent as `Authorization: Bearer …`; for local trials only. */
  apiKey?: string | undefined;
  /** Extra headers for every API request (a session token for a gateway). */
  getHeaders?: (() => Record<string, string> | Promise<Record<string, string>>) | undefined;
  /** As on `<input type=file accept>`. */
  accept?: string | undefined;
  /** Bytes; larger files are refused (and never more than 5 GiB, the single-PUT limit). */
  maxFileSize?: number | undefined;
  /** Files accepted per session at most. */
  maxFiles?: number | undefined;
  /** Parallel PUTs. Default 4. */
  concurrency: number;
  /** Items per batch create and per batch confirm, 1..100. Default 100. */
  batchSize: number;
  /** Start as soon as files are added. Default false. */
  autoUpload: boolean;
  /** Sent as `blob_property` on every create. */
  blobProperty?: string | undefined;
  /** Per-file extra create fields (`metadata`, `object_metadata`, `blob_property`, …). */
  uploadParams?: ((file: File) => Partial<CreateUploadRequest>) | undefined;
  /** First wait before polling a task, ms; grows ×1.5 per poll (Mixpeek's task docs). Default 1000. */
  taskPollInterval: number;
  /** Longest wait between task polls, ms. Default 30000. */
  taskPollMaxInterval: number;
  /** Least time between two progress events of one file, ms. Default 100. */
  progressInterval: number;
  /** A PUT with no progress for this long is aborted and tried again, ms. Default 30000. */
  stallTimeout: number;
  /** Retry settings for API calls and PUTs (see `api/retry.ts`). */
  retry?: Partial<RetryOptions> | undefined;
  /**
   * Where progress survives a reload: default an IndexedDB journal (database
   * `mixpeek-uploader`); `false` keeps nothing.
   */
  journal?: Journal | false | undefined;
  /** `fetch` for API calls (injected for tests and hosts). */
  fetch?: typeof fetch | undefined;
  /** MD5 computation; default a pool of spark-md5 Web Workers. */
  hasher?: Hasher | undefined;
  /** Byte transfer; default `@uppy/aws-s3` single PUTs. */
  createTransfer?: ((options: { concurrency: number }) => Transfer) | undefined;
}

/** Defaults for every optional setting, in one place. */
export const defaultOptions: UploaderOptions = {
  apiUrl: 'https://api.mixpeek.com',
  bucket: '',
  concurrency: 4,
  batchSize: 100,
  autoUpload: false,
  taskPollInterval: 1000,
  taskPollMaxInterval: 30_000,
  progressInterval: 100,
  stallTimeout: 30_000,
};

/** Times a file gets a fresh upload (new presigned URL) after its URL expired. */
const MAX_RENEWALS = 3;
/**
 * A presigned URL this close to its `expires_at` is renewed before the PUT starts, ms (at most
 * a tenth of the URL's lifetime, so short-lived URLs are still used).
 */
const EXPIRY_MARGIN = 5_000;
const EXPIRED_BEFORE_START = 'its presigned URL expired before the upload started';
/**
 * Files smaller than this (bytes) get their journal fingerprint from their hash, which starts
 * with their create, rather than from a reading of their own: opening a small file costs about
 * as much as reading it, and it would be read three times (fingerprint, hash, PUT) instead of two.
 */
const KEY_FROM_HASH_BELOW = 8 * 1024 * 1024;

/** Adds `value` to the set of `key` in `map`. */
function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

/** Removes `value` from the set of `key` in `map`, and the set once empty (so `map.has(key)` means some). */
function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set?.delete(value) && set.size === 0) map.delete(key);
}

/** True when the entry's presigned URL is within its expiry margin (or past it). */
const expiring = (entry: { expiresAt?: number | undefined; expiryMargin?: number | undefined }): boolean =>
  entry.expiresAt !== undefined && Date.now() > entry.expiresAt - (entry.expiryMargin ?? EXPIRY_MARGIN);

/**
 * A PUT waits in the transfer's queue (beyond `concurrency`) only when its URL lives at least
 * this much longer, ms: a short-lived URL would expire there and need renewing.
 */
const QUEUE_AHEAD_MIN_LIFE = 60_000;
const canWaitInQueue = (entry: { expiresAt?: number | undefined }): boolean =>
  entry.expiresAt === undefined || entry.expiresAt - Date.now() > QUEUE_AHEAD_MIN_LIFE;

/** Thrown by a job's `onStart` to keep a queued PUT from being sent (its URL is expiring). */
class StartRefused extends Error {
  override name = 'StartRefused';
}

/** A file with its path inside a dropped or picked folder (`photos/2024/a.jpg`). */
export interface FileWithPath {
  file: File;
  relativePath: string;
}

/** A file with the engine's private bookkeeping. */
interface Entry {
  info: UploadFileInfo;
  url?: string | undefined;
  /** When the presigned URL stops working, ms since epoch. */
  expiresAt?: number | undefined;
  /** Margin before `expiresAt` from which the URL is not used any more, ms. */
  expiryMargin?: number | undefined;
  /**
   * When its confirmation must be sent, ms since epoch: a quarter of the upload's lifetime
   * before `expiresAt`, since Mixpeek fails uploads not confirmed by then.
   */
  confirmBy?: number | undefined;
  stored: boolean;
  reported: number;
  controller?: AbortController | undefined;
  /** Failed PUT tries of the current upload. */
  putFailures: number;
  /** Fresh uploads made for expired URLs. */
  renewals: number;
  /** Journal key: target + fingerprint (set at create). */
  key?: string | undefined;
  /** Journal key of its `queued` record, until the upload is created. */
  queuedKey?: string | undefined;
  /**
   * The file's first fingerprint (read apart at create, or from its hash), to notice a file
   * that changed since it was selected.
   */
  fingerprint?: Promise<string> | undefined;
  /** Its MD5 being computed; aborted when the file ends. */
  hashing?: AbortController | undefined;
  /**
   * The `created` record from before a reload that this file was added again in place of
   * (same path, size and date), until its own journal key is known at create.
   */
  replaces?: JournalRecord | undefined;
}

/** The journal state of a file in each status (statuses without one are not journaled). */
const journalStates: Partial<Record<FileStatus, JournalState>> = {
  uploading: 'created',
  hashing: 'created',
  uploaded: 'stored',
  confirming: 'confirming',
  processing: 'processing',
  done: 'confirmed',
};

/** Journal records older than this are dropped, ms (a week). */
const JOURNAL_MAX_AGE = 7 * 24 * 3600_000;

const preConfirm: ReadonlySet<FileStatus> = new Set(['creating', 'uploading', 'hashing']);

let nextFileId = 1;

/** Upload targets whose journal an engine in this page has already restored. */
const restoredTargets = new Set<string>();

/**
 * The headless engine. An `EventTarget` that dispatches the same `CustomEvent`s as the element
 * (`mixpeek-file-added`, …, `mixpeek-complete`; see `events.ts`), plus a plain `change` event
 * whenever anything a view shows has changed.
 */
export class Uploader extends EventTarget {
  #options: UploaderOptions;
  #entries = new Map<string, Entry>();
  /** The files in the list by {@link duplicateKey} (several only when their bytes differ). */
  #listed = new Map<string, Set<Entry>>();
  /** Files being compared with same-key ones in the list before they are added (see `#checkContent`), by key. */
  #comparing = new Map<string, Set<File>>();
  /** Calls of `cancel()` (of all files; `clear()` too), so that a content check that ends after one adds nothing. */
  #checkEpoch = 0;
  #counts = new Map<FileStatus, number>();
  #toCreate: Entry[] = [];
  #toSend: Entry[] = [];
  #toConfirm: Entry[] = [];
  #sending = 0;
  #creating = false;
  #confirmTimer: ReturnType<typeof setTimeout> | undefined;
  #confirming = false;
  #polls = 0;
  #batches: BatchInfo[] = [];
  /** The run under way; `restoreOnly` while it only finishes what an earlier page left (see `restore()`). */
  #running: { promise: Promise<UploadSummary>; resolve: (s: UploadSummary) => void; restoreOnly: boolean } | undefined;
  #paused = false;
  #error: MixpeekUploaderError | undefined;
  #session = new AbortController();
  #client: MixpeekClient | undefined;
  /** What the clients of `apiUrl` learned about it (see `#api`). */
  #apiMemory: { apiUrl: string; memory: ClientMemory } | undefined;
  #hasher: Hasher | undefined;
  #transfer: Transfer | undefined;
  #transferConcurrency = 0;
  #dirty = new Set<Entry>();
  #progressTimer: ReturnType<typeof setTimeout> | undefined;
  #changeQueued = false;
  readonly #connectivity = new Connectivity();
  #journalStore: Journal | false | undefined;
  #restoring: Promise<void> | undefined;
  /** Files the journal knows as confirmed or on their way, by duplicate key. */
  #known = new Map<string, JournalRecord>();
  /** Uploads created before a reload whose URL may still be alive, by journal key. */
  #created = new Map<string, JournalRecord>();
  /** Storage has answered a PUT of this engine at least once (any status). */
  #storageAnswered = false;
  /** Files from before a reload whose bytes went with the old page, by duplicate key. */
  #lost = new Map<string, JournalRecord>();
  /** Sums kept as counters so events cost O(1) with thousands of files. */
  #bytesReported = 0;
  #bytesTotal = 0;

  constructor(options: Partial<UploaderOptions> = {}) {
    super();
    this.#options = { ...defaultOptions, ...options };
    this.#connectivity.addEventListener('change', () => {
      this.#changed();
      if (this.#connectivity.online) this.#pump();
    });
  }

  /**
   * False while requests get no answer at all (network lost, whatever `navigator.onLine`
   * says); the engine then waits and goes on by itself when answers come back.
   */
  get online(): boolean {
    return this.#connectivity.online;
  }

  /** Current options (a copy). */
  get options(): UploaderOptions {
    return { ...this.#options };
  }

  /** Changes options; transfer-related ones apply to the next `upload()`. */
  configure(options: Partial<UploaderOptions>): void {
    this.#options = { ...this.#options, ...options };
    this.#client = undefined; // made again with these options; what it learned stays (#apiMemory)
  }

  /**
   * Files an earlier page had queued or was sending when it went away (from the journal, after
   * `restore()`): their bytes went with that page, so the person must add them again. A file
   * leaves this list when it is added again; the list empties when an upload starts or on
   * `clear()`.
   */
  get lost(): readonly Pick<UploadFileInfo, 'name' | 'relativePath' | 'size' | 'lastModified'>[] {
    return [...this.#lost.values()];
  }

  /** All accepted files, in the order they were added. */
  get files(): UploadFileInfo[] {
    return [...this.#entries.values()].map((e) => e.info);
  }

  /** Batch confirms sent so far. */
  get batches(): BatchInfo[] {
    return [...this.#batches];
  }

  /**
   * True between `upload()` (or `autoUpload`) and the moment everything has reached a final
   * state. False while a run only finishes what an earlier page left (`restore()`): files added
   * then wait for `upload()`, unless `autoUpload`.
   */
  get running(): boolean {
    return this.#running !== undefined && !this.#running.restoreOnly;
  }

  /** True after `pause()` of the whole engine until `resume()`; a single file's pause is `UploadFileInfo.paused`. */
  get paused(): boolean {
    return this.#paused;
  }

  /** Why the last `upload()` could not start (unusable options), until the next one does. */
  get error(): MixpeekUploaderError | undefined {
    return this.#error;
  }

  /** Totals for an overall progress view. Bytes never decrease. */
  get totals(): { bytesUploaded: number; bytesTotal: number; files: number; done: number; failed: number; canceled: number } {
    return {
      bytesUploaded: this.#bytesReported,
      bytesTotal: this.#bytesTotal,
      files: this.#entries.size,
      done: this.#count('done'),
      failed: this.#count('failed'),
      canceled: this.#count('canceled'),
    };
  }

  /**
   * Adds files. Each is checked (empty, too large, not accepted, too many, duplicate): refused
   * files get a `mixpeek-file-rejected` event and disturb nothing else; accepted ones get
   * `mixpeek-file-added`. Starts uploading when `autoUpload` is on or a run is under way.
   * Returns the accepted files. A file without a folder path that has the name, size and date
   * of one in the list is neither: it is added or refused (with its events) once their bytes are
   * compared, a moment later; a run under way waits for that before it ends.
   */
  addFiles(files: FileList | Iterable<File | FileWithPath>): UploadFileInfo[] {
    const added: UploadFileInfo[] = [];
    const { accept, maxFileSize, maxFiles } = this.#options;
    for (const item of Array.from(files as Iterable<File | FileWithPath>)) {
      // Not `instanceof Blob`: a File from another frame is a Blob of another realm.
      const wrapped = 'file' in item && typeof item.relativePath === 'string';
      const file = wrapped ? item.file : (item as File);
      // A folder's path: given with the file (drops), or the picker's `webkitRelativePath`.
      const relativePath = (wrapped ? item.relativePath : '') || file.webkitRelativePath || file.name;
      const candidate: Candidate = {
        name: file.name,
        size: file.size,
        contentType: contentTypeFor(file),
        relativePath,
        lastModified: file.lastModified,
      };
      const rejection =
        checkFile(candidate, { accept, maxFileSize, maxFiles }, this.#entries.size, this.#listed) ?? this.#alreadyUploaded(candidate);
      if (rejection?.code === 'duplicate' && !relativePath.includes('/') && this.#checkContent(file, candidate)) continue;
      if (rejection) {
        this.#emit('mixpeek-file-rejected', { name: file.name, size: file.size, ...rejection });
        continue;
      }
      added.push(this.#accept(file, candidate));
    }
    this.#changed();
    // A refusal to start (bad options) is kept in `error` for the view; nothing is lost.
    if (added.length > 0 && (this.#options.autoUpload || this.running)) this.#run().catch(() => undefined);
    return added;
  }

  /** Puts an accepted file in the list (status `queued`), with its `mixpeek-file-added` event. */
  #accept(file: File, candidate: Candidate): UploadFileInfo {
    const key = duplicateKey(candidate);
    const lost = this.#lost.get(key);
    this.#lost.delete(key);
    const info: UploadFileInfo = {
      fileId: `f${nextFileId++}`,
      name: file.name,
      relativePath: candidate.relativePath,
      size: file.size,
      lastModified: file.lastModified,
      contentType: candidate.contentType,
      status: 'queued',
      bytesUploaded: 0,
      file,
    };
    const entry: Entry = { info, stored: false, reported: 0, putFailures: 0, renewals: 0 };
    if (lost?.state === 'created') entry.replaces = lost;
    this.#recordQueued(entry);
    this.#entries.set(info.fileId, entry);
    addTo(this.#listed, key, entry);
    this.#bytesTotal += info.size;
    this.#bump('queued', 1);
    this.#toCreate.push(entry);
    this.#emit('mixpeek-file-added', { file: info });
    return info;
  }

  /**
   * A file picked without a folder path whose name, size and date are those of a file in the
   * list: two picks from two folders give exactly that, so it is a duplicate only if its bytes
   * are the same too, as far as its journal fingerprint (size, first and last 64 KiB) tells.
   * Added or refused once that is read (a run under way waits for it); an unreadable file is
   * added, and fails with the reason when its upload reads it.
   * Returns false, checking nothing, when no file in the list has bytes to compare (an upload
   * from before a reload) or when this very `File` is in the list or being compared.
   */
  #checkContent(file: File, candidate: Candidate): boolean {
    const key = duplicateKey(candidate);
    const listed = () => [...(this.#listed.get(key) ?? [])].flatMap((e) => (e.info.file ? [e.info.file] : []));
    const comparing = () => [...(this.#comparing.get(key) ?? [])]; // compared meanwhile: may join the list
    const fingerprints = new Map([...(this.#listed.get(key) ?? [])].map((e) => [e.info.file, e.fingerprint]));
    const others = [...listed(), ...comparing()];
    // Nothing to compare with (an upload from before a reload), or this very File: refused at once.
    if (others.length === 0 || others.includes(file)) return false;
    const epoch = this.#checkEpoch;
    const check = (async () => {
      const read = (f: File) => this.#fingerprint(f, candidate.relativePath).catch(() => undefined);
      const mine = await read(file);
      const theirs = await Promise.all(others.map((f) => fingerprints.get(f)?.catch(() => undefined) ?? read(f)));
      if (epoch !== this.#checkEpoch) return; // cancel() or clear() meanwhile
      // Against the files still there now (some may have been removed meanwhile, or added again).
      const there = new Set([...listed(), ...comparing()]);
      const same = listed().includes(file) || others.some((f, i) => there.has(f) && mine !== undefined && theirs[i] === mine);
      const { accept, maxFileSize, maxFiles } = this.#options;
      const rejection = same
        ? { code: 'duplicate' as const, message: `"${candidate.relativePath}" is already in the list.` }
        : (checkFile(candidate, { accept, maxFileSize, maxFiles }, this.#entries.size, new Set()) ?? this.#alreadyUploaded(candidate));
      if (rejection) {
        this.#emit('mixpeek-file-rejected', { name: file.name, size: file.size, ...rejection });
        return;
      }
      this.#accept(file, candidate);
      this.#changed();
      if (this.#options.autoUpload || this.running) this.#run().catch(() => undefined);
    })();
    addTo(this.#comparing, key, file);
    void check.finally(() => {
      removeFrom(this.#comparing, key, file);
      this.#pump(); // a run may have waited for it
    });
    return true;
  }

  /**
   * Uploads, confirms and tracks every queued file. Resolves when every file has reached a
   * final state (`done`, `failed` or `canceled`), with the same summary as `mixpeek-complete`.
   * Calling it while a run is under way returns that run's promise. Failures of single files
   * are reported in events and the summary; it rejects only for unusable options
   * (`MixpeekUploaderError` with code `invalid-options`).
   */
  upload(): Promise<UploadSummary> {
    this.#forgetLost(); // the person moves on without them
    return this.#run();
  }

  #run(restoreOnly = false): Promise<UploadSummary> {
    if (this.#running) {
      if (!restoreOnly) this.#running.restoreOnly = false; // upload() during a restore's run: new files join it
      this.#pump();
      return this.#running.promise;
    }
    const problem = optionsProblem(this.#options);
    this.#error = problem ? new MixpeekUploaderError('invalid-options', problem) : undefined;
    this.#changed();
    if (this.#error) return Promise.reject(this.#error);
    void this.preload(); // beside the first batch create, not after it
    let resolve!: (s: UploadSummary) => void;
    const promise = new Promise<UploadSummary>((r) => (resolve = r));
    this.#running = { promise, resolve, restoreOnly };
    if (this.#session.signal.aborted) this.#session = new AbortController();
    this.#changed();
    this.#pump();
    return promise;
  }

  /**
   * Pauses everything (or only the file `fileId`): no new PUT starts, and PUTs in flight are
   * aborted and redone from the start on `resume()` (a presigned PUT cannot continue where it
   * stopped). Not an error: no `mixpeek-file-error`. Hashing and confirmations already under
   * way go on.
   */
  pause(fileId?: string): void {
    const targets = fileId === undefined ? [...this.#entries.values()] : [this.#entries.get(fileId)].filter((e) => e !== undefined);
    if (fileId === undefined) {
      if (this.#paused) return;
      this.#paused = true;
    } else {
      for (const e of targets) e.info.paused = true;
    }
    for (const entry of targets) {
      if (entry.info.status === 'uploading' && entry.controller && !entry.stored) {
        entry.controller.abort();
        entry.controller = undefined;
        entry.info.bytesSent = 0; // redone from the start on resume
      }
    }
    this.#changed();
  }

  /** Continues after `pause()` (everything, or only the file `fileId`). */
  resume(fileId?: string): void {
    if (fileId === undefined) this.#paused = false;
    else {
      const entry = this.#entries.get(fileId);
      if (entry) entry.info.paused = false;
    }
    this.#changed();
    this.#pump();
  }

  /**
   * Stops everything not yet confirmed (or only the file `fileId`): aborts its transfer, marks
   * it `canceled`, and deletes its Mixpeek upload (`DELETE …/uploads/{id}`) so nothing stays
   * PENDING. Uploads already confirmed cannot be canceled (Mixpeek refuses COMPLETED uploads)
   * and are tracked to the end. Cancellation is not an error: no `mixpeek-file-error`.
   */
  cancel(fileId?: string): void {
    const all = fileId === undefined;
    if (all) this.#session.abort(); // stops hashing and backoff waits too
    if (all) this.#checkEpoch += 1; // files still being compared are not added
    for (const entry of all ? this.#entries.values() : [this.#entries.get(fileId)].filter((e) => e !== undefined)) {
      const { status, uploadId } = entry.info;
      if (isFinal(status) || status === 'processing' || status === 'confirming') continue;
      entry.controller?.abort();
      this.#discard(uploadId);
      this.#setStatus(entry, 'canceled');
      if (!all) this.#dequeue(entry);
    }
    if (all) {
      // Every queued entry was just canceled (confirming and processing ones are in no queue).
      this.#toCreate = [];
      this.#toSend = [];
      this.#toConfirm = [];
      this.#paused = false;
      this.#session = new AbortController();
    }
    this.#changed();
    this.#pump();
  }

  /**
   * Puts the failed files (or only the file `fileId`, failed or canceled) back in the queue, as
   * new uploads, and uploads again. Canceled files are left alone unless named: the person
   * canceled them (`retryCanceled()` brings them all back). Files recovered from the journal
   * without their `File` cannot be sent again and stay as they are.
   */
  retry(fileId?: string): Promise<UploadSummary> {
    return this.#requeue((info) => (fileId === undefined ? info.status === 'failed' : info.fileId === fileId));
  }

  /** Puts every canceled file back in the queue, as new uploads, and uploads again (see `retry()`). */
  retryCanceled(): Promise<UploadSummary> {
    return this.#requeue((info) => info.status === 'canceled');
  }

  #requeue(wanted: (info: UploadFileInfo) => boolean): Promise<UploadSummary> {
    for (const entry of this.#entries.values()) {
      if (!wanted(entry.info)) continue;
      if ((entry.info.status !== 'failed' && entry.info.status !== 'canceled') || !entry.info.file) continue;
      Object.assign(entry.info, { uploadId: undefined, etag: undefined, taskId: undefined, objectId: undefined, error: undefined });
      Object.assign(entry, { url: undefined, expiresAt: undefined, stored: false, putFailures: 0, renewals: 0 });
      this.#setStatus(entry, 'queued');
      this.#toCreate.push(entry);
    }
    return this.upload();
  }

  #dequeue(entry: Entry): void {
    this.#toCreate = this.#toCreate.filter((e) => e !== entry);
    this.#toSend = this.#toSend.filter((e) => e !== entry);
    this.#toConfirm = this.#toConfirm.filter((e) => e !== entry);
  }

  /** Removes a file that is not on its way (queued, done, failed or canceled). Returns true if removed. */
  removeFile(fileId: string): boolean {
    const entry = this.#entries.get(fileId);
    if (!entry || !(entry.info.status === 'queued' || isFinal(entry.info.status))) return false;
    this.#entries.delete(fileId);
    this.#bytesTotal -= entry.info.size;
    this.#bytesReported -= entry.reported;
    this.#bump(entry.info.status, -1);
    removeFrom(this.#listed, duplicateKey(entry.info), entry);
    // Removed before its create: the record it was to replace is named lost again (upload() or
    // clear() then cancels its upload).
    if (entry.replaces) this.#lost.set(duplicateKey(entry.replaces), entry.replaces);
    this.#unrecordQueued(entry);
    this.#dequeue(entry);
    this.#changed();
    this.#pump();
    return true;
  }

  /**
   * Cancels everything not yet confirmed (their uploads deleted at Mixpeek, as `cancel()`) and
   * forgets every file that is not on its way, the journal's `queued` records and `lost` (a form
   * reset). No `mixpeek-file-error`.
   */
  clear(): void {
    this.cancel();
    for (const id of [...this.#entries.keys()]) this.removeFile(id);
    this.#forgetLost();
  }

  /** Stops everything and frees workers and the transfer. */
  dispose(): void {
    this.cancel();
    this.#hasher?.dispose?.();
    this.#transfer?.dispose();
    this.#hasher = undefined;
    this.#transfer = undefined;
  }

  /** A snapshot for `upload()`'s result and `mixpeek-complete`. */
  summary(): UploadSummary {
    return {
      files: this.files.map((f) => ({ ...f })),
      batches: this.batches.map((b) => ({ ...b })),
      confirmed: this.#count('done'),
      failed: this.#count('failed'),
      canceled: this.#count('canceled'),
    };
  }

  // ---- pipeline ----------------------------------------------------------------------------

  #pump(): void {
    if (!this.#running) return;
    const { batchSize, concurrency } = this.#options;
    const fresh = !this.#running.restoreOnly; // new files join a run, not a restore's own one
    if (!this.#paused) {
      if (fresh && !this.#creating && this.#toCreate.length > 0 && this.#toSend.length < batchSize) {
        // Paused files keep their place; the common case (none paused) takes a slice.
        const batch = this.#toCreate.some((e) => e.info.paused)
          ? this.#toCreate.filter((e) => !e.info.paused).slice(0, batchSize)
          : this.#toCreate.slice(0, batchSize);
        if (batch.length > 0) {
          const taken = new Set(batch);
          this.#toCreate = this.#toCreate.filter((e) => !taken.has(e));
          void this.#create(batch);
        }
      }
      for (const e of this.#renewalsHoldingSlots) {
        if (e.info.paused || (e.info.status !== 'queued' && e.info.status !== 'creating')) this.#renewalsHoldingSlots.delete(e);
      }
      const free = concurrency - this.#renewalsHoldingSlots.size;
      const ahead = this.#toSend.length > 0 ? (this.#transferer().queueAhead ?? 0) : 0;
      for (let i = 0; this.#sending < free + ahead && i < this.#toSend.length; ) {
        const entry = this.#toSend[i]!;
        if (entry.info.paused)
          i += 1; // paused files keep their place
        else if (this.#sending >= free && !canWaitInQueue(entry)) break;
        else this.#send(this.#toSend.splice(i, 1)[0]!);
      }
    }
    const upstream = this.#creating || (fresh && this.#toCreate.length > 0) || [...preConfirm].some((s) => this.#count(s) > 0);
    // Files that could still join this group soon; paused ones cannot, so they hold nothing back.
    const moving = (e: Entry) => !e.info.paused && !this.#paused;
    const coming =
      this.#creating ||
      this.#sending > 0 ||
      this.#count('hashing') > 0 ||
      (fresh && this.#toCreate.some(moving)) ||
      this.#toSend.some(moving);
    const due = this.#confirmDue();
    if (!this.#confirming && this.#toConfirm.length > 0 && (this.#toConfirm.length >= batchSize || !coming || due)) {
      void this.#confirm(this.#toConfirm.splice(0, batchSize));
    }
    const busy =
      upstream ||
      this.#confirming ||
      this.#toConfirm.length > 0 ||
      this.#polls > 0 ||
      (fresh && (this.#count('queued') > 0 || this.#comparing.size > 0)); // files being compared may join
    if (!busy) this.#finishRun();
  }

  /**
   * True when a waiting confirmation must go now, before its upload expires; otherwise arms a
   * timer for the earliest such moment. (A queue of large files can take longer to fill a batch
   * than an upload lives: Mixpeek fails uploads not confirmed before `expires_at`.)
   */
  #confirmDue(): boolean {
    clearTimeout(this.#confirmTimer);
    let earliest = Infinity;
    for (const e of this.#toConfirm) if (e.confirmBy !== undefined && e.confirmBy < earliest) earliest = e.confirmBy;
    if (earliest === Infinity) return false;
    const wait = earliest - Date.now();
    if (wait <= 0) return true;
    this.#confirmTimer = setTimeout(() => this.#pump(), Math.min(wait, 2 ** 31 - 1));
    return false;
  }

  #finishRun(): void {
    const run = this.#running;
    if (!run) return;
    this.#running = undefined;
    this.#flushProgress();
    const summary = this.summary();
    this.#emit('mixpeek-complete', summary);
    this.#changed();
    run.resolve(summary);
  }

  async #create(entries: Entry[]): Promise<void> {
    this.#creating = true;
    for (const e of entries) this.#setStatus(e, 'creating');
    const missing = await this.#partMissing();
    if (missing) {
      // No upload is created for files whose transfer or hash cannot run (a chunk is missing).
      for (const e of entries) this.#fail(e, 'upload-failed', missing);
      this.#creating = false;
      this.#pump();
      return;
    }
    entries = await this.#reuseLiveUploads(entries);
    // Hashing starts with the create, not the PUT: the pool works through the batch in order
    // while URLs come and PUTs run, so the last hashes do not trail the last PUTs.
    for (const e of entries) if (e.info.etag === undefined) void this.#hash(e);
    if (entries.length === 0) {
      this.#creating = false;
      this.#pump();
      return;
    }
    const { blobProperty, uploadParams } = this.#options;
    const items = entries.map(({ info }): CreateUploadRequest => {
      const item: CreateUploadRequest = {
        filename: safeFilename(info.name),
        content_type: info.contentType,
        file_size_bytes: info.size,
      };
      if (blobProperty) item.blob_property = blobProperty;
      const extra = uploadParams?.(info.file!) ?? {};
      const metadata: Record<string, unknown> = {};
      if (info.relativePath !== info.name) metadata.relative_path = info.relativePath;
      if (item.filename !== info.name) metadata.original_filename = info.name;
      Object.assign(metadata, extra.metadata);
      Object.assign(item, extra);
      if (Object.keys(metadata).length > 0) item.metadata = metadata;
      return item;
    });
    try {
      // Not tied to cancel(): the answer names the uploads Mixpeek created, which a cancel
      // must delete rather than leave PENDING.
      const uploads = await this.#api().createUploads(items);
      uploads.forEach((upload, i) => {
        const entry = entries[i]!;
        if (entry.info.status !== 'creating') {
          // Canceled while the request was out: that upload is an orphan, so cancel it too.
          this.#discard(upload.upload_id);
          return;
        }
        entry.info.uploadId = upload.upload_id;
        entry.info.contentType = items[i]!.content_type;
        const expiresAt = upload.expires_at ? Date.parse(upload.expires_at) : NaN;
        entry.expiresAt = Number.isNaN(expiresAt) ? undefined : expiresAt;
        const lifetime = Math.max(0, expiresAt - Date.now());
        entry.expiryMargin = Math.min(EXPIRY_MARGIN, lifetime / 10);
        entry.confirmBy = Number.isNaN(lifetime) ? undefined : expiresAt - lifetime / 4;
        entry.putFailures = 0;
        if (!upload.presigned_url) {
          // Mixpeek found the same content already stored (is_duplicate / skipped_unique_key):
          // there is nothing to PUT and nothing to confirm.
          entry.info.objectId = upload.existing_object_id ?? upload.object_id ?? undefined;
          entry.info.bytesUploaded = entry.info.size;
          this.#report(entry);
          this.#setStatus(entry, 'done');
          return;
        }
        entry.url = upload.presigned_url;
        this.#setStatus(entry, 'uploading');
        this.#record(entry, 'created');
        // A file whose URL expired while it waited goes first this time, or it could wait again.
        if (entry.renewals > 0) this.#toSend.unshift(entry);
        else this.#toSend.push(entry);
      });
    } catch (error) {
      const refused = refusedItems(error, entries.length);
      const again: Entry[] = [];
      entries.forEach((e, i) => {
        if (e.info.status !== 'creating') return;
        if (refused && !refused.has(i)) {
          // Mixpeek refuses a whole batch for one bad item: send the others again.
          this.#setStatus(e, 'queued');
          again.push(e);
        } else {
          this.#fail(e, 'create-failed', refused?.get(i) ?? error);
        }
      });
      this.#toCreate.unshift(...again);
    } finally {
      this.#creating = false;
      this.#changed();
      this.#pump();
    }
  }

  #send(entry: Entry): void {
    const { info } = entry;
    if (expiring(entry)) {
      this.#renewHoldingSlot(entry);
      return;
    }
    const transfer = this.#transferer(); // before counting this PUT: a new concurrency applies when none is in flight
    const controller = new AbortController();
    entry.controller = controller;
    info.bytesSent = 0; // a presigned PUT always starts from the first byte
    this.#sending += 1;
    if (info.etag === undefined && !entry.stored) void this.#hash(entry);
    // A PUT that makes no progress for `stallTimeout` is aborted and tried again.
    let stall: ReturnType<typeof setTimeout> | undefined;
    const watch = () => {
      clearTimeout(stall);
      stall = setTimeout(
        () => controller.abort(new TransferError(`No progress for ${this.#options.stallTimeout} ms.`)),
        this.#options.stallTimeout,
      );
    };
    // A transfer that queues jobs says when each starts; the watch runs from then, and a URL
    // that came close to its end while the job waited is renewed rather than sent.
    if (!transfer.queueAhead) watch();
    const onStart = () => {
      if (expiring(entry)) throw new StartRefused(EXPIRED_BEFORE_START);
      watch();
    };
    transfer
      .put(
        { id: info.fileId, file: info.file!, name: info.name, url: entry.url!, contentType: info.contentType, onStart },
        (bytes) => {
          watch(); // bytes leaving are no answer: a PUT into a dead network sends some before it fails
          this.#progress(entry, bytes);
        },
        controller.signal,
      )
      .then(
        () => {
          this.#connectivity.answered();
          this.#storageAnswered = true;
          entry.stored = true;
          this.#progress(entry, info.size);
          if (info.etag) this.#uploaded(entry);
          else this.#setStatus(entry, 'hashing');
        },
        (error) => this.#putFailed(entry, error),
      )
      .finally(() => {
        clearTimeout(stall);
        this.#sending -= 1;
        if (entry.controller === controller) entry.controller = undefined;
        this.#changed();
        this.#pump();
      });
  }

  /**
   * After a failed PUT: an abort (pause, stall) redoes it; an expired URL gets a fresh upload;
   * no answer, 5xx, 408 or 429 are retried with backoff (network losses for as long as
   * `offlineTimeout`); anything else (e.g. `SignatureDoesNotMatch`) fails the file, with
   * storage's error code in the message.
   */
  async #putFailed(entry: Entry, error: unknown): Promise<void> {
    const { info } = entry;
    if (info.status !== 'uploading') return; // canceled or failed meanwhile
    // A body the browser cannot read (the file changed on disk since it was selected) fails the
    // PUT as if no answer came: tell the two apart before taking it for a network loss.
    if (error instanceof TransferError && isNetworkFailure({ status: error.status })) {
      const cannotRead = await readFailure(info.file!);
      if (info.status !== 'uploading') return;
      if (cannotRead) {
        this.#fail(entry, 'upload-failed', unreadable(info.name, cannotRead));
        return;
      }
    }
    if (isAbortError(error) && !(entry.controller?.signal.reason instanceof TransferError)) {
      this.#toSend.unshift(entry); // paused: redo the PUT on resume
      return;
    }
    if (error instanceof DeferredLoadError) {
      this.#fail(entry, 'upload-failed', error); // a chunk of the script is missing: retrying will not bring it
      return;
    }
    if (error instanceof StartRefused) {
      this.#renewHoldingSlot(entry);
      return;
    }
    const failure = error instanceof TransferError ? { status: error.status } : {};
    if (
      error instanceof TransferError &&
      (error.expired || (error.status === 403 && entry.expiresAt !== undefined && Date.now() >= entry.expiresAt))
    ) {
      this.#renewHoldingSlot(entry, `its presigned URL expired (${error.message})`);
      return;
    }
    if (!isNetworkFailure(failure)) this.#storageAnswered = true;
    entry.putFailures += 1;
    // Storage never answered: it refuses this page (CORS), or the network is gone. The API, asked
    // about this upload, tells which.
    if (isUnreachable(entry.putFailures, failure, this.#storageAnswered) && (await this.#api().answers(info.uploadId!))) {
      if (info.status !== 'uploading') return;
      const storage = URL.canParse(entry.url ?? '') ? new URL(entry.url!).origin : 'storage';
      this.#fail(
        entry,
        'upload-failed',
        new Error(
          `${storage} did not answer the PUT (${messageOf(error)}). The browser is online, so it refused the request: the storage bucket's CORS must allow PUT with Content-Type from this page's origin (and expose ETag).`,
        ),
      );
      return;
    }
    if (isNetworkFailure(failure)) this.#connectivity.lost();
    else this.#connectivity.answered();
    const retry = { ...defaultRetryOptions, ...this.#options.retry };
    if (!shouldRetry(entry.putFailures, failure, this.#connectivity.lastAnswerAt, Date.now(), retry)) {
      this.#fail(entry, 'upload-failed', error);
      return;
    }
    this.#connectivity
      .wait(backoffDelay(entry.putFailures, failure, retry), this.#session.signal)
      .then(
        () => {
          if (info.status === 'uploading') this.#toSend.unshift(entry);
        },
        () => undefined,
      )
      .finally(() => this.#pump());
  }

  /**
   * Files renewed because their URL expired as their turn came or during their PUT; each holds
   * its transfer slot until its new URL comes and is sent first, so that URLs are renewed only
   * as fast as slots free (renewing every waiting file at once, or letting others take the slot
   * meanwhile, would leave the new URLs to expire in the queue again).
   */
  #renewalsHoldingSlots = new Set<Entry>();

  #renewHoldingSlot(entry: Entry, reason = EXPIRED_BEFORE_START): void {
    this.#renewalsHoldingSlots.add(entry);
    this.#renew(entry, reason);
  }

  /**
   * Gives a file a fresh upload (new presigned URL) and cancels the old one at Mixpeek, which
   * would otherwise stay PENDING. The old upload is never confirmed.
   */
  #renew(entry: Entry, reason: string): void {
    const { info } = entry;
    if (entry.renewals >= MAX_RENEWALS) {
      this.#fail(entry, 'upload-failed', new Error(`"${info.name}" could not be uploaded: ${reason}, ${MAX_RENEWALS + 1} times.`));
      return;
    }
    entry.renewals += 1;
    const old = info.uploadId;
    this.#discard(old);
    Object.assign(info, { uploadId: undefined, taskId: undefined });
    Object.assign(entry, { url: undefined, expiresAt: undefined, stored: false, putFailures: 0 });
    this.#setStatus(entry, 'queued');
    this.#toCreate.unshift(entry);
    queueMicrotask(() => this.#pump()); // not from inside the pump that may have called this
  }

  async #hash(entry: Entry): Promise<void> {
    if (entry.hashing) return;
    // Stopped when the file ends (failed, canceled) or the session does.
    const controller = new AbortController();
    entry.hashing = controller;
    const session = this.#session.signal;
    const stop = () => controller.abort();
    if (session.aborted) stop();
    session.addEventListener('abort', stop, { once: true });
    const { info } = entry;
    try {
      // The MD5 is the file's, whatever upload it ends up in: a renewal while hashing keeps it.
      const hasher = this.#md5();
      const { signal } = controller;
      const { md5: answer, fingerprint: read } = hasher.hash
        ? await hasher.hash(info.file!, info.relativePath, { signal })
        : { md5: await hasher.md5(info.file!, { signal }), fingerprint: undefined };
      const md5 = normalizeEtag(answer);
      if (isFinal(info.status)) return;
      if (!/^[0-9a-f]{32}$/.test(md5)) throw new Error(`the hasher answered ${JSON.stringify(md5)}, not an MD5`);
      // The bytes hashed must be the bytes fingerprinted at create, when that was read apart.
      const first = await entry.fingerprint?.catch(() => undefined);
      const now = read ?? (first && (await this.#fingerprint(info.file!, info.relativePath)));
      if (first && now !== first) throw new Error('it changed since it was selected');
      if (read) this.#keyed(entry, read);
      else if (!entry.fingerprint) void this.#keyLater(entry); // the hasher gave none: read it apart
      info.etag = md5;
      if (entry.stored && info.status === 'hashing') this.#uploaded(entry);
    } catch (error) {
      if (!isAbortError(error) && !isFinal(info.status)) {
        entry.controller?.abort();
        if (error instanceof DeferredLoadError) this.#fail(entry, 'upload-failed', error);
        else this.#fail(entry, 'hash-failed', unreadable(info.name, error));
      }
    } finally {
      session.removeEventListener('abort', stop);
      if (entry.hashing === controller) entry.hashing = undefined;
      this.#changed();
      this.#pump();
    }
  }

  #uploaded(entry: Entry): void {
    const { info } = entry;
    this.#setStatus(entry, 'uploaded');
    this.#record(entry, 'stored');
    this.#flushProgress(entry);
    this.#emit('mixpeek-file-uploaded', {
      fileId: info.fileId,
      name: info.name,
      uploadId: info.uploadId!,
      etag: info.etag!,
      fileSizeBytes: info.size,
    });
    this.#toConfirm.push(entry);
  }

  async #confirm(entries: Entry[]): Promise<void> {
    this.#confirming = true;
    for (const e of entries) this.#setStatus(e, 'confirming');
    const confirmations: Confirmation[] = entries.map(({ info }) => ({
      upload_id: info.uploadId!,
      etag: info.etag!,
      file_size_bytes: info.size,
    }));
    // Written before the request: after a crash, these are checked rather than forgotten.
    for (const e of entries) this.#record(e, 'confirming');
    await this.#journal()?.flush();
    try {
      // Not tied to the session's signal: once sent, a confirm must be seen through, or the
      // uploads could end confirmed without us knowing.
      const response = await this.#api().confirmUploads(confirmations);
      const batch: BatchInfo = {
        batch: this.#batches.length + 1,
        taskId: response.task_id,
        status: String(response.status),
        uploadIds: confirmations.map((c) => c.upload_id),
      };
      this.#batches.push(batch);
      for (const e of entries) {
        e.info.taskId = batch.taskId;
        this.#setStatus(e, 'processing');
        this.#record(e, 'processing');
      }
      this.#emit('mixpeek-batch-confirmed', { batch: batch.batch, confirmations, taskId: batch.taskId, status: batch.status });
      void this.#track(batch, entries);
    } catch (error) {
      const gone = this.#goneUpload(error, entries);
      if (gone) {
        // One upload of the group no longer exists (one from before a reload, deleted or
        // purged since), and the whole request was refused for it: the others go again.
        this.#fail(gone, 'confirm-failed', error);
        const rest = entries.filter((e) => e !== gone);
        for (const e of rest) {
          this.#setStatus(e, 'uploaded');
          this.#record(e, 'stored');
        }
        this.#toConfirm.unshift(...rest);
      } else {
        for (const e of entries) this.#fail(e, 'confirm-failed', error);
      }
    } finally {
      this.#confirming = false;
      this.#changed();
      this.#pump();
    }
  }

  /**
   * The file whose upload a refused batch confirm names as missing: a 404 whose `details.upload_id`
   * or message names one of `entries`. Mixpeek does not document what a batch confirm with an
   * unknown id answers; the emulator refuses the whole batch with such a 404 (our guess of it).
   */
  #goneUpload(error: unknown, entries: Entry[]): Entry | undefined {
    if (!(error instanceof MixpeekApiError) || error.status !== 404 || entries.length < 2) return undefined;
    const named = (error.details as { upload_id?: unknown } | undefined)?.upload_id;
    return entries.find((e) => e.info.uploadId === named || error.message.includes(e.info.uploadId!));
  }

  async #track(batch: BatchInfo, entries: Entry[]): Promise<void> {
    this.#polls += 1;
    const { taskPollInterval, taskPollMaxInterval } = this.#options;
    let delay = taskPollInterval;
    try {
      for (;;) {
        await sleep(delay);
        delay = Math.min(delay * 1.5, taskPollMaxInterval);
        let task: TaskResponse;
        try {
          task = await this.#api().getTask(batch.taskId); // retried by the client's policy
        } catch (error) {
          // The task cannot be read (Mixpeek drops tasks after about 24 h, answering 404; or
          // retries ran out): the upload records say how each file ended.
          const reason = error instanceof MixpeekApiError && error.status === 404 ? `Task ${batch.taskId} is gone.` : messageOf(error);
          await this.#settleFromUploads(new Map(entries.map((e) => [e, reason])));
          return;
        }
        const status = String(task.status);
        if (status !== batch.status) {
          batch.status = status;
          this.#emit('mixpeek-task-update', { taskId: batch.taskId, status });
          this.#changed();
        }
        if (TERMINAL_TASK_STATUSES.has(status)) {
          await this.#settle(task, entries);
          return;
        }
      }
    } finally {
      this.#polls -= 1;
      this.#changed();
      this.#pump();
    }
  }

  /**
   * Marks each file of a finished batch `done` or `failed`. Mixpeek does not document per-item
   * results of a batch-confirm task; this reads `outputs` items shaped like
   * `{upload_id, status, object_id?, error?}` when present, and otherwise re-reads each upload
   * (`GET …/uploads/{id}`) whenever the task did not end COMPLETED.
   */
  async #settle(task: TaskResponse, entries: Entry[]): Promise<void> {
    const byId = new Map<string, Record<string, unknown>>();
    for (const item of task.outputs ?? []) {
      if (item && typeof item === 'object' && typeof (item as { upload_id?: unknown }).upload_id === 'string') {
        byId.set((item as { upload_id: string }).upload_id, item as Record<string, unknown>);
      }
    }
    const taskError =
      task.error ?? task.error_message ?? (task.additional_data?.error as string | undefined) ?? `Processing ended ${task.status}.`;
    const check = new Map<Entry, string>();
    for (const entry of entries) {
      const item = byId.get(entry.info.uploadId!);
      const itemStatus = item ? String(item.status ?? '') : task.status === 'COMPLETED' ? 'COMPLETED' : '';
      if (itemStatus === 'COMPLETED') {
        entry.info.objectId = (item?.object_id as string | undefined) ?? entry.info.objectId;
        this.#setStatus(entry, 'done');
      } else {
        // Failed, or not named by the task: the upload record has the last word. (A confirm
        // resent after a lost answer can fail an item that the first one completed.)
        check.set(entry, item && itemStatus ? String(item.error ?? item.message ?? taskError) : taskError);
      }
    }
    if (check.size > 0) await this.#settleFromUploads(check);
  }

  /** Settles files from their upload records (`GET …/uploads/{id}`); `reasons` explain failures. */
  async #settleFromUploads(reasons: Map<Entry, string>): Promise<void> {
    await Promise.all(
      [...reasons].map(async ([entry, reason]) => {
        try {
          let upload = await this.#api().getUpload(entry.info.uploadId!);
          // Another confirm of the same upload may still be running (one resent after a reload
          // or a lost answer): give it time to finish before calling the file failed.
          const open = (status: string) => status === 'PENDING' || CONFIRMING_UPLOAD_STATUSES.has(status);
          for (let wait = 1000; open(String(upload.status)) && wait <= 8000; wait *= 2) {
            await sleep(wait);
            upload = await this.#api().getUpload(entry.info.uploadId!);
          }
          if (upload.status === 'COMPLETED') {
            entry.info.objectId = upload.object_id ?? undefined;
            this.#setStatus(entry, 'done');
          } else if (upload.status === 'FAILED' && /expired/i.test(upload.message ?? reason) && entry.info.file) {
            // Mixpeek fails an upload whose confirm came after `expires_at` (a slow hash, a long
            // confirm queue): the bytes must go again under a new upload, like an expired URL.
            // Guess: its message names the expiry, as the docs' "expired" status wording does and
            // the emulator's does. (Not the clock: a file may fail processing long after its URL
            // expired, for reasons a new upload would not change.)
            this.#renew(entry, `it expired before its confirmation reached Mixpeek (${upload.message ?? reason})`);
          } else {
            this.#fail(entry, 'processing-failed', new Error(upload.message || reason));
          }
        } catch (error) {
          this.#fail(entry, 'processing-failed', error);
        }
      }),
    );
  }

  /**
   * Starts loading the default transfer (Uppy) and hasher (the worker pool) when the options use
   * them: in the script-tag build each is a chunk of its own. Runs call it when they start; the
   * element calls it once the page is idle. Resolves once both are loaded (or failed: it never
   * rejects; a load that fails shows on first use, as an `upload-failed` error on the files that
   * needed it).
   */
  async preload(): Promise<void> {
    await this.#partMissing();
  }

  /** The first default part (Uppy, the hashing pool) that cannot be loaded, if any. */
  async #partMissing(): Promise<DeferredLoadError | undefined> {
    const { createTransfer, hasher } = this.#options;
    try {
      await Promise.all([createTransfer ? undefined : loadUppyTransfer(), hasher ? undefined : loadWorkerHasher()]);
      return undefined;
    } catch (error) {
      return error instanceof DeferredLoadError ? error : new DeferredLoadError(messageOf(error));
    }
  }

  // ---- journal (resume after a reload) ------------------------------------------------------

  /**
   * Picks up what an earlier page left in the journal for this API, bucket and namespace:
   * uploads stored but not confirmed are confirmed now, tasks still running are followed, and
   * confirmed files are remembered so that adding them again skips them with a notice, and
   * files whose bytes went with the old page fill `lost`. Runs once per upload target and page
   * (another engine of the page that restored the same target leaves it alone); does nothing
   * without a journal or with unusable options. The element calls it when connected. Resolves
   * when the journal has been read (never rejects); may start a run, with the usual events.
   */
  restore(): Promise<void> {
    if (!this.#journal() || optionsProblem(this.#options)) return Promise.resolve(); // nothing to read yet
    // One engine per page takes a target's leftovers: several elements must not confirm them twice.
    if (!this.#restoring && restoredTargets.has(this.#target())) this.#restoring = Promise.resolve();
    restoredTargets.add(this.#target());
    this.#restoring ??= this.#restore();
    return this.#restoring;
  }

  async #restore(): Promise<void> {
    const journal = this.#journal()!;
    const all = await journal.list(this.#target());
    // Records of pages still alive (this one, another tab) are theirs: only those left behind count.
    const live = await livePages(new Set(all.flatMap((r) => (r.owner ? [r.owner] : []))));
    const records = all.filter((r) => !r.owner || !live.has(r.owner));
    const toConfirm: Entry[] = [];
    const byTask = new Map<string, Entry[]>();
    for (let record of records) {
      if (record.updatedAt < Date.now() - JOURNAL_MAX_AGE) {
        journal.remove(record.key);
        continue;
      }
      if (record.state === 'queued' || record.state === 'created') this.#lost.set(duplicateKey(record), record);
      if (record.state === 'created') this.#created.set(record.key, record);
      if (record.state === 'confirmed') this.#known.set(duplicateKey(record), record);
      if (record.state === 'confirming') {
        const next = await this.#confirmOutcome(journal, record);
        if (!next) continue;
        record = next;
      }
      if (record.state === 'stored') toConfirm.push(this.#ghost(record, 'uploaded'));
      if (record.state === 'processing' && record.taskId) {
        const list = byTask.get(record.taskId) ?? [];
        list.push(this.#ghost(record, 'processing'));
        byTask.set(record.taskId, list);
      }
    }
    if (toConfirm.length === 0 && byTask.size === 0) {
      if (this.#lost.size > 0) this.#changed();
      return;
    }
    this.#toConfirm.push(...toConfirm);
    // Tasks count as work before the run starts, or a run with only tasks would end at once.
    for (const [taskId, entries] of byTask) {
      const batch: BatchInfo = {
        batch: this.#batches.length + 1,
        taskId,
        status: 'PROCESSING',
        uploadIds: entries.map((e) => e.info.uploadId!),
      };
      this.#batches.push(batch);
      void this.#track(batch, entries);
    }
    void this.#run(true).catch(() => undefined);
  }

  /**
   * What became of a confirm the old page sent (journal state `confirming`; it may or may not
   * have reached Mixpeek): the record to go on with (`stored`: confirm it again; `processing`:
   * follow the task that runs it), or `undefined` when there is nothing to do now: confirmed
   * (remembered), gone (404: forgotten), or Mixpeek cannot be asked, or runs it under no task to
   * follow (kept for the next page; the file, if added again, is skipped, not uploaded twice).
   */
  async #confirmOutcome(journal: Journal, record: JournalRecord): Promise<JournalRecord | undefined> {
    let gone = false;
    const upload = await this.#api()
      .getUpload(record.uploadId)
      .catch((error: unknown) => {
        gone = error instanceof MixpeekApiError && error.status === 404; // deleted, or long expired
        return undefined;
      });
    const status = String(upload?.status ?? '');
    const running = CONFIRMING_UPLOAD_STATUSES.has(status);
    if (gone || (upload && status !== 'PENDING' && status !== 'COMPLETED' && !running)) {
      journal.remove(record.key); // gone, failed or canceled: a new upload if the file is added again
      return undefined;
    }
    if (status === 'PENDING') return { ...record, state: 'stored' };
    if (running && upload?.task_id) {
      const processing: JournalRecord = { ...record, state: 'processing', taskId: upload.task_id, updatedAt: Date.now() };
      journal.put(processing);
      return processing;
    }
    // Confirmed; or not to be asked now, or running under no task to follow: kept as it is.
    const known: JournalRecord = status === 'COMPLETED' ? { ...record, state: 'confirmed', updatedAt: Date.now() } : record;
    if (known !== record) journal.put(known);
    this.#known.set(duplicateKey(record), known);
    return undefined;
  }

  /** An entry for a file known only from the journal (its `File` is gone with the old page). */
  #ghost(record: JournalRecord, status: 'uploaded' | 'processing'): Entry {
    const info: UploadFileInfo = {
      fileId: `f${nextFileId++}`,
      name: record.name,
      relativePath: record.relativePath,
      size: record.size,
      lastModified: record.lastModified,
      contentType: record.contentType ?? 'application/octet-stream',
      status,
      bytesUploaded: record.size,
      uploadId: record.uploadId,
      etag: record.etag === undefined ? undefined : normalizeEtag(record.etag), // journals written by older versions, or by hand
      taskId: record.taskId,
      recovered: true,
    };
    const entry: Entry = { info, key: record.key, stored: true, reported: record.size, putFailures: 0, renewals: 0 };
    this.#entries.set(info.fileId, entry);
    this.#bump(status, 1);
    this.#bytesTotal += record.size;
    this.#bytesReported += record.size;
    addTo(this.#listed, duplicateKey(record), entry);
    this.#known.set(duplicateKey(record), record);
    return entry;
  }

  /** A notice for a file the journal knows as confirmed or on its way; `null` otherwise. */
  #alreadyUploaded(c: Candidate): Rejection | null {
    const record = this.#known.get(duplicateKey(c));
    if (!record) return null;
    const doing = record.state === 'confirmed' ? 'was already uploaded' : 'is already being confirmed';
    return { code: 'duplicate', message: `"${c.relativePath}" ${doing} (${record.uploadId}); skipped.` };
  }

  /**
   * Reads each file's fingerprint (first and last 64 KiB); a file whose upload from before a
   * reload still has a live presigned URL goes straight to the PUT with it. Returns the files
   * that still need a new upload.
   */
  async #reuseLiveUploads(entries: Entry[]): Promise<Entry[]> {
    const journal = this.#journal();
    if (!journal) return entries;
    if (this.#created.size === 0) {
      // Nothing from before a reload to reuse: the journal's fingerprints need not hold up the
      // create. A small file's comes with its hash, from the same reading (see `Hasher.hash`).
      const fromHash = this.#md5().hash !== undefined;
      for (const entry of entries) if (!(fromHash && entry.info.size < KEY_FROM_HASH_BELOW)) void this.#keyLater(entry);
      return entries;
    }
    const fresh: Entry[] = [];
    await Promise.all(
      entries.map(async (entry) => {
        try {
          entry.key = await this.#keyOf(entry);
        } catch (error) {
          this.#fail(entry, 'hash-failed', unreadable(entry.info.name, error));
          return;
        }
        const earlier = this.#created.get(entry.key);
        this.#created.delete(entry.key);
        // Added again in place of a file named lost, but with other bytes now: that upload will
        // never be confirmed, so it is canceled, or every later reload would name the file again.
        const { replaces } = entry;
        if (replaces && replaces.key !== entry.key && this.#created.get(replaces.key) === replaces) this.#forgetCreated(replaces);
        entry.replaces = undefined;
        if (earlier?.url && (earlier.expiresAt ?? 0) > Date.now() + EXPIRY_MARGIN && entry.info.status === 'creating') {
          Object.assign(entry.info, { uploadId: earlier.uploadId, contentType: earlier.contentType ?? entry.info.contentType });
          Object.assign(entry, { url: earlier.url, expiresAt: earlier.expiresAt, putFailures: 0 });
          this.#setStatus(entry, 'uploading');
          this.#toSend.push(entry);
          return;
        }
        if (earlier) this.#discard(earlier.uploadId); // its URL is dead: an orphan
        fresh.push(entry);
      }),
    );
    return entries.filter((e) => fresh.includes(e));
  }

  /** The file's journal key: target + fingerprint (read once per file; rejects when it cannot be read). */
  async #keyOf(entry: Entry): Promise<string> {
    return this.#keyFor(await this.#firstFingerprint(entry));
  }

  /** The journal key of a file with fingerprint `fingerprint` at this target. */
  #keyFor(fingerprint: string): string {
    return `${this.#target()}#${fingerprint}`;
  }

  /** The file's first fingerprint, read once (apart from its hash). */
  #firstFingerprint(entry: Entry): Promise<string> {
    entry.fingerprint ??= this.#fingerprint(entry.info.file!, entry.info.relativePath);
    return entry.fingerprint;
  }

  /** The file's journal fingerprint, off the main thread when the hasher can (see `Hasher.fingerprint`). */
  #fingerprint(file: File, relativePath: string): Promise<string> {
    const hasher = this.#md5();
    return hasher.fingerprint ? hasher.fingerprint(file, relativePath) : fingerprint(file, relativePath);
  }

  /** Reads a file's fingerprint beside its upload (see `#keyed`). */
  async #keyLater(entry: Entry): Promise<void> {
    let read: string;
    try {
      read = await this.#firstFingerprint(entry);
    } catch {
      return; // unreadable: its hash fails with the reason
    }
    this.#keyed(entry, read);
  }

  /** Takes a file's fingerprint, once known, as its journal key; journals the state it has reached by then. */
  #keyed(entry: Entry, read: string): void {
    entry.fingerprint ??= Promise.resolve(read);
    if (entry.key) return;
    entry.key = this.#keyFor(read);
    const state = journalStates[entry.info.status];
    if (state) this.#record(entry, state);
  }

  /** Writes a file's state to the journal (no-op without a journal or before its fingerprint is known). */
  #record(entry: Entry, state: JournalState): void {
    const journal = this.#journal();
    const { info } = entry;
    if (!journal || !entry.key || !info.uploadId) return;
    this.#unrecordQueued(entry); // its upload exists now: the record below takes over
    holdPageLock();
    journal.put({
      key: entry.key,
      target: this.#target(),
      name: info.name,
      relativePath: info.relativePath,
      size: info.size,
      lastModified: info.lastModified,
      state,
      uploadId: info.uploadId,
      url: state === 'created' ? entry.url : undefined,
      expiresAt: state === 'created' ? entry.expiresAt : undefined,
      contentType: info.contentType,
      etag: info.etag,
      taskId: info.taskId,
      updatedAt: Date.now(),
      owner: pageSession,
    });
  }

  /** Journals a newly accepted file as `queued`, so that a reload can name it if it never starts. */
  #recordQueued(entry: Entry): void {
    if (optionsProblem(this.#options)) return; // no target yet
    const journal = this.#journal();
    if (!journal) return;
    const { info } = entry;
    entry.queuedKey = `${this.#target()}#queued#${duplicateKey(info)}`;
    holdPageLock();
    journal.put({
      key: entry.queuedKey,
      target: this.#target(),
      name: info.name,
      relativePath: info.relativePath,
      size: info.size,
      lastModified: info.lastModified,
      state: 'queued',
      uploadId: '',
      updatedAt: Date.now(),
      owner: pageSession,
    });
  }

  #unrecordQueued(entry: Entry): void {
    if (!entry.queuedKey) return;
    this.#journal()?.remove(entry.queuedKey);
    entry.queuedKey = undefined;
  }

  #forgetLost(): void {
    if (this.#lost.size === 0) return;
    for (const record of this.#lost.values()) {
      if (record.state === 'created') this.#forgetCreated(record);
      else this.#journal()?.remove(record.key);
    }
    this.#lost.clear();
    this.#changed();
  }

  /** A `created` record from before a reload whose upload will not be confirmed now: cancels it, or the next reload names the file again. */
  #forgetCreated(record: JournalRecord): void {
    this.#journal()?.remove(record.key);
    this.#created.delete(record.key);
    this.#discard(record.uploadId);
  }

  #journal(): Journal | undefined {
    if (this.#journalStore === undefined) {
      const option = this.#options.journal;
      this.#journalStore =
        option === false ? false : (option ?? (typeof indexedDB !== 'undefined' ? createIdbJournal() : createMemoryJournal()));
    }
    return this.#journalStore || undefined;
  }

  /** The upload target a journal record belongs to. */
  #target(): string {
    const { apiUrl, bucket, namespace } = this.#options;
    return `${apiUrl}|${bucket}|${namespace ?? ''}`;
  }

  // ---- state -------------------------------------------------------------------------------

  #setStatus(entry: Entry, status: FileStatus): void {
    const from = entry.info.status;
    if (from === status) return;
    if (!canTransition(from, status)) throw new Error(`Internal error: ${entry.info.fileId} cannot go from ${from} to ${status}.`);
    this.#bump(from, -1);
    this.#bump(status, 1);
    entry.info.status = status;
    if (isFinal(status)) entry.hashing?.abort();
    if (status === 'done') this.#record(entry, 'confirmed');
    else if (status === 'failed' || status === 'canceled') {
      if (entry.key) this.#journal()?.remove(entry.key);
      this.#unrecordQueued(entry);
    }
    this.#changed();
  }

  #fail(entry: Entry, code: UploaderErrorCode, error: unknown): void {
    if (isFinal(entry.info.status)) return;
    const message = messageOf(error);
    const status = httpStatusOf(error);
    entry.info.error = status === undefined ? { code, message, cause: error } : { code, message, status, cause: error };
    const unconfirmed = preConfirm.has(entry.info.status) || entry.info.status === 'uploaded';
    this.#setStatus(entry, 'failed');
    // Its bytes will never be confirmed under this upload id (retry() creates a new one).
    if (unconfirmed) this.#discard(entry.info.uploadId);
    this.#dequeue(entry);
    this.#emit('mixpeek-file-error', { fileId: entry.info.fileId, name: entry.info.name, code, message, status, cause: error });
  }

  /**
   * Cancels an upload at Mixpeek (`DELETE …/uploads/{id}`) that will never be confirmed, so it
   * does not stay PENDING; without waiting, and failures ignored (Mixpeek expires it anyway).
   */
  #discard(uploadId: string | undefined): void {
    if (uploadId)
      this.#api()
        .deleteUpload(uploadId)
        .catch(() => undefined);
  }

  #count(status: FileStatus): number {
    return this.#counts.get(status) ?? 0;
  }

  #bump(status: FileStatus, by: number): void {
    this.#counts.set(status, this.#count(status) + by);
  }

  #progress(entry: Entry, bytes: number): void {
    const clamped = Math.min(Math.max(bytes, 0), entry.info.size);
    if (entry.info.bytesSent !== clamped) {
      entry.info.bytesSent = clamped;
      // Below what was stored before (a PUT redone from the start): no progress event, a view change.
      if (clamped <= entry.info.bytesUploaded) this.#changed();
    }
    if (clamped <= entry.info.bytesUploaded) return;
    entry.info.bytesUploaded = clamped;
    this.#dirty.add(entry);
    this.#progressTimer ??= setTimeout(() => this.#flushProgress(), this.#options.progressInterval);
  }

  /** Emits pending progress events (of one entry, or all). */
  #flushProgress(only?: Entry): void {
    const entries = only ? (this.#dirty.has(only) ? [only] : []) : [...this.#dirty];
    if (!only) {
      clearTimeout(this.#progressTimer);
      this.#progressTimer = undefined;
    }
    for (const entry of entries) {
      this.#dirty.delete(entry);
      this.#report(entry);
      this.#emit('mixpeek-upload-progress', {
        fileId: entry.info.fileId,
        bytesUploaded: entry.reported,
        bytesTotal: entry.info.size,
        totalBytesUploaded: this.#bytesReported,
        totalBytes: this.#bytesTotal,
      });
    }
    if (entries.length > 0) this.#changed();
  }

  #report(entry: Entry): void {
    this.#bytesReported += entry.info.bytesUploaded - entry.reported;
    entry.reported = entry.info.bytesUploaded;
  }

  #emit<K extends MixpeekEventName>(name: K, detail: MixpeekEventDetails[K]): void {
    this.dispatchEvent(new CustomEvent(name, { detail }));
  }

  /** Signals views, at most once per microtask. */
  #changed(): void {
    if (this.#changeQueued) return;
    this.#changeQueued = true;
    queueMicrotask(() => {
      this.#changeQueued = false;
      this.dispatchEvent(new Event('change'));
    });
  }

  #api(): MixpeekClient {
    const { apiUrl, bucket, namespace, apiKey, getHeaders, fetch, retry } = this.#options;
    // A route's Retry-After and that the API has answered outlive the client (the element
    // configures at every add and upload; a framework may pass new getHeaders at each render).
    if (this.#apiMemory?.apiUrl !== apiUrl) this.#apiMemory = { apiUrl, memory: newClientMemory() };
    const { memory } = this.#apiMemory;
    this.#client ??= new MixpeekClient({
      apiUrl,
      bucket,
      namespace,
      apiKey,
      getHeaders,
      fetch,
      retry,
      connectivity: this.#connectivity,
      memory,
    });
    return this.#client;
  }

  #md5(): Hasher {
    this.#hasher ??= this.#options.hasher ?? deferredWorkerHasher();
    return this.#hasher;
  }

  #transferer(): Transfer {
    const { createTransfer = deferredUppyTransfer, concurrency } = this.#options;
    if (this.#transfer && this.#transferConcurrency !== concurrency && this.#sending === 0) {
      this.#transfer.dispose();
      this.#transfer = undefined;
    }
    this.#transfer ??= createTransfer({ concurrency });
    this.#transferConcurrency = concurrency;
    return this.#transfer;
  }
}

/** Creates a headless engine (the same one the element uses), for people who bring their own UI. */
/** The HTTP status of the API answer behind a failure (its own, or its `cause`'s), if the API answered. */
function httpStatusOf(error: unknown): number | undefined {
  for (let e = error, depth = 0; e && depth < 3; e = (e as { cause?: unknown }).cause, depth += 1)
    if (e instanceof MixpeekApiError) return e.status;
  return undefined;
}

export function createUploader(options: Partial<UploaderOptions> = {}): Uploader {
  return new Uploader(options);
}

/** What makes options unusable for `upload()`, in words for people; `null` when they are fine. */
export function optionsProblem(o: UploaderOptions): string | null {
  if (!o.bucket) return 'Set a bucket before uploading.';
  if (!(Number.isInteger(o.batchSize) && o.batchSize >= 1 && o.batchSize <= 100)) {
    return `batch-size must be a whole number from 1 to 100, not ${o.batchSize}.`;
  }
  if (!(Number.isInteger(o.concurrency) && o.concurrency >= 1)) {
    return `concurrency must be a whole number of 1 or more, not ${o.concurrency}.`;
  }
  for (const [name, value] of [
    ['max-file-size', o.maxFileSize],
    ['max-files', o.maxFiles],
  ] as const) {
    if (value != null && !(Number.isFinite(value) && value >= 0)) return `${name} must be a number of 0 or more, not ${value}.`;
  }
  return null;
}

/**
 * The items of a refused batch create that Mixpeek named in its 422 (`loc: ["body",
 * "uploads", i, …]` in FastAPI's `detail`), with an error for each; `undefined` when the
 * refusal names no item, so the whole batch failed.
 */
function refusedItems(error: unknown, count: number): Map<number, Error> | undefined {
  if (!(error instanceof MixpeekApiError) || error.status !== 422 || !Array.isArray(error.details)) return undefined;
  const refused = new Map<number, Error>();
  for (const d of error.details as { loc?: unknown[]; msg?: unknown }[]) {
    const [where, list, index, ...field] = Array.isArray(d.loc) ? d.loc : [];
    if (where !== 'body' || list !== 'uploads' || typeof index !== 'number' || index < 0 || index >= count) return undefined;
    refused.set(index, new Error(`Mixpeek refused ${field.join('.') || 'this file'}: ${String(d.msg ?? 'invalid')}`));
  }
  return refused.size > 0 && refused.size < count ? refused : undefined;
}

/** The error for a file that cannot be read (as browsers report a file changed since selection). */
/** What reading the file's first byte throws (e.g. `NotReadableError` once it changed on disk), if anything. */
async function readFailure(file: Blob): Promise<unknown> {
  try {
    await file.slice(0, 1).arrayBuffer();
    return undefined;
  } catch (error) {
    return error ?? new Error('the file could not be read');
  }
}

function unreadable(name: string, error: unknown): Error {
  const reason = messageOf(error);
  const changed = /NotReadable|changed/i.test(`${(error as Error | undefined)?.name} ${reason}`)
    ? ' It changed since it was selected, or can no longer be read; select it again.'
    : '';
  return new Error(`"${name}" was not uploaded: ${reason.replace(/\.+$/, '')}.${changed}`);
}
