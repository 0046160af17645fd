/**
 * The headless upload engine: everything `<mixpeek-uploader>` does, without a view. This file is
 * its public face (methods, getters, events) and the wiring of the modules that do the work:
 *
 * - intake.ts: `addFiles` checks, slices, content comparison;
 * - restore.ts: the journal of an earlier page (after a reload);
 * - scheduler.ts: what starts next, and when the run is done;
 * - create-batches.ts → put.ts (+ put-failures.ts, url-lifetime.ts) → hashing.ts →
 *   confirm-batches.ts → tasks.ts (+ task-poller.ts): one file's way to Mixpeek;
 * - context.ts (shared state), file-table.ts, progress.ts, journal-sync.ts.
 *
 * Pipeline (Mixpeek "Bucket Uploads" routes, OpenAPI 0.81): batch-create uploads, PUT each file
 * to its `presigned_url` while a worker computes its MD5, batch-confirm `{upload_id, etag,
 * file_size_bytes}`, poll each confirm's task until it ends.
 */
import { MixpeekUploaderError } from '../errors.ts';
import type { BatchInfo, MixpeekEventMap, UploadFileInfo, UploadSummary } from '../events.ts';
import { EngineContext } from './context.ts';
import { missingPart } from './create-batches.ts';
import { offer } from './intake.ts';
import { type FileWithPath, type UploaderOptions, defaultOptions, optionsProblem } from './options.ts';
import { forgetLost } from './recovered.ts';
import { finishRun, pump, summary } from './scheduler.ts';
import { isFinal } from './status.ts';
import { duplicateKey } from './file-rules.ts';

export { defaultOptions, optionsProblem, type FileWithPath, type UploaderOptions } from './options.ts';

/** The engine's events: the element's `CustomEvent`s (events.ts) and a plain `change`. */
export interface UploaderEventMap extends MixpeekEventMap {
  /** Anything a view shows has changed (at most once per microtask). */
  change: Event;
}

