/**
 * Every string the element shows, in one table per language, and the `Intl` formatting of
 * sizes, speeds and durations. Built-in languages: English, German, French, Spanish and
 * Japanese (`locales/`); a page overrides any string with the element's `strings` property.
 *
 * Messages are functions of their values so that each language can order them its own way.
 */
import type { RejectionCode } from '../engine/file-rules.ts';
import type { FileStatus } from '../engine/status.ts';
import type { UploaderErrorCode } from '../errors.ts';
import type { FileReason, SetupProblem } from './problems.ts';

/** What a rejection message may name; sizes already formatted for the locale. */
export interface RejectedFile {
  /** The file's name (its relative path inside a folder). */
  name: string;
  size: string;
  /** The size limit that applies (`max-file-size`, at most 5 GiB); exact bytes when `size` would read the same. */
  limit: string;
  /** The limit is the 5 GiB one upload can hold (one S3 PUT), not a `max-file-size`. */
  singleUploadLimit: boolean;
  /** The `accept` list. */
  accept: string;
  maxFiles: number;
}

/** The element's strings. Values are plain text (rendered as text, never as HTML). */
export interface UploaderStrings {
  /** The drop zone's visible text. */
  dropHint: string;
  /** The drop zone's accessible name (it is a button that opens the picker). */
  dropZoneLabel: string;
  chooseFiles: string;
  chooseFolder: string;
  upload: string;
  pause: string;
  resume: string;
  cancel: string;
  retryFailed: string;
  remove: string;
  retry: string;
  /** Accessible names of the per-file buttons. */
  removeFile: (name: string) => string;
  cancelFile: (name: string) => string;
  retryFile: (name: string) => string;
  fileList: string;
  overallProgress: string;
  fileProgress: (name: string) => string;
  status: Record<FileStatus, string>;
  /** Status of a file whose presigned URL is ready but whose PUT waits for a free slot. */
  waiting: string;
  /** "3 of 10 confirmed". */
  filesConfirmed: (done: number, total: number) => string;
  filesFailed: (failed: number) => string;
  /** "1.2 MB of 4 MB". */
  bytesOf: (done: string, total: string) => string;
  /** "2.5 MB/s · about 3 min left". */
  speedAndTimeLeft: (speed: string, left: string) => string;
  /** Phase lines. */
  phaseUploading: string;
  phaseConfirming: (batch: number) => string;
  phaseProcessing: (tasks: number) => string;
  phaseDone: string;
  phasePaused: string;
  offline: string;
  /** Heading of the notice when it lists several problems. */
  problems: (count: number) => string;
  /** Why a file was not added, by `mixpeek-file-rejected` code. */
  rejected: (code: RejectionCode, file: RejectedFile) => string;
  /** What went wrong, by error code; the technical detail (the server's or storage's own words) follows. */
  errors: Record<UploaderErrorCode, string>;
  /** Files from before a reload whose bytes went with the old page; `names` is a short list. */
  addAgain: (count: number, names: string) => string;
  /** Live-region announcements. */
  announceAdded: (count: number) => string;
  announceBatch: (batch: number, count: number) => string;
  /** At the end; `canceled` is 0 when none was canceled. */
  announceComplete: (confirmed: number, failed: number, canceled?: number) => string;
  announceError: (name: string, message: string) => string;
  /** Form validation message when `required` and nothing is confirmed. */
  required: string;
  /** The empty drop target's title with a mouse, and on touch screens (where nothing can be dropped). */
  dropTitle: string;
  pickTitle: string;
  /** Before "Choose files" under the title. */
  dropOr: string;
  /** What is accepted, from `accept` (a readable list), `max-file-size` and `max-files`; joined with " · ". */
  acceptsTypes: (types: string) => string;
  sizeLimit: (size: string) => string;
  countLimit: (count: number) => string;
  /** Names of `accept` wildcards (`image/*`…) in the accepted-types line. */
  typeGroups: Record<'image' | 'video' | 'audio' | 'text', string>;
  /** Status of a file whose PUT is redone from the first byte (its bar starts again from 0). */
  resending: string;
  /** The list's heading: how many files it holds. */
  fileCount: (count: number) => string;
  /** Empties the list once a run has ended (nothing is deleted at Mixpeek). */
  clear: string;
  /** Uploads the canceled files again. */
  retryCanceled: string;
  /** "3 canceled" in the summary. */
  filesCanceled: (canceled: number) => string;
  /** Accessible name of Remove on a finished row: it leaves the upload at Mixpeek. */
  removeDone: (name: string) => string;
  /** The banner for a setup problem: what happened, what to check (unusable options: `errors['invalid-options']` and the engine's words). */
  setup: Record<Exclude<SetupProblem, 'invalid-options'>, { title: string; check: string }>;
  /** The banner's count of files it stopped. */
  setupFiles: (count: number) => string;
  /** A failed file's short reason on its row when `errors` would be too vague (the developer detail is in `mixpeek-file-error`). */
  reasons: Record<FileReason, string>;
}

