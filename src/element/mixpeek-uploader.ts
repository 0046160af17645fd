import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { flow as Flow } from '@lit-labs/virtualizer/layouts/flow.js';
import type { virtualize as Virtualize } from '@lit-labs/virtualizer/virtualize.js';
import type { CreateUploadRequest } from '../api/types.ts';
import { MAX_SINGLE_PUT_BYTES } from '../engine/file-rules.ts';
import type { SkipDuplicates } from '../engine/options.ts';
import { defaultOptions, type FileWithPath, type UploaderOptions } from '../engine/uploader.ts';
import type { FileRejectedDetail, UploadFileInfo, UploadSummary } from '../events.ts';
import { currentSetupProblem, renderBanner } from './banner.ts';
import { filesFromDataTransfer } from './drop.ts';
import { EngineController } from './engine-controller.ts';
import { actionIcon } from './icons.ts';
import { describeLimits } from './limits.ts';
import { builtInStrings } from './locales/index.ts';
import { setupProblemOf } from './problems.ts';
import { inFlight, type RowContext, reasonText, renderRow } from './row.ts';
import { SpeedMeter } from './speed-meter.ts';
import { formatExactSize, formatNames, formatSize, stringsFor, type UploaderStrings } from './strings.ts';
import { phaseText } from './summary.ts';
import { styles } from './styles.ts';

/** Refusals listed in the notice at most (the count says how many in all). */
const NOTICE_ITEMS = 50;

/**
 * Rows drawn plainly while the virtual list is still loading (for a moment after first paint,
 * if files come that early): the first ones, as many as fit the list's height.
 */
const LIST_BEFORE_VIRTUALIZER = 50;

/**
 * `<mixpeek-uploader>`: takes files (picker, folder picker, drop of files and folders, paste)
 * and uploads them into a Mixpeek bucket: batch create (≤ 100 per request) → presigned PUT of
 * each file → MD5 in a worker → batch confirm (≤ 100 per request) → task polling until Mixpeek's
 * processing ends. A thin view over the headless engine (`Uploader`, reachable as `.engine`).
 *
 * Form-associated: inside a `<form>`, its value is one `FormData` entry per confirmed upload
 * under its `name`, each the JSON `{"upload_id":…,"object_id":…}`; `required` makes the form
 * invalid until one upload is confirmed; form reset clears it.
 *
 * @fires {CustomEvent<FileAddedDetail>} mixpeek-file-added - `{ file }`: a file was accepted into the queue
 * @fires {CustomEvent<FileRejectedDetail>} mixpeek-file-rejected - `{ name, size, code, message }`: a file was refused (`empty-file`, `too-large`, `type-not-accepted`, `too-many-files`, `duplicate`)
 * @fires {CustomEvent<UploadProgressDetail>} mixpeek-upload-progress - `{ fileId, bytesUploaded, bytesTotal, totalBytesUploaded, totalBytes }` (bytes; throttled; never decreases)
 * @fires {CustomEvent<FileUploadedDetail>} mixpeek-file-uploaded - `{ fileId, name, uploadId, etag, fileSizeBytes }`: bytes stored, MD5 known
 * @fires {CustomEvent<FileSkippedDetail>} mixpeek-file-skipped - `{ fileId, name, reason, uploadId, duplicateOf?, objectId?, bytesSaved }`: Mixpeek already has the file (`duplicate` or `unique-key`); nothing sent or confirmed
 * @fires {CustomEvent<FileErrorDetail>} mixpeek-file-error - `{ fileId, name, code, message, status?, cause? }`: a file failed (`status`: the API's HTTP status when it answered; `cause`: the original error)
 * @fires {CustomEvent<BatchConfirmedDetail>} mixpeek-batch-confirmed - `{ batch, confirmations, taskId, status }`: a batch confirm was accepted
 * @fires {CustomEvent<TaskUpdateDetail>} mixpeek-task-update - `{ taskId, status }`: a polled task changed status
 * @fires {CustomEvent<UploadsConfirmedDetail>} mixpeek-uploads-confirmed - `{ confirmed, failed, canceled, batches }`: every file of the run is confirmed to Mixpeek (or ended); only processing is left
 * @fires {CustomEvent<UploadSummary>} mixpeek-complete - `{ files, batches, confirmed, failed, canceled }`: everything added so far is final
 * @fires {CustomEvent<JournalUnavailableDetail>} mixpeek-journal-unavailable - `{ reason }`: uploads go on, but cannot resume after a reload (IndexedDB missing, blocked or slow)
 * @slot label - the drop zone's text
 * @slot empty - shown while no file has been added
 * @csspart banner - the one message for a setup problem (unreachable API, CORS, 401/403, unknown bucket or namespace, unusable options), at the top
 * @csspart dropzone - the drop target (a button that opens the file picker): the whole widget while it is empty, a strip above the list after
 * @csspart browse-button - the "Choose files" text inside the drop target
 * @csspart folder-button - the "Choose a folder" button
 * @csspart notice - refusals (duplicates, too large, …) and files to add again after a reload
 * @csspart clear-button - "Clear list", once a run has ended (confirmed uploads stay at Mixpeek)
 * @csspart summary - the overall progress line
 * @csspart file-list - the scrolling list of files (focusable, so keyboards can scroll it)
 * @csspart file - one file row
 * @csspart preview - a row's image thumbnail, or its file-kind icon
 * @csspart file-name - a row's file name (middle ellipsis keeping the extension; full name in `title`)
 * @csspart progress - a progress bar (overall, and per file while its bytes move)
 * @csspart error - a failed file's short reason
 * @cssproperty --mixpeek-uploader-accent - buttons, bars, focus ring
 * @cssproperty --mixpeek-uploader-background - background
 * @cssproperty --mixpeek-uploader-text - text colour
 * @cssproperty --mixpeek-uploader-border - drop-zone border
 * @cssproperty --mixpeek-uploader-radius - corner radius
 * @cssproperty --mixpeek-uploader-font - font shorthand
 * @cssproperty --mixpeek-uploader-spacing - base spacing
 * @cssproperty --mixpeek-uploader-error - error text, failed status and the banner
 * @cssproperty --mixpeek-uploader-success - confirmed status
 * @cssproperty --mixpeek-uploader-warning - the offline line
 * @cssproperty --mixpeek-uploader-icon - file-kind icons in rows (default: the muted text colour)
 * @cssproperty --mixpeek-uploader-dropzone-background - the drop target's background (default: a hint of the accent)
 * @cssproperty --mixpeek-uploader-preview-size - side of a row's thumbnail or icon (default 2.5rem; 1.75rem compact)
 * @cssproperty --mixpeek-uploader-list-height - the most the file list grows before it scrolls (default 22rem; 12rem compact)
 */