export interface Uploader {
  addEventListener<K extends keyof UploaderEventMap>(
    type: K,
    listener: (this: Uploader, event: UploaderEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof UploaderEventMap>(
    type: K,
    listener: (this: Uploader, event: UploaderEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

/**
 * The headless engine. An `EventTarget` that dispatches the same `CustomEvent`s as the element
 * (`mixpeek-file-added`, …, `mixpeek-complete`; see `events.ts`), plus a plain `change` event
 * whenever anything a view shows has changed.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface above only types addEventListener
export class Uploader extends EventTarget {
  readonly #ctx: EngineContext;
  #restoring: Promise<void> | undefined;
  #error: MixpeekUploaderError | undefined;

  constructor(options: Partial<UploaderOptions> = {}) {
    super();
    const ctx = new EngineContext({ ...defaultOptions, ...options }, this);
    this.#ctx = ctx;
    ctx.pump = () => pump(ctx);
    ctx.onAdded = () => {
      // A refusal to start (bad options) is kept in `error` for the view; nothing is lost.
      if (ctx.options.autoUpload || this.running) this.#run().catch(() => undefined);
    };
    ctx.connectivity.addEventListener('change', () => {
      ctx.changed();
      if (ctx.connectivity.online) ctx.pump();
    });
  }

  /**
   * False while requests get no answer at all (network lost, whatever `navigator.onLine`
   * says); the engine then waits and goes on by itself when answers come back.
   */
  get online(): boolean {
    return this.#ctx.connectivity.online;
  }

  /** Current options (a copy). */
  get options(): UploaderOptions {
    return { ...this.#ctx.options };
  }

  /**
   * Changes options. Only what is made from a changed option is made again (the API client
   * follows every change and keeps what it learned; transfer settings apply to the next PUTs
   * once none is in flight).
   */
  configure(options: Partial<UploaderOptions>): void {
    this.#ctx.configure({ ...this.#ctx.options, ...options });
  }

  /**
   * Files an earlier page had queued or was sending when it went away (from the journal, after
   * `restore()`): their bytes went with that page, so the person must add them again. A file
   * leaves this list when it is added again; the list empties when an upload starts or on
   * `clear()`.
   */
  get lost(): readonly Pick<UploadFileInfo, 'name' | 'relativePath' | 'size' | 'lastModified'>[] {
    return [...this.#ctx.recovered.lost.values()].map(({ name, relativePath, size, lastModified }) =>
      Object.freeze({ name, relativePath, size, lastModified }),
    );
  }

  /** All files, in the order they were added: frozen snapshots (made again only for files that changed). */
  get files(): Readonly<UploadFileInfo>[] {
    return this.#ctx.table.snapshots();
  }

  /** Batch confirms sent so far (copies). */
  get batches(): BatchInfo[] {
    return this.#ctx.batches.map((b) => ({ ...b, uploadIds: [...b.uploadIds] }));
  }

  /**
   * True between `upload()` (or `autoUpload`) and the moment everything has reached a final
   * state. False while a run only finishes what an earlier page left (`restore()`): files added
   * then wait for `upload()`, unless `autoUpload`.
   */
  get running(): boolean {
    return this.#ctx.run !== undefined && !this.#ctx.run.restoreOnly;
  }

  /** True after `pause()` of the whole engine until `resume()`; a single file's pause is `UploadFileInfo.paused`. */
  get paused(): boolean {
    return this.#ctx.paused;
  }

  /** Why the last `upload()` could not start (unusable options), until the next one does. */
  get error(): MixpeekUploaderError | undefined {
    return this.#error;
  }

  /**
   * Totals for an overall progress view. `bytesTotal` leaves out `skipped` files (Mixpeek had
   * them), whose bytes are `bytesSaved`.
   */
  get totals(): {
    bytesUploaded: number;
    bytesTotal: number;
    files: number;
    done: number;
    failed: number;
    canceled: number;
    skipped: number;
    bytesSaved: number;
  } {
    const { table } = this.#ctx;
    return {
      bytesUploaded: table.bytes.reported,
      bytesTotal: table.bytes.total,
      files: table.size,
      done: table.count('done'),
      failed: table.count('failed'),
      canceled: table.count('canceled'),
      skipped: table.count('skipped'),
      bytesSaved: table.bytes.skipped,
    };
  }

  /**
   * Adds files. Each is checked (empty, too large, not accepted, too many, duplicate): refused
   * files get a `mixpeek-file-rejected` event and disturb nothing else; accepted ones get
   * `mixpeek-file-added`. Starts uploading when `autoUpload` is on or a run is under way.
   * Returns the files accepted at once (frozen snapshots). Decided a moment later, with their
   * events: files past the first 1,000 of one call (taken in slices between frames, so the page
   * stays responsive), and a file without a folder path that has the name, size and date of one
   * in the list (added or refused once their bytes are compared). A run under way waits for them.
   */
  addFiles(files: FileList | Iterable<File | FileWithPath>): Readonly<UploadFileInfo>[] {
    return offer(this.#ctx, files as Iterable<File | FileWithPath>);
  }

  /**
   * Uploads, confirms and tracks every queued file. Resolves when every file has reached a
   * final state (`done`, `failed` or `canceled`), with the same summary as `mixpeek-complete`.
   * Calling it while a run is under way returns that run's promise. Failures of single files
   * are reported in events and the summary; it rejects only for unusable options
   * (`MixpeekUploaderError` with code `invalid-options`). No upload is created before the
   * journal of an earlier page has been read (see `restore()`).
   */
  upload(): Promise<UploadSummary> {
    const ctx = this.#ctx;
    // The person moves on without the files named lost: their uploads are canceled, once the
    // journal has told which they are.
    if (ctx.journalSettled) forgetLost(ctx);
    else void this.restore().then(() => forgetLost(ctx));
    return this.#run();
  }

  #run(restoreOnly = false): Promise<UploadSummary> {
    const ctx = this.#ctx;
    if (ctx.run) {
      if (!restoreOnly) ctx.run.restoreOnly = false; // upload() during a restore's run: new files join it
      ctx.pump();
      return ctx.run.promise;
    }
    const problem = optionsProblem(ctx.options);
    this.#error = problem ? new MixpeekUploaderError('invalid-options', problem) : undefined;
    ctx.changed();
    if (this.#error) return Promise.reject(this.#error);
    if (!restoreOnly) void this.restore(); // files wait for the journal before their creates
    void this.preload(); // beside the first batch create, not after it
    let resolve!: (s: UploadSummary) => void;
    const promise = new Promise<UploadSummary>((r) => (resolve = r));
    ctx.run = { promise, resolve, restoreOnly };
    if (ctx.session.signal.aborted) ctx.session = new AbortController();
    ctx.changed();
    ctx.pump();
    return promise;
  }

  /**
   * Pauses everything (or only the file `fileId`): no new PUT starts, and PUTs in flight are
   * aborted and redone from the start on `resume()` (a presigned PUT cannot continue where it
   * stopped). Not an error: no `mixpeek-file-error`. Confirmations already under way go on, and
   * so does hashing, but no further than 16 MiB past what a paused file's PUT had sent (see
   * hash-pace.ts).
   */
  pause(fileId?: string): void {
    const ctx = this.#ctx;
    const targets = fileId === undefined ? [...ctx.table.values()] : [ctx.table.get(fileId)].filter((e) => e !== undefined);
    if (fileId === undefined) {
      if (ctx.paused) return;
      ctx.paused = true;
    } else {
      for (const e of targets) ctx.update(e, { paused: true });
    }
    for (const entry of targets) {
      if (entry.info.status === 'uploading' && entry.controller && !entry.stored) {
        entry.controller.abort();
        entry.controller = undefined;
        ctx.update(entry, { bytesSent: 0 }); // redone from the start on resume
      }
    }
    ctx.changed();
  }

  /** Continues after `pause()` (everything, or only the file `fileId`). */
  resume(fileId?: string): void {
    const ctx = this.#ctx;
    if (fileId === undefined) ctx.paused = false;
    else {
      const entry = ctx.table.get(fileId);
      if (entry) ctx.update(entry, { paused: false });
    }
    ctx.changed();
    ctx.pump();
  }

  /**
   * Stops everything not yet confirmed (or only the file `fileId`): aborts its transfer, marks
   * it `canceled`, and deletes its Mixpeek upload (`DELETE …/uploads/{id}`) so nothing stays
   * PENDING. Uploads already confirmed cannot be canceled (Mixpeek refuses COMPLETED uploads)
   * and are tracked to the end. Cancellation is not an error: no `mixpeek-file-error`.
   */
  cancel(fileId?: string): void {
    const ctx = this.#ctx;
    const all = fileId === undefined;
    if (all) {
      ctx.session.abort(); // stops hashing and backoff waits too
      ctx.checkEpoch += 1; // files still being compared are not added
      ctx.offeredToCancel = ctx.offered?.length ?? 0; // files still offered are listed as canceled
    }
    for (const entry of all ? ctx.table.values() : [ctx.table.get(fileId)].filter((e) => e !== undefined)) {
      const { status, uploadId } = entry.info;
      if (isFinal(status) || status === 'processing' || status === 'confirming') continue;
      entry.controller?.abort();
      ctx.discard(uploadId);
      ctx.setStatus(entry, 'canceled');
      if (!all) ctx.dequeue(entry);
    }
    if (all) {
      // Every queued entry was just canceled (confirming and processing ones are in no queue).
      ctx.toCreate = [];
      ctx.toSend = [];
      ctx.toConfirm = [];
      ctx.renewalsHoldingSlots.clear();
      ctx.paused = false;
      ctx.session = new AbortController();
    }
    ctx.changed();
    ctx.pump();
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
    const ctx = this.#ctx;
    for (const entry of ctx.table.values()) {
      if (!wanted(entry.info)) continue;
      if ((entry.info.status !== 'failed' && entry.info.status !== 'canceled') || !entry.info.file) continue;
      ctx.update(entry, { uploadId: undefined, etag: undefined, taskId: undefined, objectId: undefined, error: undefined });
      Object.assign(entry, { url: undefined, expiresAt: undefined, stored: false, putFailures: 0, renewals: 0, waitRenewals: 0 });
      ctx.setStatus(entry, 'queued');
      ctx.toCreate.push(entry);
    }
    return this.upload();
  }

  /** Removes a file that is not on its way (queued, done, failed or canceled). Returns true if removed. */
  removeFile(fileId: string): boolean {
    const ctx = this.#ctx;
    const entry = ctx.table.get(fileId);
    if (!entry || !(entry.info.status === 'queued' || isFinal(entry.info.status))) return false;
    ctx.remove(entry);
    // Removed before its create: the record it was to replace is named lost again (upload() or
    // clear() then cancels its upload).
    if (entry.replaces) ctx.recovered.lost.set(duplicateKey(entry.replaces), entry.replaces);
    ctx.pump();
    return true;
  }

  /**
   * Cancels everything not yet confirmed (their uploads deleted at Mixpeek, as `cancel()`) and
   * forgets every file that is not on its way, the journal's `queued` records and `lost` (a form
   * reset). No `mixpeek-file-error`.
   */
  clear(): void {
    this.cancel();
    for (const entry of [...this.#ctx.table.values()]) this.removeFile(entry.info.fileId);
    forgetLost(this.#ctx);
  }

  /**
   * Stops everything (task polls too: files still processing at Mixpeek stay `processing`) and
   * frees workers and the transfer; a run under way ends with `mixpeek-complete`.
   */
  dispose(): void {
    this.cancel();
    this.#ctx.dispose();
    finishRun(this.#ctx);
  }

  /** A snapshot for `upload()`'s result and `mixpeek-complete`. */
  summary(): UploadSummary {
    return summary(this.#ctx);
  }

  /**
   * Starts loading the default transfer (Uppy) and hasher (the worker pool) when the options use
   * them, and the duplicate check: in the script-tag build each is a chunk of its own. Runs call it when they start; the
   * element calls it once the page is idle. Resolves once both are loaded (or failed: it never
   * rejects; a load that fails shows on first use, as an `upload-failed` error on the files that
   * needed it).
   */
  async preload(): Promise<void> {
    await missingPart(this.#ctx);
  }

  /**
   * Picks up what an earlier page left in the journal for this API, bucket and namespace:
   * uploads stored but not confirmed are confirmed now, tasks still running are followed, and
   * confirmed files are remembered so that adding them again skips them with a notice, and
   * files whose bytes went with the old page fill `lost`. Files added before it ends wait for it
   * and are then judged as if added after. Runs once per upload target and page; does nothing
   * without a journal or with unusable options; `upload()` calls it too. Gives up after
   * `journalTimeout` ms (`mixpeek-journal-unavailable`). Resolves when the journal has been read
   * (never rejects); may start a run, with the usual events.
   */
  restore(): Promise<void> {
    const ctx = this.#ctx;
    if (!ctx.journal.journal || optionsProblem(ctx.options)) {
      if (!ctx.journal.journal) ctx.journalSettled = true;
      return Promise.resolve(); // nothing to read yet
    }
    // Loaded when first needed: reading the journal is not needed to draw the element.
    this.#restoring ??= import('./restore.ts')
      .then(({ restore }) => restore(ctx))
      .then(
        ({ work }) => {
          if (work) void this.#run(true).catch(() => undefined);
        },
        () => {
          ctx.journalSettled = true; // the code could not be loaded: go on without the journal
          ctx.emit('mixpeek-journal-unavailable', { reason: 'The code that reads the upload journal could not be loaded.' });
          ctx.pump();
        },
      );
    return this.#restoring;
  }
}

/** Creates a headless engine (the same one the element uses), for people who bring their own UI. */
export function createUploader(options: Partial<UploaderOptions> = {}): Uploader {
  return new Uploader(options);
}
