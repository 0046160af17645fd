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

/** Short, plain reasons a single file failed. */
export type FileReason =
  | 'content-mismatch'
  | 'size-mismatch'
  | 'expired'
  | 'unsupported'
  | 'unreadable'
  | 'storage-refused'
  | 'network'
  | 'refused'
  | 'not-processed'
  | 'not-confirmed'
  | 'not-started';

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

/** The plain reason a single file failed, from its error code and the server's words. */
export function fileReasonOf(error: ReportedError): FileReason {
  const text = error.message;
  switch (error.code) {
    case 'processing-failed':
      if (/etag|md5|checksum/i.test(text)) return 'content-mismatch';
      if (/size/i.test(text)) return 'size-mismatch';
      if (/expire/i.test(text)) return 'expired';
      if (/type|format|unsupported/i.test(text)) return 'unsupported';
      return 'not-processed';
    case 'hash-failed':
      return 'unreadable';
    case 'upload-failed':
      if (/could not be read|changed on disk|NotReadable/i.test(text)) return 'unreadable';
      if (/expire/i.test(text)) return 'expired';
      return 'storage-refused';
    case 'network-error':
      return 'network';
    case 'confirm-failed':
      return /etag|md5/i.test(text) ? 'content-mismatch' : 'not-confirmed';
    case 'create-failed':
      return 'not-started';
    default:
      return 'refused';
  }
}

/** A storage error code named in a message (`SignatureDoesNotMatch`, `EntityTooLarge`…), shown beside the reason. */
export function storageCodeOf(message: string): string | undefined {
  return /\b(?:[A-Z][a-z]+){2,}\b/.exec(message)?.[0];
}
