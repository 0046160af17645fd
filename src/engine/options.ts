/**
 * The engine's options: their shape, their defaults, and what makes them unusable.
 * Units: bytes and milliseconds.
 */
import type { Journal } from './journal.ts';
import type { CreateUploadRequest } from '../api/types.ts';
import type { RetryOptions } from '../api/retry.ts';
import type { Hasher } from '../hash/hasher.ts';
import type { Transfer } from '../transfer/types.ts';

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
  /** Extra headers for every API request (a session token for a gateway). Read at each request. */
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
  /**
   * First wait before polling a confirm's task, ms; doubles per poll up to
   * `taskPollMaxInterval` (Mixpeek's task docs ask for backoff, not for a first wait). Default
   * 200: a short task is seen done within a few hundred ms, and a task of 45 s or more costs no
   * more polls than a first wait of 1 s growing ×1.5.
   */
  taskPollInterval: number;
  /** Longest wait between task polls, ms. Default 30000. */
  taskPollMaxInterval: number;
  /** Least time between two progress events of one file, ms. Default 100. */
  progressInterval: number;
  /** A PUT with no progress for this long is aborted and tried again, ms. Default 30000. */
  stallTimeout: number;
  /**
   * Longest wait for the journal to be read before files added meanwhile go on without it, ms
   * (IndexedDB missing, blocked by another tab, or slow). Default 3000.
   */
  journalTimeout: number;
  /** Retry settings for API calls and PUTs (see `api/retry.ts`). */
  retry?: Partial<RetryOptions> | undefined;
  /**
   * Where progress survives a reload: default an IndexedDB journal (database
   * `mixpeek-uploader`); `false` keeps nothing.
   */
  journal?: Journal | false | undefined;
  /** `fetch` for API calls (injected for tests and hosts). */
  fetch?: typeof fetch | undefined;
  /**
   * Whether each file's SHA-256 is computed before its create and sent as `file_hash`, so that
   * Mixpeek answers `is_duplicate` for content it has and nothing is sent (Mixpeek OpenAPI 0.81,
   * `CreateUploadRequest.file_hash`, `skip_duplicates`). The SHA-256 comes from the same reading
   * as the MD5, so a file is read once either way; hashing first only delays its PUT.
   * `'always'`; `'never'` (Mixpeek then finds duplicates at confirm, after the bytes are sent);
   * `'auto'` (default) hashes first only when it pays: when duplicates are likely (an earlier
   * create of this engine answered one, or the journal holds files confirmed to this bucket),
   * or when the file takes at least 1 s to send at the measured pace and that is at least 20
   * times its hashing at 100 MiB/s (so hashing first costs at most about 5 %; not before any
   * PUT was measured). To learn whether duplicates are likely, it asks once a run about up to 4
   * files of at most 8 MiB alone, when 64 MiB or more wait to be sent. With a hasher that cannot
   * give SHA-256, `'auto'` is `'never'`.
   */
  skipDuplicates: SkipDuplicates;
  /** MD5 computation; default a pool of hashing Web Workers. */
  hasher?: Hasher | undefined;
  /** Byte transfer; default `@uppy/aws-s3` single PUTs. */
  createTransfer?: ((options: { concurrency: number }) => Transfer) | undefined;
}

/** Values of {@link UploaderOptions.skipDuplicates}. */
export type SkipDuplicates = 'auto' | 'always' | 'never';
export const SKIP_DUPLICATES_VALUES: readonly SkipDuplicates[] = ['auto', 'always', 'never'];

/** Defaults for every optional setting, in one place. */
export const defaultOptions: UploaderOptions = {
  apiUrl: 'https://api.mixpeek.com',
  bucket: '',
  concurrency: 4,
  batchSize: 100,
  autoUpload: false,
  taskPollInterval: 200,
  taskPollMaxInterval: 30_000,
  progressInterval: 100,
  stallTimeout: 30_000,
  journalTimeout: 3_000,
  skipDuplicates: 'auto',
};

/** A file with its path inside a dropped or picked folder (`photos/2024/a.jpg`). */
export interface FileWithPath {
  file: File;
  relativePath: string;
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
  if (!SKIP_DUPLICATES_VALUES.includes(o.skipDuplicates)) {
    return `skip-duplicates must be "auto", "always" or "never", not ${JSON.stringify(o.skipDuplicates)}.`;
  }
  for (const [name, value] of [
    ['max-file-size', o.maxFileSize],
    ['max-files', o.maxFiles],
  ] as const) {
    if (value != null && !(Number.isFinite(value) && value >= 0)) return `${name} must be a number of 0 or more, not ${value}.`;
  }
  return null;
}

/** The upload target journal records belong to: `apiUrl|bucket|namespace`. */
export function targetOf(o: Pick<UploaderOptions, 'apiUrl' | 'bucket' | 'namespace'>): string {
  return `${o.apiUrl}|${o.bucket}|${o.namespace ?? ''}`;
}