export class MixpeekUploader extends LitElement {
  static override styles = styles;
  static formAssociated = true;

  /** Base URL of a Mixpeek-compatible API (Mixpeek, your gateway route, or the emulator). */
  @property({ attribute: 'api-url' }) apiUrl = defaultOptions.apiUrl;
  /** `bucket_identifier` in the paths (required). */
  @property() bucket = '';
  /** Sent as `X-Namespace` on bucket routes. */
  @property() namespace?: string;
  /** Sent as `Authorization: Bearer …`. For local trials only: never ship a secret key in a page. */
  @property({ attribute: 'api-key' }) apiKey?: string;
  /** As on `<input type=file accept>`. */
  @property() accept?: string;
  /** Bytes; larger files are rejected. */
  @property({ attribute: 'max-file-size', type: Number }) maxFileSize?: number;
  /** Files per session at most. */
  @property({ attribute: 'max-files', type: Number }) maxFiles?: number;
  /** Parallel PUTs. */
  @property({ type: Number }) concurrency = defaultOptions.concurrency;
  /** Items per batch create and per batch confirm, 1..100. */
  @property({ attribute: 'batch-size', type: Number }) batchSize = defaultOptions.batchSize;
  /** Start as soon as files are added. */
  @property({ attribute: 'auto-upload', type: Boolean }) autoUpload = defaultOptions.autoUpload;
  /**
   * `"auto"` (default), `"always"` or `"never"`: whether each file's SHA-256 is sent with its
   * create (`file_hash`), so that files Mixpeek already has are not sent (see docs/headless.md).
   */
  @property({ attribute: 'skip-duplicates' }) skipDuplicates: SkipDuplicates = defaultOptions.skipDuplicates;
  /** Sent as `blob_property` on each create. */
  @property({ attribute: 'blob-property' }) blobProperty?: string;
  /** Extra headers for each API request (e.g. a session token for your gateway). */
  @property({ attribute: false }) getHeaders?: () => Record<string, string> | Promise<Record<string, string>>;
  /** Per-file create fields (`metadata`, `object_metadata`, `blob_property`, …). */
  @property({ attribute: false }) uploadParams?: (file: File) => Partial<CreateUploadRequest>;
  /** Language of the built-in strings (`en`, `de`, `fr`, `es`, `ja`); default the `lang` attribute, then the page's. */
  @property() locale?: string;
  /** Overrides of any built-in string (see `UploaderStrings`). */
  @property({ attribute: false }) strings?: Partial<UploaderStrings>;
  /** Form field name of the confirmed uploads. */
  @property({ reflect: true }) name = '';
  /** In a form: invalid until at least one upload is confirmed. */
  @property({ type: Boolean, reflect: true }) required = false;
  /** Refuses new files and hides the controls' actions. */
  @property({ type: Boolean, reflect: true }) disabled = false;
  /** A tighter layout. */
  @property({ type: Boolean, reflect: true }) compact = false;
  /** True while files are dragged over the element (reflected for styling). */
  @property({ type: Boolean, reflect: true }) dragover = false;

