/**
 * One row of the file list: preview or kind icon, the name with a middle ellipsis, size,
 * status, the actions that fit the file's state (icon buttons with their names; the names show
 * beside the icons when there is room), a bar only while bytes move, and a short reason when
 * the file failed on its own.
 */
import { html, nothing } from 'lit';
import type { UploadFileInfo } from '../events.ts';
import { splitName } from './file-name.ts';
import { type ActionIcon, actionIcon, fileKind, kindIcon } from './icons.ts';
import { preview } from './preview-directive.ts';
import type { UploaderErrorCode } from '../errors.ts';
import { fileReasonOf, type ReportedError, setupProblemOf, storageCodeOf } from './problems.ts';
import { formatSize, type UploaderStrings } from './strings.ts';
import { canPreview } from './previewable.ts';

/** States of a file on its way (its row offers Pause or Cancel). */
export const inFlight: ReadonlySet<string> = new Set(['queued', 'creating', 'uploading', 'hashing', 'uploaded']);
/** Bytes of the file's current PUT while it uploads (a PUT redone starts from 0), else bytes stored. */
function bytesShown(f: UploadFileInfo): number {
  return f.status === 'uploading' ? (f.bytesSent ?? f.bytesUploaded) : f.bytesUploaded;
}

/** True when a row shows a bar: bytes are moving and the file is not confirmed yet. */
const showsBar = (f: UploadFileInfo) =>
  (f.status === 'uploading' && bytesShown(f) > 0) || f.status === 'hashing' || f.status === 'uploaded';

/** What a row needs from the element. */
export interface RowContext {
  t: UploaderStrings;
  lang: string | undefined;
  disabled: boolean;
  /** An upload run is under way (queued rows then have no Remove). */
  running: boolean;
  /** The whole engine is paused. */
  paused: boolean;
  remove(f: UploadFileInfo): void;
  pause(f: UploadFileInfo): void;
  resume(f: UploadFileInfo): void;
  cancel(f: UploadFileInfo): void;
  retry(f: UploadFileInfo): void;
}

function action(icon: ActionIcon, label: string, name: string, run: () => void, disabled: boolean) {
  return html`<button type="button" class="row-action" data-action=${icon} aria-label=${name} title=${name} ?disabled=${disabled} @click=${run}>${actionIcon(icon)}<span class="label">${label}</span></button>`;
}

/** The status word of a row. */
export function statusText(f: UploadFileInfo, ctx: RowContext): string {
  const { t } = ctx;
  if ((f.paused || ctx.paused) && inFlight.has(f.status)) return t.phasePaused;
  // A presigned URL in hand, no byte sent yet: the PUT waits for a free slot (or a retry).
  if (f.status === 'uploading' && bytesShown(f) === 0) return t.waiting;
  // Sent again from the first byte (after a pause, an expired URL, a lost network).
  if (f.status === 'uploading' && bytesShown(f) < f.bytesUploaded) return t.resending;
  return t.status[f.status];
}

/** A failure in the person's words: what Mixpeek refused, or what went wrong (see `fileReasonOf`). */
export function reasonText(error: ReportedError, t: UploaderStrings): string {
  const reason = fileReasonOf(error);
  return (t.reasons as Record<string, string>)[reason] ?? t.errors[reason as UploaderErrorCode] ?? t.errors['api-error'];
}

/** A failed file's short reason, or nothing when the banner speaks for it (a setup problem). */
export function rowReason(f: UploadFileInfo, t: UploaderStrings): string | undefined {
  if (!f.error || f.status !== 'failed' || setupProblemOf(f.error)) return undefined;
  // A create refused by an upload policy (the gateway's or Mixpeek's: type, size) is addressed
  // to the person uploading: its own words say what to change.
  if (f.error.code === 'create-failed' && (f.error.status === 413 || f.error.status === 415 || f.error.status === 422)) {
    return f.error.message;
  }
  const reason = reasonText(f.error, t);
  const storageCode = f.error.code === 'upload-failed' ? storageCodeOf(f.error.message) : undefined;
  return storageCode ? `${reason} (${storageCode})` : reason;
}

function actions(f: UploadFileInfo, ctx: RowContext) {
  const { t, disabled } = ctx;
  const name = f.relativePath;
  const out = [];
  if (inFlight.has(f.status) && (ctx.running || f.status !== 'queued')) {
    if (f.status === 'uploading' || f.status === 'queued') {
      const paused = f.paused || ctx.paused;
      out.push(
        paused
          ? action('resume', t.resume, `${t.resume} ${name}`, () => ctx.resume(f), disabled)
          : action('pause', t.pause, `${t.pause} ${name}`, () => ctx.pause(f), disabled),
      );
    }
    out.push(action('cancel', t.cancel, t.cancelFile(name), () => ctx.cancel(f), disabled));
  } else if (f.status === 'queued') {
    out.push(action('remove', t.remove, t.removeFile(name), () => ctx.remove(f), disabled));
  } else if (f.status === 'failed' || f.status === 'canceled') {
    if (f.file) out.push(action('retry', t.retry, t.retryFile(name), () => ctx.retry(f), disabled));
    out.push(action('remove', t.remove, t.removeFile(name), () => ctx.remove(f), disabled));
  } else if (f.status === 'done') {
    out.push(action('remove', t.remove, t.removeDone(name), () => ctx.remove(f), disabled));
  }
  return out;
}

/** One file's row: icon or preview, name (middle ellipsis), status, reason, progress bar and its actions. */
export function renderRow(f: UploadFileInfo, ctx: RowContext) {
  const { t } = ctx;
  const kind = fileKind(f.contentType, f.name);
  const [head, tail] = splitName(f.relativePath);
  const reason = rowReason(f, t);
  const paused = (f.paused || ctx.paused) && inFlight.has(f.status);
  return html`<div part="file" role="listitem" data-status=${f.status} data-file-id=${f.fileId} data-kind=${kind} ?data-paused=${paused}>
    <span part="preview" data-kind=${kind}>${kindIcon(kind)}${
      f.file && canPreview(f.contentType) ? html`<canvas aria-hidden="true" ${preview(f.file)}></canvas>` : nothing
    }</span>
    <span part="file-name" class="name" title=${f.relativePath}><span class="head">${head}</span><span class="tail">${tail}</span></span>
    <span class="meta"><span class="size muted">${formatSize(f.size, ctx.lang)}</span><span class="status">${statusText(f, ctx)}</span></span>
    <span class="actions">${actions(f, ctx)}</span>
    ${
      showsBar(f)
        ? html`<progress part="progress" aria-label=${t.fileProgress(f.relativePath)} max=${f.size} .value=${paused ? 0 : bytesShown(f)}></progress>`
        : nothing
    }
    ${reason ? html`<span part="error">${reason}</span>` : nothing}
  </div>`;
}
