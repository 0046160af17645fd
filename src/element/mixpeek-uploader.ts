import { LitElement, css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { CreateUploadRequest } from '../api/types.ts';
import { formatBytes } from '../engine/file-rules.ts';
import { defaultOptions, type UploaderOptions } from '../engine/uploader.ts';
import type { UploadFileInfo, UploadSummary } from '../events.ts';
import { EngineController } from './engine-controller.ts';

const statusLabel: Record<UploadFileInfo['status'], string> = {
  queued: 'Queued',
  creating: 'Preparing',
  uploading: 'Uploading',
  hashing: 'Checking',
  uploaded: 'Uploaded',
  confirming: 'Confirming',
  processing: 'Processing',
  done: 'Confirmed',
  failed: 'Failed',
  canceled: 'Canceled',
};

/**
 * `<mixpeek-uploader>`: picks or takes dropped files and uploads them into a Mixpeek bucket:
 * batch create (≤ 100 per request) → presigned PUT of each file → MD5 in a worker → batch
 * confirm (≤ 100 per request) → task polling until Mixpeek's processing ends.
 *
 * A thin view over the headless engine (`Uploader`, reachable as `.engine`).
 *
 * @fires mixpeek-file-added - `{ file }`: a file was accepted into the queue
 * @fires mixpeek-file-rejected - `{ name, size, code, message }`: a file was refused (`empty-file`, `too-large`, `type-not-accepted`, `too-many-files`, `duplicate`)
 * @fires mixpeek-upload-progress - `{ fileId, bytesUploaded, bytesTotal, totalBytesUploaded, totalBytes }` (bytes; throttled; never decreases)
 * @fires mixpeek-file-uploaded - `{ fileId, name, uploadId, etag, fileSizeBytes }`: bytes stored, MD5 known
 * @fires mixpeek-file-error - `{ fileId, name, code, message }`: a file failed
 * @fires mixpeek-batch-confirmed - `{ batch, confirmations, taskId, status }`: a batch confirm was accepted
 * @fires mixpeek-task-update - `{ taskId, status }`: a polled task changed status
 * @fires mixpeek-complete - `{ files, batches, confirmed, failed }`: everything added so far is final
 * @csspart dropzone - the drop area with the picker button
 * @csspart browse-button - the "Choose files" button
 * @csspart file-list - the list of files
 * @csspart file - one file row
 * @csspart progress - a progress bar (overall and per file)
 * @csspart error - a file's error message
 * @csspart summary - the overall progress line
 * @cssproperty --mixpeek-uploader-accent - accent colour (buttons, bars)
 */
export class MixpeekUploader extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font: var(--mixpeek-uploader-font, 14px/1.4 system-ui, sans-serif);
      color: var(--mixpeek-uploader-text, #1d2330);
      --_accent: var(--mixpeek-uploader-accent, #3b5bdb);
    }
    :host([hidden]) {
      display: none;
    }
    [part='dropzone'] {
      border: 2px dashed var(--mixpeek-uploader-border, #b8c0cc);
      border-radius: var(--mixpeek-uploader-radius, 8px);
      padding: 1.25rem;
      text-align: center;
      background: var(--mixpeek-uploader-background, transparent);
    }
    :host([dragover]) [part='dropzone'] {
      border-color: var(--_accent);
      background: color-mix(in srgb, var(--_accent) 8%, transparent);
    }
    button {
      font: inherit;
      padding: 0.4rem 0.9rem;
      border-radius: 6px;
      border: 1px solid var(--_accent);
      background: var(--_accent);
      color: #fff;
      cursor: pointer;
    }
    button.secondary {
      background: transparent;
      color: var(--_accent);
    }
    button:disabled {
      opacity: 0.5;
      cursor: default;
    }
    button:focus-visible {
      outline: 3px solid color-mix(in srgb, var(--_accent) 45%, transparent);
      outline-offset: 2px;
    }
    .controls {
      display: flex;
      gap: 0.5rem;
      margin: 0.75rem 0;
      flex-wrap: wrap;
      align-items: center;
    }
    progress {
      width: 100%;
      height: 0.5rem;
      accent-color: var(--_accent);
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
      max-height: 24rem;
      overflow: auto;
    }
    li {
      display: grid;
      grid-template-columns: 1fr auto auto auto;
      gap: 0.25rem 0.75rem;
      padding: 0.35rem 0;
      border-bottom: 1px solid color-mix(in srgb, currentColor 12%, transparent);
    }
    button.row {
      padding: 0 0.45rem;
      font-size: 0.85em;
    }
    .offline {
      color: #b35c00;
    }
    li progress {
      grid-column: 1 / -1;
      height: 0.3rem;
    }
    .name {
      white-space: pre;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .meta {
      opacity: 0.7;
      font-variant-numeric: tabular-nums;
    }
    [part='error'] {
      grid-column: 1 / -1;
      color: #c92a2a;
    }
    li[data-status='done'] .status {
      color: #2b8a3e;
    }
    li[data-status='failed'] .status {
      color: #c92a2a;
    }
    .notice {
      color: #c92a2a;
      margin: 0.5rem 0 0;
      text-align: start;
    }
    .notice:empty {
      display: none;
    }
    .notice ul {
      max-height: 6rem;
      overflow: auto;
      margin: 0.25rem 0 0;
    }
    input[type='file'] {
      display: none;
    }
  `;

  /** Base URL of a Mixpeek-compatible API. */
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
  /** Sent as `blob_property` on each create. */
  @property({ attribute: 'blob-property' }) blobProperty?: string;
  /** Extra headers for each API request (e.g. a session token for your gateway). */
  @property({ attribute: false }) getHeaders?: () => Record<string, string> | Promise<Record<string, string>>;
  /** Per-file create fields (`metadata`, `object_metadata`, `blob_property`, …). */
  @property({ attribute: false }) uploadParams?: (file: File) => Partial<CreateUploadRequest>;
  /** True while files are dragged over the element (reflected for styling). */
  @property({ type: Boolean, reflect: true }) dragover = false;

  readonly #controller = new EngineController(this);
  /** Why files were refused in the last `addFiles`, shown until the next add or upload. */
  #rejected: string[] = [];

  /** The headless engine behind the element. */
  get engine() {
    return this.#controller.engine;
  }

  constructor() {
    super();
    this.addEventListener('dragover', this.#onDragOver);
    this.addEventListener('dragleave', this.#onDragLeave);
    this.addEventListener('drop', this.#onDrop);
    this.addEventListener('mixpeek-file-rejected', (e) => {
      this.#rejected = [...this.#rejected, e.detail.message];
    });
  }

  /** Adds files to the queue (refused ones fire `mixpeek-file-rejected`). */
  addFiles(files: FileList | Iterable<File>): UploadFileInfo[] {
    this.#sync();
    this.#rejected = [];
    return this.engine.addFiles(files);
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

  /** Uploads failed and canceled files (or one file) again. */
  retry(fileId?: string): Promise<UploadSummary> {
    this.#sync();
    return this.engine.retry(fileId);
  }

  /** Removes a file that is not on its way from the list. */
  removeFile(fileId: string): boolean {
    return this.engine.removeFile(fileId);
  }

  /** Picks up uploads a previous page left unfinished (see `Uploader.restore`). */
  override firstUpdated(): void {
    this.#sync();
    void this.engine.restore();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.dragover = false;
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
    };
    this.engine.configure(options);
  }

  #onDragOver = (event: DragEvent) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    this.dragover = true;
  };

  #onDragLeave = (event: DragEvent) => {
    if (event.relatedTarget && this.contains(event.relatedTarget as Node)) return;
    this.dragover = false;
  };

  #onDrop = (event: DragEvent) => {
    event.preventDefault();
    this.dragover = false;
    const files = event.dataTransfer?.files;
    if (files && files.length > 0) this.addFiles(files);
  };

  #onPick = (event: Event) => {
    const input = event.target as HTMLInputElement;
    if (input.files) this.addFiles(input.files);
    input.value = '';
  };

  #browse = () => this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click();

  /** Starts from the Upload button, keeping keyboard focus on a control that stays. */
  #start = async () => {
    const result = this.upload().catch(() => undefined); // a refusal to start is shown from `engine.error`
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('button[data-action=pause]')?.focus();
    await result;
  };

  #renderRowAction(f: UploadFileInfo) {
    const act = (label: string, run: () => void) =>
      html`<button type="button" class="secondary row" aria-label=${`${label} ${f.relativePath}`} @click=${run}>${label}</button>`;
    if (f.status === 'queued' && !this.engine.running) return act('Remove', () => this.removeFile(f.fileId));
    if (['queued', 'creating', 'uploading', 'hashing', 'uploaded'].includes(f.status)) return act('Cancel', () => this.cancel(f.fileId));
    if ((f.status === 'failed' || f.status === 'canceled') && f.file) return act('Retry', () => void this.retry(f.fileId).catch(() => undefined));
    return html`<span></span>`;
  }

  #renderRejections() {
    const rejected = this.engine.error ? [this.engine.error.message, ...this.#rejected] : this.#rejected;
    if (rejected.length <= 1) return rejected[0] ?? nothing;
    return html`${rejected.length} problems:
      <ul>
        ${rejected.map((m) => html`<li>${m}</li>`)}
      </ul>`;
  }

  override render() {
    const engine = this.engine;
    const files = engine.files;
    const totals = engine.totals;
    const queued = files.some((f) => f.status === 'queued');
    const failed = totals.failed > 0 || files.some((f) => f.status === 'canceled');
    return html`
      <div part="dropzone">
        <slot name="label">Drop files here or</slot>
        <button part="browse-button" class="secondary" type="button" @click=${this.#browse}>Choose files</button>
        <input type="file" multiple accept=${this.accept ?? ''} @change=${this.#onPick} />
        <div class="notice" role="status" aria-live="polite">${this.#renderRejections()}</div>
      </div>
      <div class="controls">
        <button type="button" ?disabled=${!queued || engine.running} @click=${this.#start}>Upload</button>
        ${engine.running
          ? html`<button type="button" class="secondary" data-action="pause" @click=${() => (engine.paused ? this.resume() : this.pause())}>
                ${engine.paused ? 'Resume' : 'Pause'}
              </button>
              <button type="button" class="secondary" @click=${() => this.cancel()}>Cancel</button>`
          : nothing}
        ${failed && !engine.running
          ? html`<button type="button" class="secondary" @click=${() => void this.retry().catch(() => undefined)}>Retry failed</button>`
          : nothing}
      </div>
      ${files.length > 0
        ? html`${engine.running && !engine.online
              ? html`<p class="offline" role="status">Offline: waiting for the network to come back…</p>`
              : nothing}
            <div part="summary" class="meta">
              ${totals.done} of ${totals.files} confirmed${totals.failed ? `, ${totals.failed} failed` : ''} ·
              ${formatBytes(totals.bytesUploaded)} of ${formatBytes(totals.bytesTotal)}
            </div>
            <progress part="progress" aria-label="Overall progress" max=${totals.bytesTotal} .value=${totals.bytesUploaded}></progress>
            <ul part="file-list">
              ${files.map(
                (f) => html`<li part="file" data-status=${f.status} data-file-id=${f.fileId}>
                  <span class="name" title=${f.relativePath}>${f.relativePath}</span>
                  <span class="meta">${formatBytes(f.size)}</span>
                  <span class="status">${statusLabel[f.status]}</span>
                  ${this.#renderRowAction(f)}
                  <progress part="progress" aria-label=${`${f.relativePath}: ${statusLabel[f.status]}`} max=${f.size} .value=${f.bytesUploaded}></progress>
                  ${f.error ? html`<span part="error">${f.error.message}</span>` : nothing}
                </li>`,
              )}
            </ul>`
        : html`<slot name="empty"></slot>`}
    `;
  }
}
