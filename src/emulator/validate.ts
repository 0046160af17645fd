/**
 * Request-body validation for the emulator: the shared request schemas (src/api/schemas.ts,
 * Mixpeek OpenAPI 0.81) with Mixpeek's defaults applied, and their issues turned into
 * FastAPI-style 422 details with pydantic v2 error types (Mixpeek OpenAPI 0.81,
 * `HTTPValidationError`).
 *
 * Emulator's choice: validation is strict where pydantic's lax mode would coerce (a string
 * `"5"` is not accepted as an integer, `1` is not accepted as a boolean), so that client bugs
 * show up locally. Unknown extra fields are ignored, as pydantic does by default.
 */
import type { GenericSchema, InferOutput } from 'valibot';
import {
  BatchConfirmSchema,
  BatchUploadSchema,
  ConfirmUploadSchema,
  CreateUploadSchema,
  type CreateUploadBody,
  EXPIRATION_DEFAULT_S,
  ListUploadsSchema,
  parseRequest,
  type RequestIssue,
} from '../api/schemas.ts';
import { RequestValidationError, type ValidationIssue } from './errors.ts';
import type { ConfirmationInput, JsonObject } from './types.ts';
import { normalizeEtag } from '../engine/etag.ts';

export { isValidMimeType, MAX_BATCH_ITEMS } from '../api/schemas.ts';

/** A create-upload item after validation, with Mixpeek's defaults applied. */
export interface CreateUploadInput {
  filename: string;
  content_type: string;
  /** Bytes, or null when not declared. */
  file_size_bytes: number | null;
  /** Seconds, 60–86400 (default 3600). */
  presigned_url_expiration: number;
  metadata: JsonObject;
  object_metadata: JsonObject | null;
  blob_property: string | null;
  blob_type: string | null;
  file_hash: string | null;
  create_object_on_confirm: boolean;
  skip_duplicates: boolean;
}

/** A validated list request (Mixpeek OpenAPI 0.81, `ListUploadsRequest`). */
export interface ListInput {
  filters: JsonObject | null;
  sort: { field: string; direction: 'asc' | 'desc' } | null;
  search: string | null;
  /** 1–100, default 20. */
  limit: number;
  /** ≥ 0, default 0. */
  offset: number;
}

/** One shared-schema issue as pydantic v2 would report it. */
function toPydantic(issue: RequestIssue): ValidationIssue {
  const loc = ['body', ...issue.path];
  const { input, requirement } = issue;
  const at = (type: string, msg: string, ctx?: Record<string, unknown>): ValidationIssue =>
    ctx ? { type, loc, msg, input, ctx } : { type, loc, msg, input };
  if (issue.missing) return at('missing', 'Field required');
  const list = Array.isArray(input);
  switch (issue.type) {
    case 'string':
      return at('string_type', 'Input should be a valid string');
    case 'number':
      return at('int_type', 'Input should be a valid integer');
    case 'integer':
      return at('int_from_float', 'Input should be a valid integer, got a number with a fractional part');
    case 'min_value':
      return at('greater_than_equal', issue.message, { ge: requirement });
    case 'max_value':
      return at('less_than_equal', issue.message, { le: requirement });
    case 'boolean':
      return at('bool_type', 'Input should be a valid boolean');
    case 'array':
      return at('list_type', 'Input should be a valid list');
    case 'object':
      return issue.path.length === 0
        ? at('model_attributes_type', 'Input should be a valid dictionary or object to extract fields from')
        : at('dict_type', 'Input should be a valid dictionary');
    case 'record':
      return at('dict_type', 'Input should be a valid dictionary');
    case 'min_length':
      return list
        ? at('too_short', `List should have at least ${requirement} item after validation, not ${input.length}`, {
            field_type: 'List',
            min_length: requirement,
            actual_length: input.length,
          })
        : at('string_too_short', issue.message, { min_length: requirement });
    case 'max_length':
      return list
        ? {
            type: 'too_long',
            loc,
            msg: `List should have at most ${requirement} items after validation, not ${input.length}`,
            input: input.length,
            ctx: { field_type: 'List', max_length: requirement, actual_length: input.length },
          }
        : at('string_too_long', issue.message, { max_length: requirement });
    case 'regex':
      return at('string_pattern_mismatch', issue.message, { pattern: (requirement as RegExp).source });
    case 'picklist':
      return at('enum', issue.message, { expected: "'asc' or 'desc'" });
    default:
      return at('value_error', `Value error, ${issue.message}`, { error: issue.message });
  }
}

/** The schema's output, or a 422 listing every issue. */
function parse<S extends GenericSchema>(schema: S, body: unknown): InferOutput<S> {
  if (body === undefined || body === null) {
    throw new RequestValidationError([{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }]);
  }
  const result = parseRequest(schema, body);
  if (!result.ok) throw new RequestValidationError(result.issues.map(toPydantic));
  return result.value;
}