  @state() private announcement = '';

  readonly #controller = new EngineController(this);
  readonly #internals: ElementInternals | undefined = this.attachInternals?.();
  readonly #meter = new SpeedMeter();
  /** Bytes per second lately (see `SpeedMeter`). */
  #speed = 0;
  /** Why files were refused in the last `addFiles`, shown until the next add or upload. */
  #rejected: FileRejectedDetail[] = [];
  #announceTimer: ReturnType<typeof setTimeout> | undefined;
  /** Files added since the last announcement of additions. */
  #added = 0;
  #addedTimer: ReturnType<typeof setTimeout> | undefined;
  #pendingAnnouncements: string[] = [];
  /**
   * The virtual list, loaded after first paint with its layout (left to the virtualizer, a
   * layout that failed to load would leave the list empty): `loading`, the loaded directive, or
   * `failed` (every row is then drawn plainly; not tried again).
   */
  #list: 'loading' | 'failed' | { virtualize: typeof Virtualize; flow: typeof Flow } | undefined;

  /** The headless engine behind the element. */
  get engine() {
    return this.#controller.engine;
  }

  /**
   * The strings in use: the built-in table for the locale, with `strings` on top.
   * @internal
   */
  get t(): UploaderStrings {
    const lang = this.#lang() || document.documentElement.lang || navigator.language;
    return { ...stringsFor(lang, builtInStrings), ...this.strings };
  }

