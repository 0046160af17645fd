/**
 * A file's life in the engine. Hashing runs beside the transfer, so `hashing` means "bytes are
 * stored, the MD5 is still being computed".
 *
 * `queued → creating → uploading → (hashing →) uploaded → confirming → processing → done`,
 * or `creating → skipped` when Mixpeek answers the create that it already has the file
 * (`is_duplicate` or `skipped_unique_key`: nothing is sent or confirmed); and from any non-final state to `failed` or `canceled`; `failed` and `canceled` files go back
 * to `queued` on retry.
 */
export const FileStatus = {
  queued: 'queued',
  creating: 'creating',
  uploading: 'uploading',
  hashing: 'hashing',
  uploaded: 'uploaded',
  confirming: 'confirming',
  processing: 'processing',
  done: 'done',
  skipped: 'skipped',
  failed: 'failed',
  canceled: 'canceled',
} as const;

export type FileStatus = (typeof FileStatus)[keyof typeof FileStatus];

const next: Record<FileStatus, readonly FileStatus[]> = {
  queued: ['creating', 'failed', 'canceled'],
  creating: ['uploading', 'queued', 'skipped', 'failed', 'canceled'],
  uploading: ['hashing', 'uploaded', 'queued', 'failed', 'canceled'],
  hashing: ['uploaded', 'failed', 'canceled'],
  uploaded: ['confirming', 'failed', 'canceled'],
  confirming: ['processing', 'uploaded', 'failed', 'canceled'],
  // `queued`: its upload expired before the confirm reached Mixpeek, so it gets a new one.
  processing: ['done', 'failed', 'queued'],
  done: [],
  skipped: [],
  failed: ['queued'],
  canceled: ['queued'],
};

/** True when a file in `from` may move to `to`. */
export function canTransition(from: FileStatus, to: FileStatus): boolean {
  return next[from].includes(to);
}

/** States after which nothing more happens without `retry()`. */
export function isFinal(status: FileStatus): boolean {
  return status === 'done' || status === 'skipped' || status === 'failed' || status === 'canceled';
}
