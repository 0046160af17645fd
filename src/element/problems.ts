/**
 * Sorts what went wrong into the two kinds a person meets differently: a setup problem (the
 * page cannot reach or use the API or storage at all: every file would fail the same way), shown
 * once as a banner; and a problem of one file, shown on its row in a few plain words. Decided
 * from what the engine's errors already carry: `code`, the API's HTTP `status`, the `cause`'s
 * own code, and the message's wording where nothing else tells.
 */
import type { UploaderErrorCode } from '../errors.ts';

/** The error of a file (or the engine's own), as the engine reports it. */
export interface ReportedError {
  code: UploaderErrorCode;
  message: string;
  status?: number | undefined;
  cause?: unknown;
}

/** Problems of the setup rather than of a file. */
export type SetupProblem = 'api-unreachable' | 'storage-cors' | 'unauthorized' | 'not-found' | 'invalid-options';

/** Plain reasons a single file failed that say more than its error code (see `fileReasonOf`). */
export type FileReason = 'content-mismatch' | 'size-mismatch';

const apiRoutes: ReadonlySet<UploaderErrorCode> = new Set(['create-failed', 'confirm-failed', 'api-error', 'network-error']);

function causeCode(cause: unknown): string | undefined {
  const code = (cause as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The setup problem behind an error, or `undefined` when it concerns that one file. */
export function setupProblemOf(error: ReportedError): SetupProblem | undefined {
  if (error.code === 'invalid-options') return 'invalid-options';
  if (apiRoutes.has(error.code)) {
    if (error.status === 401 || error.status === 403) return 'unauthorized';
    // Mixpeek answers 404 for an unknown bucket or namespace, 400 for a missing namespace.
    if (error.status === 404 && /bucket|namespace/i.test(error.message)) return 'not-found';
    if (error.status === 400 && /namespace/i.test(error.message)) return 'not-found';
    if (error.status === undefined && (causeCode(error.cause) === 'network-error' || /did not answer/.test(error.message)))
      return 'api-unreachable';
  }
  if (error.code === 'upload-failed' && /\bCORS\b/.test(error.message)) return 'storage-cors';
  return undefined;
}

/**
 * What a single file's failure comes to in plain words: a {@link FileReason} when the server's
 * words tell more than the code (what Mixpeek refused), else the error code to explain, which may
 * be another than the file's (a file that could not be read fails its PUT, but reads as unreadable).
 */
export function fileReasonOf(error: ReportedError): FileReason | UploaderErrorCode {
  const text = error.message;
  if (error.code === 'processing-failed' || error.code === 'confirm-failed') {
    if (/etag|md5|checksum/i.test(text)) return 'content-mismatch';
    if (/size/i.test(text)) return 'size-mismatch';
  }
  if (error.code === 'upload-failed' && /could not be read|changed on disk|NotReadable/i.test(text)) return 'hash-failed';
  return error.code;
}

/** A storage error code named in a message (`SignatureDoesNotMatch`, `EntityTooLarge`…), shown beside the reason. */
export function storageCodeOf(message: string): string | undefined {
  return /\b(?:[A-Z][a-z]+){2,}\b/.exec(message)?.[0];
}