/** Mixpeek's defaults for the optional fields of a create item. */
function withDefaults(item: CreateUploadBody): CreateUploadInput {
  return {
    filename: item.filename,
    content_type: item.content_type,
    file_size_bytes: item.file_size_bytes ?? null,
    presigned_url_expiration: item.presigned_url_expiration ?? EXPIRATION_DEFAULT_S,
    metadata: (item.metadata ?? {}) as JsonObject,
    object_metadata: (item.object_metadata ?? null) as JsonObject | null,
    blob_property: item.blob_property ?? null,
    blob_type: item.blob_type ?? null,
    file_hash: item.file_hash ?? null,
    create_object_on_confirm: item.create_object_on_confirm ?? true,
    skip_duplicates: item.skip_duplicates ?? true,
  };
}

/** Validates `POST …/uploads` (Mixpeek OpenAPI 0.81, `CreateUploadRequest`). Throws a 422 error. */
export function validateCreateUpload(body: unknown): CreateUploadInput {
  return withDefaults(parse(CreateUploadSchema, body));
}

/**
 * Validates `POST …/uploads/batch` (Mixpeek OpenAPI 0.81, `BatchUploadRequest`: `uploads` 1–100
 * items, optional `shared_metadata` / `shared_object_metadata` merged into each item with the
 * item's keys winning). Throws a 422 error listing every bad item.
 */
export function validateBatchCreate(body: unknown): CreateUploadInput[] {
  const batch = parse(BatchUploadSchema, body);
  return batch.uploads.map((raw) => {
    const item = withDefaults(raw);
    const metadata = { ...(batch.shared_metadata ?? {}), ...item.metadata } as JsonObject;
    const shared = batch.shared_object_metadata;
    const objectMetadata = shared || item.object_metadata ? ({ ...(shared ?? {}), ...(item.object_metadata ?? {}) } as JsonObject) : null;
    return { ...item, metadata, object_metadata: objectMetadata };
  });
}

/**
 * Validates the body of `POST …/uploads/{id}/confirm` (Mixpeek OpenAPI 0.81,
 * `ConfirmUploadRequest`: body required, `etag` string|null, `file_size_bytes` int ≥ 1|null).
 */
export function validateConfirm(body: unknown): { etag: string | null; file_size_bytes: number | null } {
  const confirm = parse(ConfirmUploadSchema, body);
  return { etag: typeof confirm.etag === 'string' ? normalizeEtag(confirm.etag) : null, file_size_bytes: confirm.file_size_bytes ?? null };
}

/**
 * Validates `POST …/uploads/confirm/batch` (Mixpeek OpenAPI 0.81, `BatchConfirmRequest`).
 * Emulator's choice: an id repeated within one batch is a 422 (Mixpeek types the items as
 * free-form objects).
 */
export function validateBatchConfirm(body: unknown): ConfirmationInput[] {
  const { confirmations } = parse(BatchConfirmSchema, body);
  const seen = new Map<string, number>();
  const issues: ValidationIssue[] = [];
  confirmations.forEach(({ upload_id: id }, i) => {
    const first = seen.get(id);
    if (first === undefined) seen.set(id, i);
    else {
      const msg = `Value error, upload_id ${id} appears more than once (first at index ${first})`;
      issues.push({ type: 'value_error', loc: ['body', 'confirmations', i, 'upload_id'], msg, input: id });
    }
  });
  if (issues.length > 0) throw new RequestValidationError(issues);
  return confirmations.map((c) => ({
    upload_id: c.upload_id,
    etag: typeof c.etag === 'string' ? normalizeEtag(c.etag) : null,
    file_size_bytes: c.file_size_bytes ?? null,
  }));
}

/**
 * Validates the optional body of `POST …/uploads/list` (Mixpeek OpenAPI 0.81,
 * `ListUploadsRequest`: `limit` 1–100 default 20, `offset` ≥ 0 default 0, `sort` `{field,
 * direction}`, `search`, `filters`). `fallback` carries the `limit`/`offset` query parameters,
 * used when the body has none (emulator's choice; Mixpeek does not say which wins).
 */
export function validateList(body: unknown, fallback: { limit?: number; offset?: number }): ListInput {
  const list = parse(ListUploadsSchema, body ?? {});
  return {
    filters: (list.filters ?? null) as JsonObject | null,
    sort: list.sort ? { field: list.sort.field, direction: list.sort.direction ?? 'desc' } : null,
    search: list.search ?? null,
    limit: list.limit ?? fallback.limit ?? 20,
    offset: list.offset ?? fallback.offset ?? 0,
  };
}

/** 422 for a body that is not valid JSON (FastAPI's `json_invalid`). */
export function jsonInvalid(position: number, error: string): RequestValidationError {
  return new RequestValidationError([
    { type: 'json_invalid', loc: ['body', position], msg: 'JSON decode error', input: {}, ctx: { error } },
  ]);
}

/** 422 for a bad query parameter. */
export function queryInvalid(name: string, type: string, msg: string, input: unknown): RequestValidationError {
  return new RequestValidationError([{ type, loc: ['query', name], msg, input }]);
}