/** English, the default. */
export const en: UploaderStrings = {
  dropHint: 'Drop files or folders here, paste them, or',
  dropZoneLabel: 'Add files: drop them here or press to choose',
  chooseFiles: 'Choose files',
  chooseFolder: 'Choose a folder',
  upload: 'Upload',
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel',
  retryFailed: 'Retry failed',
  remove: 'Remove',
  retry: 'Retry',
  removeFile: (name) => `Remove ${name}`,
  cancelFile: (name) => `Cancel ${name}`,
  retryFile: (name) => `Retry ${name}`,
  fileList: 'Files',
  overallProgress: 'Overall progress',
  fileProgress: (name) => `Progress of ${name}`,
  status: {
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
  },
  waiting: 'Waiting',
  filesConfirmed: (done, total) => `${done} of ${total} confirmed`,
  filesFailed: (failed) => `${failed} failed`,
  bytesOf: (done, total) => `${done} of ${total}`,
  speedAndTimeLeft: (speed, left) => `${speed} · ${left} left`,
  phaseUploading: 'Uploading',
  phaseConfirming: (batch) => `Confirming batch ${batch}`,
  phaseProcessing: (tasks) => `Mixpeek is processing ${tasks} ${tasks === 1 ? 'batch' : 'batches'}`,
  phaseDone: 'Done',
  phasePaused: 'Paused',
  offline: 'Offline: waiting for the network to come back…',
  problems: (count) => (count === 1 ? '1 problem:' : `${count} problems:`),
  rejected: (code, f) =>
    ({
      'empty-file': `"${f.name}" is empty (0 bytes); Mixpeek needs at least 1 byte.`,
      'too-large': `"${f.name}" is ${f.size}; the limit is ${f.limit}${f.singleUploadLimit ? ', the most one upload can hold' : ''}.`,
      'type-not-accepted': `"${f.name}" is not an accepted type (${f.accept}).`,
      'too-many-files': `"${f.name}" was not added: at most ${f.maxFiles} ${f.maxFiles === 1 ? 'file' : 'files'} can be uploaded.`,
      duplicate: `"${f.name}" is already in the list or already uploaded; skipped.`,
    })[code],
  errors: {
    'api-error': 'Mixpeek refused the request.',
    'network-error': 'The network failed.',
    'create-failed': 'The upload could not be started.',
    'upload-failed': 'Sending the file to storage failed.',
    'hash-failed': 'The file could not be read.',
    'confirm-failed': 'The upload could not be confirmed.',
    'processing-failed': 'Mixpeek could not process the file.',
    canceled: 'Canceled.',
    'invalid-options': 'The uploader is not set up correctly.',
  },
  addAgain: (count, names) =>
    `${count === 1 ? '1 file' : `${count} files`} from before the page was reloaded must be added again: ${names}`,
  announceAdded: (count) => `${count} ${count === 1 ? 'file' : 'files'} added`,
  announceBatch: (batch, count) => `Batch ${batch} of ${count} ${count === 1 ? 'file' : 'files'} sent for confirmation`,
  announceComplete: (confirmed, failed, canceled = 0) =>
    `Upload finished: ${confirmed} confirmed${failed ? `, ${failed} failed` : ''}${canceled ? `, ${canceled} canceled` : ''}`,
  announceError: (name, message) => `${name} failed: ${message}`,
  required: 'Upload at least one file.',
  dropTitle: 'Drop files or folders here',
  pickTitle: 'Add files',
  dropOr: 'or',
  acceptsTypes: (types) => `Accepts ${types}`,
  sizeLimit: (size) => `up to ${size} each`,
  countLimit: (count) => `at most ${count} ${count === 1 ? 'file' : 'files'}`,
  fileCount: (count) => `${count} ${count === 1 ? 'file' : 'files'}`,
  clear: 'Clear list',
  retryCanceled: 'Upload canceled files',
  filesCanceled: (canceled) => `${canceled} canceled`,
  removeDone: (name) => `Remove ${name} (stays in Mixpeek)`,
  setup: {
    'api-unreachable': {
      title: 'The upload service cannot be reached.',
      check: 'Check api-url, that the server runs, and its CORS.',
    },
    'storage-cors': {
      title: 'Storage refuses uploads from this page.',
      check: "Check the storage bucket's CORS: allow PUT from this origin, expose ETag.",
    },
    unauthorized: {
      title: 'The upload service refused access.',
      check: "Check the API key or the gateway's session (getHeaders).",
    },
    'not-found': {
      title: 'The bucket or namespace was not found.',
      check: 'Check bucket and namespace.',
    },
  },
  setupFiles: (count) => `${count} ${count === 1 ? 'file was' : 'files were'} not uploaded.`,
  reasons: {
    'content-mismatch': 'The stored file differs from the one sent. Try again.',
    'size-mismatch': 'The stored file has another size than the one sent. Try again.',
  },
  typeGroups: { image: 'images', video: 'videos', audio: 'audio', text: 'text files' },
  resending: 'Sending again from the start',
};

