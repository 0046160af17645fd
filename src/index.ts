/**
 * mixpeek-uploader: a drop-in web component (and a headless engine) that uploads files into a
 * Mixpeek bucket through presigned URLs and batch confirmations.
 *
 * This entry point has no side effects: import `mixpeek-uploader/define` (or load
 * `dist/mixpeek-uploader.js`) to register `<mixpeek-uploader>`.
 */
export { MixpeekUploader } from './element/mixpeek-uploader.ts';
export { Uploader, createUploader, defaultOptions, type UploaderOptions } from './engine/uploader.ts';
export { FileStatus, isFinal } from './engine/status.ts';
export { MAX_SINGLE_PUT_BYTES, type Rejection, type RejectionCode } from './engine/file-rules.ts';
export { normalizeEtag } from './engine/etag.ts';
export { MixpeekClient, type MixpeekClientOptions } from './api/client.ts';
export type * from './api/types.ts';
export { createWorkerHasher, type Hasher, type HashOptions, type HashResult, type WorkerHasherOptions } from './hash/hasher.ts';
export { TransferError, type Transfer, type TransferJob } from './transfer/types.ts';
export { Connectivity } from './api/connectivity.ts';
export { defaultRetryOptions, type RetryOptions } from './api/retry.ts';
export { MixpeekApiError, MixpeekUploaderError, isAbortError, type UploaderErrorCode } from './errors.ts';
export * from './events.ts';
export { createMemoryJournal, type Journal, type JournalRecord, type JournalState } from './engine/journal.ts';
export type { RejectedFile, UploaderStrings } from './element/strings.ts';
