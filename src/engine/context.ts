/**
 * The engine's shared state: the file table, the queues between pipeline steps, what is in
 * flight, the clients (API, hasher, transfer) and the few actions every step needs (fail a
 * file, cancel an upload at Mixpeek, emit an event). Feature modules read and change it; the
 * facade (uploader.ts) owns it.
 */
import { MixpeekClient } from '../api/client.ts';
import { Connectivity } from '../api/connectivity.ts';
import { MixpeekApiError, type UploaderErrorCode, messageOf } from '../errors.ts';
import type { BatchInfo, MixpeekEventDetails, MixpeekEventName, UploadFileInfo, UploadSummary } from '../events.ts';
import type { Hasher } from '../hash/hasher.ts';
import type { Transfer } from '../transfer/types.ts';
import { deferredUppyTransfer, deferredWorkerHasher } from './deferred.ts';
import type { Entry } from './entry.ts';
import { FileTable } from './file-table.ts';
import type { JournalRecord } from './journal.ts';
import { JournalSync } from './journal-sync.ts';
import { type FileWithPath, type UploaderOptions, optionsProblem, targetOf } from './options.ts';
import { Progress } from './progress.ts';
import { type FileStatus, isFinal } from './status.ts';
import { ThroughputMeter } from './throughput.ts';

/** Statuses before a file's upload is confirmed. */
export const preConfirm: ReadonlySet<FileStatus> = new Set(['creating', 'uploading', 'hashing']);

/** The run under way (see scheduler.ts). */
export interface Run {
  promise: Promise<UploadSummary>;
  resolve: (summary: UploadSummary) => void;
  /** It only finishes what an earlier page left (see restore.ts): new files wait for `upload()`. */
  restoreOnly: boolean;
  /** `mixpeek-uploads-confirmed` was sent for this run. */
  confirmedAll?: boolean | undefined;
}

/** What the journal of an earlier page told (see restore.ts). */
export interface Recovered {
  /** Files confirmed or on their way, by duplicate key: adding them again is refused. */
  known: Map<string, JournalRecord>;
  /** Uploads created before the reload whose URL may still be alive, by journal key. */
  created: Map<string, JournalRecord>;
  /** Files whose bytes went with the old page, by duplicate key. */
  lost: Map<string, JournalRecord>;
}

/** The engine's shared state and the actions every pipeline step needs (one per `Uploader`). */
export class EngineContext {
  options: UploaderOptions;
  readonly table: FileTable;
  readonly journal: JournalSync;
  readonly progress: Progress;
  readonly connectivity = new Connectivity();
  readonly throughput = new ThroughputMeter();
  /** The last URL lifetime Mixpeek gave, ms (`expires_at` − the time of the answer). */
  urlLifetime: number | undefined;
  /** Files waiting for a create, for a PUT, for a confirm. */
  toCreate: Entry[] = [];
  toSend: Entry[] = [];
  toConfirm: Entry[] = [];
  /** Requests and PUTs in flight. */
  creating = false;
  /** Batch confirms in flight. */
  confirming = 0;
  sending = 0;
  /** Tasks being followed. */
  polls = 0;
  /** Timer of the earliest confirmation due (see `confirmDue`). */
  readonly confirmTimer: { id?: ReturnType<typeof setTimeout> | undefined } = {};
  /** Files whose URL was renewed as their turn came: each holds a transfer slot until its new URL comes. */
  readonly renewalsHoldingSlots = new Set<Entry>();
  /** Batch confirms sent so far. */
  readonly batches: BatchInfo[] = [];
  run: Run | undefined;
  paused = false;
  /** Aborted by `cancel()` of everything: hashing and backoff waits stop. */
  session = new AbortController();
  /** Aborted by `dispose()`: task polls stop too (then made anew). */
  disposal = new AbortController();
  /** Creates of this engine answered `is_duplicate` or `skipped_unique_key` (see duplicates.ts). */
  skippedByMixpeek = 0;
  /** Storage has answered a PUT of this engine at least once (any status). */
  storageAnswered = false;
  readonly recovered: Recovered = { known: new Map(), created: new Map(), lost: new Map() };
  /** Files being compared with same-key ones before they are added (intake.ts), by duplicate key. */
  readonly comparing = new Map<string, Set<File>>();
  /** Calls of `cancel()` of everything: a comparison that ends after one adds nothing. */
  checkEpoch = 0;
  /** False until the journal has been read or given up on: no create is sent before. */
  journalSettled = false;
  /** Offered files not taken yet (intake.ts takes large offers in slices). */
  offered: (File | FileWithPath)[] | undefined;
  /** How many of the first `offered` files came before a `cancel()`: they are taken as canceled. */
  offeredToCancel = 0;
  /** Calls the scheduler (set by the facade). */
  pump: () => void = () => undefined;
  /** Called when files were accepted (set by the facade: starts or joins a run). */
  onAdded: () => void = () => undefined;

  #client: MixpeekClient | undefined;
  #hasher: Hasher | undefined;
  #transfer: Transfer | undefined;
  #transferConcurrency = 0;
  #changeQueued = false;
  readonly #events: EventTarget;

