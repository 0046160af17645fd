/**
 * Errors raised or reported by mixpeek-uploader.
 *
 * Every error carries a stable `code` (for programs) and a human message (for people);
 * the original failure, when there is one, is kept as `cause`. Cancellation is never an
 * error of this kind: it is a `DOMException` named `AbortError` (see {@link isAbortError}).
 */

/** Machine-readable error codes; also used as `code` in `mixpeek-file-error` events. */
export type UploaderErrorCode =
  | 'api-error'
  | 'network-error'
  | 'create-failed'
  | 'upload-failed'
  | 'hash-failed'
  | 'confirm-failed'
  | 'processing-failed'
  | 'canceled'
  | 'invalid-options';

/** Base class: a `code`, a message and an optional `cause`. */
export class MixpeekUploaderError extends Error {
  override name = 'MixpeekUploaderError';
  readonly code: UploaderErrorCode;

  constructor(code: UploaderErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * A Mixpeek-compatible API answered with a non-2xx status.
 *
 * `message` is the server's own message, read from Mixpeek's error envelope
 * (`{success:false,status,error:{type,message,details}}`, docs.mixpeek.com/troubleshoot/errors)
 * or from a FastAPI validation body (`{detail:[{loc,msg,type}]}` or `{detail:"…"}`, the
 * OpenAPI `HTTPValidationError`), whichever the server sent.
 */
export class MixpeekApiError extends MixpeekUploaderError {
  override name = 'MixpeekApiError';
  /** HTTP status code, e.g. 404. */
  readonly status: number;
  /** HTTP method of the failed request. */
  readonly method: string;
  /** URL of the failed request. */
  readonly url: string;
  /** Mixpeek's `error.type` (e.g. `NotFoundError`), or `ValidationError` for FastAPI bodies. */
  readonly type: string | undefined;
  /** Mixpeek's `error.details`, or the FastAPI `detail` array. */
  readonly details: unknown;
  /** The first 500 characters of the response body, for logs. */
  readonly bodyExcerpt: string;
  /** Seconds from a `Retry-After` header, when the server sent one. */
  readonly retryAfter: number | undefined;

  constructor(init: {
    status: number;
    method: string;
    url: string;
    message: string;
    type?: string | undefined;
    details?: unknown;
    bodyExcerpt: string;
    retryAfter?: number | undefined;
  }) {
    super('api-error', init.message);
    this.status = init.status;
    this.method = init.method;
    this.url = init.url;
    this.type = init.type;
    this.details = init.details;
    this.bodyExcerpt = init.bodyExcerpt;
    this.retryAfter = init.retryAfter;
  }
}

/** True for cancellation (`AbortError`), which is never reported as a failure. */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'name' in error && (error as { name: unknown }).name === 'AbortError';
}

/** Creates the `AbortError` used for cancellation. */
export function abortError(message = 'The upload was canceled.'): DOMException {
  return new DOMException(message, 'AbortError');
}

/** The message of any thrown value. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