/** Picks the built-in table for a BCP 47 tag (`de-CH` → German), falling back to English. */
export function stringsFor(locale: string | undefined, tables: Record<string, UploaderStrings>): UploaderStrings {
  const lower = (locale ?? '').toLowerCase();
  return tables[lower] ?? tables[lower.split('-')[0] ?? ''] ?? en;
}

const byteUnits = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** `Intl.NumberFormat`s are costly to build and these run on every progress render: one per settings. */
const formats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    formats.set(key, format);
  }
  return format;
}

/** A byte count scaled to decimal units (1000 steps, like file managers): value and unit index. */
function scaleBytes(bytes: number): [number, number] {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < byteUnits.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return [value, unit];
}

/** A size in bytes, in the locale's words (`1.5 MB`, `1,5 MB`…), decimal units like file managers. */
export function formatSize(bytes: number, locale: string | undefined): string {
  const [value, unit] = scaleBytes(bytes);
  return numberFormat(locale, {
    style: 'unit',
    unit: byteUnits[unit],
    unitDisplay: unit === 0 ? 'long' : 'short', // "0 bytes", "1 byte"; then "1.5 kB"
    maximumFractionDigits: unit === 0 || value >= 100 ? 0 : 1,
  }).format(value);
}

/** An exact byte count in the locale's words (`5,368,709,121 bytes`). */
export function formatExactSize(bytes: number, locale: string | undefined): string {
  return numberFormat(locale, { style: 'unit', unit: 'byte', unitDisplay: 'long' }).format(bytes);
}

/** A speed in bytes per second (`2.5 MB/s`). */
export function formatSpeed(bytesPerSecond: number, locale: string | undefined): string {
  const [value, unit] = scaleBytes(bytesPerSecond);
  return numberFormat(locale, {
    style: 'unit',
    unit: `${byteUnits[unit]}-per-second`,
    unitDisplay: 'short',
    maximumFractionDigits: value >= 100 ? 0 : 1,
  }).format(value);
}

/** A duration in ms, rounded to what a person needs (`45 sec`, `3 min`, `2 hr`). */
export function formatDuration(ms: number, locale: string | undefined): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  const [value, unit] =
    seconds < 60 ? [seconds, 'second'] : seconds < 3600 ? [Math.round(seconds / 60), 'minute'] : [Math.round(seconds / 360) / 10, 'hour'];
  return numberFormat(locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
}

/** Up to `max` names as the locale lists them (`a, b and c`), then `…` for the rest. */
export function formatNames(names: readonly string[], locale: string | undefined, max = 3): string {
  const shown = new Intl.ListFormat(locale, { type: 'unit' }).format(names.slice(0, max));
  return names.length > max ? `${shown}, …` : shown;
}