  constructor(options: UploaderOptions, events: EventTarget) {
    this.options = options;
    this.#events = events;
    this.table = new FileTable((entry, _from, to) => this.#statusChanged(entry, to));
    this.journal = new JournalSync(
      () => this.options.journal,
      () => (optionsProblem(this.options) ? undefined : targetOf(this.options)),
    );
    this.progress = new Progress(
      this.table,
      () => this.options.progressInterval,
      (detail) => this.emit('mixpeek-upload-progress', detail),
      () => this.changed(),
    );
  }

  /** The upload target (`apiUrl|bucket|namespace`). */
  get target(): string {
    return targetOf(this.options);
  }

  emit<K extends MixpeekEventName>(name: K, detail: MixpeekEventDetails[K]): void {
    this.#events.dispatchEvent(new CustomEvent(name, { detail }));
  }

  /** Signals views (a plain `change` event), at most once per microtask. */
  changed(): void {
    if (this.#changeQueued) return;
    this.#changeQueued = true;
    queueMicrotask(() => {
      this.#changeQueued = false;
      this.#events.dispatchEvent(new Event('change'));
    });
  }

  setStatus(entry: Entry, status: FileStatus): void {
    this.table.setStatus(entry, status);
    this.changed();
  }

  /** Changes fields of a file's `info` (its snapshot is made anew). */
  update(entry: Entry, patch: Partial<UploadFileInfo>): void {
    Object.assign(entry.info, patch);
    this.table.touch(entry);
  }

  #statusChanged(entry: Entry, to: FileStatus): void {
    if (isFinal(to)) entry.hashing?.abort();
    // A skipped file is in Mixpeek as surely as a confirmed one: added again, it is refused.
    if (to === 'done' || to === 'skipped') this.journal.record(entry, 'confirmed');
    else if (to === 'failed' || to === 'canceled') this.journal.forget(entry);
  }

  /**
   * Fails a file: `mixpeek-file-error` with `code`, the reason in words, the API's HTTP status
   * when it answered, and the error as `cause`; its upload, if never confirmed, is canceled at
   * Mixpeek. No-op once final.
   */
  fail(entry: Entry, code: UploaderErrorCode, error: unknown): void {
    if (isFinal(entry.info.status)) return;
    const message = messageOf(error);
    const status = httpStatusOf(error);
    this.update(entry, { error: status === undefined ? { code, message, cause: error } : { code, message, status, cause: error } });
    const unconfirmed = preConfirm.has(entry.info.status) || entry.info.status === 'uploaded';
    this.setStatus(entry, 'failed');
    // Its bytes will never be confirmed under this upload id (retry() creates a new one).
    if (unconfirmed) this.discard(entry.info.uploadId);
    this.dequeue(entry);
    this.emit('mixpeek-file-error', { fileId: entry.info.fileId, name: entry.info.name, code, message, status, cause: error });
  }

  /**
   * Cancels an upload at Mixpeek (`DELETE …/uploads/{id}`) that will never be confirmed, so it
   * does not stay PENDING; without waiting, and failures ignored (Mixpeek expires it anyway).
   */
  discard(uploadId: string | undefined): void {
    if (uploadId)
      this.api()
        .deleteUpload(uploadId)
        .catch(() => undefined);
  }

  /** Takes a file out of the engine: table, queues, pending progress and its `queued` record. */
  remove(entry: Entry): void {
    this.table.delete(entry);
    this.progress.forget(entry);
    this.journal.unrecordQueued(entry);
    this.dequeue(entry);
    this.changed();
  }

  /** Takes a file out of every queue. */
  dequeue(entry: Entry): void {
    this.toCreate = this.toCreate.filter((e) => e !== entry);
    this.toSend = this.toSend.filter((e) => e !== entry);
    this.toConfirm = this.toConfirm.filter((e) => e !== entry);
    this.renewalsHoldingSlots.delete(entry);
  }

  /**
   * The API client: one per engine, reading the options at every request, so that what it
   * learns (a route's `Retry-After`, that the API answers) lasts while headers or the bucket
   * change (the element configures at every add; frameworks pass a new `getHeaders` each render).
   */
  api(): MixpeekClient {
    this.#client ??= new MixpeekClient(() => {
      const { apiUrl, bucket, namespace, apiKey, getHeaders, fetch, retry } = this.options;
      return { apiUrl, bucket, namespace, apiKey, getHeaders, fetch, retry, connectivity: this.connectivity };
    });
    return this.#client;
  }

  hasher(): Hasher {
    this.#hasher ??= this.options.hasher ?? deferredWorkerHasher();
    return this.#hasher;
  }

  /** The transfer; made again for a new `concurrency` once no PUT is in flight. */
  transfer(): Transfer {
    const { createTransfer = deferredUppyTransfer, concurrency } = this.options;
    if (this.#transfer && this.#transferConcurrency !== concurrency && this.sending === 0) {
      this.#transfer.dispose();
      this.#transfer = undefined;
    }
    this.#transfer ??= createTransfer({ concurrency });
    this.#transferConcurrency = concurrency;
    return this.#transfer;
  }

  /** Applies new options: only the parts made from changed ones are made again. */
  configure(next: UploaderOptions): void {
    const before = this.options;
    this.options = next;
    if (next.hasher !== before.hasher) {
      if (!before.hasher) this.#hasher?.dispose?.();
      this.#hasher = undefined;
    }
    if (next.createTransfer !== before.createTransfer && this.sending === 0) {
      this.#transfer?.dispose();
      this.#transfer = undefined;
    }
  }

  /** Frees workers and the transfer. */
  dispose(): void {
    this.disposal.abort();
    this.disposal = new AbortController(); // an engine used again follows its tasks again
    clearTimeout(this.confirmTimer.id);
    this.progress.flush();
    this.#hasher?.dispose?.();
    this.#transfer?.dispose();
    this.#hasher = undefined;
    this.#transfer = undefined;
  }
}

/** The HTTP status of the API answer behind a failure (its own, or its `cause`'s), if the API answered. */
function httpStatusOf(error: unknown): number | undefined {
  for (let e = error, depth = 0; e && depth < 3; e = (e as { cause?: unknown }).cause, depth += 1) {
    if (e instanceof MixpeekApiError) return e.status;
  }
  return undefined;
}
