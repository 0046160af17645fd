/**
 * Error shapes of the emulated API.
 *
 * - Mixpeek's envelope (Mixpeek OpenAPI 0.81, `ErrorResponse`; error types from
 *   docs.mixpeek.com/troubleshoot/errors):
 *   `{"success": false, "status": <http>, "error": {"message", "type", "details"}}`.
 * - FastAPI's validation body for 422 (Mixpeek OpenAPI 0.81, `HTTPValidationError`):
 *   `{"detail": [{"loc", "msg", "type", ...}]}`. Mixpeek's errors page describes a 422 envelope
 *   instead; the emulator follows the OpenAPI document.
 */

/** Error `type` values used by the emulator (docs.mixpeek.com/troubleshoot/errors). */
export type ErrorType =
  | 'BadRequestError'
  | 'UnauthorizedError'
  | 'ForbiddenError'
  | 'NotFoundError'
  | 'MethodNotAllowedError'
  | 'TooManyRequestsError'
  | 'InternalServerError';

/** Mixpeek's error envelope (Mixpeek OpenAPI 0.81, `ErrorResponse`). */
export interface ErrorEnvelope {
  success: false;
  status: number;
  error: { message: string; type: string; details: Record<string, unknown> | null };
}

/** One FastAPI/pydantic validation error (Mixpeek OpenAPI 0.81, `ValidationError`). */
export interface ValidationIssue {
  /** Location, e.g. `["body", "uploads", 3, "content_type"]`. */
  loc: (string | number)[];
  msg: string;
  /** pydantic v2 error type, e.g. `missing`, `string_too_long`. */
  type: string;
  /** The offending input (pydantic v2 includes it). */
  input?: unknown;
  ctx?: Record<string, unknown>;
}

/** An error answered with Mixpeek's envelope. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: ErrorType,
    message: string,
    readonly details: Record<string, unknown> | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The envelope body. */
  toJSON(): ErrorEnvelope {
    return {
      success: false,
      status: this.status,
      error: { message: this.message, type: this.type, details: this.details },
    };
  }
}

/** An error answered with 422 and FastAPI's `{"detail": [...]}` body. */
export class RequestValidationError extends Error {
  readonly status = 422;
  constructor(readonly issues: ValidationIssue[]) {
    super(issues.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('; '));
    this.name = 'RequestValidationError';
  }

  toJSON(): { detail: ValidationIssue[] } {
    return { detail: this.issues };
  }
}

/** 400 `BadRequestError`. */
export const badRequest = (message: string, details: Record<string, unknown> | null = null): ApiError =>
  new ApiError(400, 'BadRequestError', message, details);

/** 404 `NotFoundError`. */
export const notFound = (message: string, details: Record<string, unknown> | null = null): ApiError =>
  new ApiError(404, 'NotFoundError', message, details);

/** 401 `UnauthorizedError`. */
export const unauthorized = (message: string): ApiError => new ApiError(401, 'UnauthorizedError', message);

/**
 * 429 `TooManyRequestsError` (the emulator's `rateLimit` fault), `details.retry_after` in
 * seconds or null. The caller sets the `Retry-After` header.
 */
export const tooManyRequests = (retryAfter: number | null): ApiError =>
  new ApiError(
    429,
    'TooManyRequestsError',
    retryAfter === null ? 'Rate limit exceeded; retry later' : `Rate limit exceeded; retry after ${retryAfter} s`,
    { retry_after: retryAfter },
  );