  constructor() {
    super();
    this.addEventListener('dragover', this.#onDragOver);
    this.addEventListener('dragleave', this.#onDragLeave);
    this.addEventListener('drop', this.#onDrop);
    this.addEventListener('paste', this.#onPaste);
    this.addEventListener('mixpeek-file-rejected', (e) => {
      // Drawn at once: a refusal decided after a comparison comes with no other change.
      this.#rejected.push(e.detail);
      this.requestUpdate();
    });
    // Counted as they come (a large add comes in slices), announced once they stop coming.
    this.addEventListener('mixpeek-file-added', () => {
      this.#added += 1;
      clearTimeout(this.#addedTimer);
      this.#addedTimer = setTimeout(() => {
        this.#announce(this.t.announceAdded(this.#added));
        this.#added = 0;
      }, 100);
    });
    this.addEventListener('mixpeek-upload-progress', (e) => {
      this.#speed = this.#meter.sample(e.detail.totalBytesUploaded);
    });
    this.addEventListener('mixpeek-batch-confirmed', (e) =>
      this.#announce(this.t.announceBatch(e.detail.batch, e.detail.confirmations.length)),
    );
    this.addEventListener('mixpeek-file-error', (e) => {
      const t = this.t;
      const setup = setupProblemOf(e.detail);
      const title = setup && setup !== 'invalid-options' ? t.setup[setup].title : undefined;
      this.#announce(t.announceError(e.detail.name, title ?? reasonText(e.detail, t)));
    });
    this.addEventListener('mixpeek-complete', (e) => {
      this.#meter.reset();
      this.#speed = 0;
      const { confirmed, failed, canceled } = e.detail;
      const t = this.t;
      this.#announce(t.announceComplete(confirmed, failed, canceled));
    });
  }

  /** Adds files (refused ones fire `mixpeek-file-rejected`); returns the accepted ones (see `Uploader.addFiles` for the few decided a moment later). */
  addFiles(files: FileList | Iterable<File | FileWithPath>): UploadFileInfo[] {
    if (this.disabled) return [];
    this.#sync();
    this.#rejected = [];
    const added = this.engine.addFiles(files);
    this.requestUpdate();
    return added;
  }

  /** Uploads every queued file; resolves when all are final. See `Uploader.upload`. */
  upload(): Promise<UploadSummary> {
    this.#sync();
    this.#rejected = [];
    return this.engine.upload();
  }

  /** Pauses transfers (in-flight PUTs are redone on resume). */
  pause(): void {
    this.engine.pause();
  }

  resume(): void {
    this.engine.resume();
  }

  /** Cancels everything not yet confirmed (or one file) and deletes those uploads. */
  cancel(fileId?: string): void {
    this.engine.cancel(fileId);
  }

  /** Uploads the failed files (or one failed or canceled file) again. See `Uploader.retry`. */
  retry(fileId?: string): Promise<UploadSummary> {
    this.#sync();
    return this.engine.retry(fileId);
  }

  /** Uploads every canceled file again. */
  retryCanceled(): Promise<UploadSummary> {
    this.#sync();
    return this.engine.retryCanceled();
  }

  /** Removes a file that is not on its way from the list (a confirmed one stays at Mixpeek). */
  removeFile(fileId: string): boolean {
    return this.engine.removeFile(fileId);
  }

  /** Empties the list: cancels what is not confirmed (see `Uploader.clear`); confirmed uploads stay at Mixpeek. */
  clear(): void {
    this.engine.clear();
    this.#rejected = [];
    this.requestUpdate();
  }

  override firstUpdated(): void {
    // What the first paint did not need (the virtual list, Uppy, the hashing workers) loads
    // once the page is idle, so it is there before anyone picks a file.
    (globalThis.requestIdleCallback ?? setTimeout)(() => {
      this.#loadList();
      void this.engine.preload();
    });
  }

  /** Loads @lit-labs/virtualizer (its own chunk in the script-tag build) and renders with it. */
  #loadList(): void {
    if (this.#list) return;
    this.#list = 'loading';
    Promise.all([import('@lit-labs/virtualizer/virtualize.js'), import('@lit-labs/virtualizer/layouts/flow.js')]).then(
      ([list, layout]) => {
        this.#list = { virtualize: list.virtualize, flow: layout.flow };
        this.requestUpdate();
      },
      () => {
        this.#list = 'failed';
        this.requestUpdate();
      },
    );
  }

  override updated(changed: Map<PropertyKey, unknown>): void {
    this.#updateFormState();
    // The list's height follows its rows (through the CSSOM: no style attribute under a strict CSP).
    this.renderRoot
      .querySelector<HTMLElement>('[part~=file-list]')
      ?.style.setProperty('--_rows', String(Math.min(this.engine.files.length, 50)));
    // Picks up uploads a previous page left unfinished (see `Uploader.restore`) as soon as
    // where to upload is known, at the first render or later (a framework, a page script):
    // restore() does nothing before, and reads the journal once.
    if (['apiUrl', 'bucket', 'namespace'].some((name) => changed.has(name))) {
      this.#sync();
      void this.engine.restore();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.dragover = false;
  }

  /**
   * Form reset: cancels what is not confirmed and clears the list. (Called by the browser.)
   * @internal
   */
  formResetCallback(): void {
    this.engine.clear();
    this.#rejected = [];
    this.requestUpdate();
  }

  /**
   * A disabled `fieldset` or form around it sets `disabled`. (Called by the browser.)
   * @internal
   */
  formDisabledCallback(disabled: boolean): void {
    this.disabled = disabled;
  }

  /** Hands the current properties to the engine. */
  #sync(): void {
    const options: Partial<UploaderOptions> = {
      apiUrl: this.apiUrl,
      bucket: this.bucket,
      namespace: this.namespace,
      apiKey: this.apiKey,
      getHeaders: this.getHeaders,
      accept: this.accept,
      maxFileSize: this.maxFileSize,
      maxFiles: this.maxFiles,
      concurrency: this.concurrency,
      batchSize: this.batchSize,
      autoUpload: this.autoUpload,
      blobProperty: this.blobProperty,
      uploadParams: this.uploadParams,
      skipDuplicates: this.skipDuplicates,
    };
    this.engine.configure(options);
  }

  /** The confirmed uploads as the form value; `required` validity. */
  #updateFormState(): void {
    const internals = this.#internals;
    if (!internals?.form) return;
    const done = this.engine.files.filter((f) => f.status === 'done' && f.uploadId);
    if (this.name && done.length > 0) {
      const value = new FormData();
      for (const f of done) value.append(this.name, JSON.stringify({ upload_id: f.uploadId, object_id: f.objectId ?? null }));
      internals.setFormValue(value);
    } else {
      internals.setFormValue(null);
    }
    const anchor = this.renderRoot.querySelector<HTMLElement>('[part~=dropzone]') ?? undefined;
    if (this.required && done.length === 0) internals.setValidity({ valueMissing: true }, this.t.required, anchor);
    else internals.setValidity({});
  }

  /** Polite announcements for screen readers, gathered for half a second (never per byte). */
  #announce(text: string): void {
    this.#pendingAnnouncements.push(text);
    this.#announceTimer ??= setTimeout(() => {
      this.announcement = this.#pendingAnnouncements.slice(-3).join('. ');
      this.#pendingAnnouncements = [];
      this.#announceTimer = undefined;
    }, 500);
  }

  #onDragOver = (event: DragEvent) => {
    if (this.disabled || !event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    this.dragover = true;
  };

  #onDragLeave = (event: DragEvent) => {
    if (event.relatedTarget && this.contains(event.relatedTarget as Node)) return;
    this.dragover = false;
  };

  #onDrop = async (event: DragEvent) => {
    event.preventDefault();
    this.dragover = false;
    if (this.disabled || !event.dataTransfer) return;
    const files = await filesFromDataTransfer(event.dataTransfer);
    if (files.length > 0) this.addFiles(files);
  };

  #onPaste = async (event: ClipboardEvent) => {
    if (this.disabled || !event.clipboardData?.files.length) return;
    event.preventDefault();
    this.addFiles(await filesFromDataTransfer(event.clipboardData));
  };

  #onPick = (event: Event) => {
    const input = event.target as HTMLInputElement;
    if (input.files) this.addFiles(input.files);
    input.value = '';
  };

  #pick = (which: 'files' | 'folder') => this.renderRoot.querySelector<HTMLInputElement>(`input[data-pick=${which}]`)?.click();

  /** Starts from the Upload button, keeping keyboard focus on a control that stays. */
  #start = async () => {
    const result = this.upload().catch(() => undefined); // a refusal to start is shown from `engine.error`
    this.requestUpdate();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('button[data-action=pause]')?.focus();
    await result;
    await this.updateComplete;
    // Pause and Cancel are gone now: keep keyboard focus in the element.
    const root = this.renderRoot as ShadowRoot;
    const lost = document.activeElement === document.body || document.activeElement === this;
    if (!root.activeElement && lost) root.querySelector<HTMLElement>('[part~=dropzone]')?.focus();
  };

  /** Removes a row, then keeps keyboard focus in the list: the next row's first control, else the previous one's, else the list. */
  #removeRow = async (f: UploadFileInfo) => {
    const files = this.engine.files;
    const at = files.findIndex((x) => x.fileId === f.fileId);
    if (!this.removeFile(f.fileId)) return;
    const next = files[at + 1] ?? files[at - 1];
    await this.updateComplete;
    await new Promise((r) => requestAnimationFrame(r)); // the virtual list places its rows a frame later
    const root = this.renderRoot;
    const target =
      (next && root.querySelector<HTMLElement>(`[data-file-id="${next.fileId}"] button`)) ||
      root.querySelector<HTMLElement>('[part~=file-list]') ||
      root.querySelector<HTMLElement>('[part~=dropzone]');
    target?.focus();
  };

  /** A row's Resume under the main Pause: that file goes on, the others stay paused (each on its own). */
  #resumeRow = (f: UploadFileInfo) => {
    const engine = this.engine;
    if (engine.paused) {
      for (const other of engine.files)
        if (other.fileId !== f.fileId && inFlight.has(other.status) && !other.paused) engine.pause(other.fileId);
      engine.resume(f.fileId);
      engine.resume();
    } else engine.resume(f.fileId);
  };

  #rowContext(t: UploaderStrings): RowContext {
    return {
      t,
      lang: this.#lang(),
      disabled: this.disabled,
      running: this.engine.running,
      paused: this.engine.paused,
      remove: (f) => void this.#removeRow(f),
      pause: (f) => this.engine.pause(f.fileId),
      resume: this.#resumeRow,
      cancel: (f) => this.cancel(f.fileId),
      retry: (f) => void this.retry(f.fileId).catch(() => undefined),
    };
  }

  /** A refusal in the person's language, from its code and the limits this element applies. */
  #rejection(r: FileRejectedDetail, t: UploaderStrings): string {
    const lang = this.#lang();
    const limit = Math.min(this.maxFileSize ?? MAX_SINGLE_PUT_BYTES, MAX_SINGLE_PUT_BYTES);
    // Rounded, a file one byte over would read as big as the limit: then both in exact bytes.
    const [size, max] = [formatSize(r.size, lang), formatSize(limit, lang)];
    const exact = size === max;
    return t.rejected(r.code, {
      name: r.name,
      size: exact ? formatExactSize(r.size, lang) : size,
      limit: exact ? formatExactSize(limit, lang) : max,
      singleUploadLimit: limit === MAX_SINGLE_PUT_BYTES,
      accept: this.accept ?? '',
      maxFiles: this.maxFiles ?? 0,
    });
  }

  /** Refusals and files to add again after a reload (setup problems are the banner's). */
  #renderNotice(t: UploaderStrings) {
    const lost = this.engine.lost;
    const items = [
      ...(lost.length > 0
        ? [
            t.addAgain(
              lost.length,
              formatNames(
                lost.map((f) => f.relativePath),
                this.#lang(),
              ),
            ),
          ]
        : []),
      // The first ones only: a drop of 30,000 files over max-files is one count, not 30,000 lines.
      ...this.#rejected.slice(0, NOTICE_ITEMS).map((r) => this.#rejection(r, t)),
    ];
    const count = items.length + Math.max(0, this.#rejected.length - NOTICE_ITEMS);
    if (count <= 1) return items[0] ?? nothing;
    return html`${t.problems(count)}
      <ul tabindex="0">
        ${items.map((m) => html`<li>${m}</li>`)}${count > items.length ? html`<li>…</li>` : nothing}
      </ul>`;
  }

  #lang(): string | undefined {
    return this.locale || this.closest('[lang]')?.getAttribute('lang') || undefined;
  }

  /** The drop target: the whole widget while it is empty, a strip above the list after. */
  #renderZone(t: UploaderStrings, empty: boolean) {
    // A touch screen (no mouse): nothing can be dropped there, so the words speak of picking.
    const touch = matchMedia('(pointer: coarse)').matches;
    const limits = empty ? describeLimits(this, t, this.#lang()).join(' · ') : '';
    const label = empty
      ? html`<span class="zone-title">${touch ? t.pickTitle : t.dropTitle}</span>
          <span class="zone-or">${touch ? nothing : `${t.dropOr} `}<span part="browse-button">${t.chooseFiles}</span></span>`
      : html`<span>${touch ? nothing : `${t.dropHint} `}<span part="browse-button">${t.chooseFiles}</span></span>`;
    return html`<div class=${empty ? 'zone empty' : 'zone'}>
      <button type="button" part="dropzone" title=${t.dropZoneLabel} ?disabled=${this.disabled} @click=${() => this.#pick('files')}>
        ${actionIcon('upload')}
        <slot name="label">${label}</slot>
        ${empty ? html`<span class="zone-limits muted">${limits}</span>` : nothing}
      </button>
      <button type="button" part="folder-button" class="secondary" aria-label=${t.chooseFolder} ?disabled=${this.disabled} @click=${() => this.#pick('folder')}>
        ${actionIcon('folder')}<span>${t.chooseFolder}</span>
      </button>
      <input type="file" data-pick="files" multiple accept=${this.accept ?? ''} @change=${this.#onPick} tabindex="-1" aria-hidden="true" />
      <input type="file" data-pick="folder" webkitdirectory @change=${this.#onPick} tabindex="-1" aria-hidden="true" />
    </div>`;
  }

  #renderControls(t: UploaderStrings, files: readonly UploadFileInfo[]) {
    const engine = this.engine;
    const queued = files.some((f) => f.status === 'queued');
    const failed = files.some((f) => f.status === 'failed' && f.file);
    const canceled = files.some((f) => f.status === 'canceled' && f.file);
    const idle = !engine.running;
    return html`<div class="controls">
      <button type="button" data-action="upload" ?disabled=${!queued || engine.running || this.disabled} @click=${this.#start}>${t.upload}</button>
      ${
        engine.running
          ? html`<button type="button" class="secondary" data-action="pause" @click=${() => (engine.paused ? this.resume() : this.pause())}>
                ${engine.paused ? t.resume : t.pause}
              </button>
              <button type="button" class="secondary" data-action="cancel" @click=${() => this.#keepFocus(() => this.cancel())}>${t.cancel}</button>`
          : nothing
      }
      ${
        failed && idle
          ? html`<button type="button" class="secondary" data-action="retry" @click=${() => this.#keepFocus(() => void this.retry().catch(() => undefined))}>${t.retryFailed}</button>`
          : nothing
      }
      ${
        canceled && idle
          ? html`<button type="button" class="secondary" data-action="retry-canceled" @click=${() => this.#keepFocus(() => void this.retryCanceled().catch(() => undefined))}>${t.retryCanceled}</button>`
          : nothing
      }
      ${
        idle && files.length > 0 && !queued
          ? html`<button type="button" part="clear-button" class="secondary" ?disabled=${this.disabled} @click=${this.#clear}>${t.clear}</button>`
          : nothing
      }
    </div>`;
  }

  /**
   * Runs a control's action that may take the control away (Cancel, Retry failed, Upload
   * canceled files), then keeps keyboard focus in the element: on Pause while a run goes on,
   * else on Upload, else on the drop target.
   */
  #keepFocus = async (action: () => void) => {
    action();
    await this.updateComplete;
    const root = this.renderRoot as ShadowRoot;
    if (root.activeElement) return;
    const target =
      root.querySelector<HTMLButtonElement>('button[data-action=pause]') ??
      root.querySelector<HTMLButtonElement>('button[data-action=upload]:not([disabled])') ??
      root.querySelector<HTMLElement>('[part~=dropzone]');
    target?.focus();
  };

  #clear = async () => {
    this.clear();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[part~=dropzone]')?.focus();
  };

  override render() {
    const t = this.t;
    const lang = this.#lang();
    const engine = this.engine;
    const files = engine.files;
    const totals = engine.totals;
    if (files.length > 0 && !this.#list) this.#loadList(); // files came before the idle preload
    const list = this.#list;
    const row = this.#rowContext(t);
    const empty = files.length === 0;
    return html`
      ${renderBanner(currentSetupProblem(files, engine.error), t)}
      ${this.#renderZone(t, empty)}
      <div class="notice" part="notice" role="status" aria-live="polite">${this.#renderNotice(t)}</div>
      ${
        empty
          ? html`<slot name="empty"></slot>`
          : html`${this.#renderControls(t, files)}
            <div part="summary">
              <span>
                ${t.filesConfirmed(totals.done, totals.files)}${totals.failed ? html` · <span class="notice-inline">${t.filesFailed(totals.failed)}</span>` : nothing}${totals.skipped ? html` · ${t.filesSkipped(totals.skipped, formatSize(totals.bytesSaved, lang))}` : nothing}${
                  totals.canceled ? html` · <span class="canceled">${t.filesCanceled(totals.canceled)}</span>` : nothing
                }
              </span>
              <span class="muted">${t.bytesOf(formatSize(totals.bytesUploaded, lang), formatSize(totals.bytesTotal, lang))}</span>
              <span class=${engine.running && !engine.online ? 'phase offline' : 'phase muted'}>${phaseText(engine, files, this.#speed, t, lang)}</span>
            </div>
            <progress part="progress" aria-label=${t.overallProgress} max=${totals.bytesTotal || 1} .value=${totals.bytesUploaded}></progress>
            <div class="list-head muted">${t.fileCount(files.length)}</div>
            <div part="file-list" role="list" tabindex="0" aria-label=${`${t.fileList}: ${t.fileCount(files.length)}`} >
              ${
                typeof list === 'object'
                  ? list.virtualize({
                      items: files,
                      scroller: true,
                      layout: list.flow(),
                      keyFunction: (f) => f.fileId,
                      renderItem: (f) => renderRow(f, row),
                    })
                  : (list === 'failed' ? files : files.slice(0, LIST_BEFORE_VIRTUALIZER)).map((f) => renderRow(f, row))
              }
            </div>`
      }
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
    `;
  }
}
