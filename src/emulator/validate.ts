/**
 * Request-body validation, mirroring Mixpeek's pydantic models (Mixpeek OpenAPI 0.81:
 * `CreateUploadRequest`, `BatchUploadRequest`, `ConfirmUploadRequest`, `BatchConfirmRequest`,
 * `ListUploadsRequest`). Failures become FastAPI-style 422 issues with pydantic v2 error types.
 *
 * Emulator's choice: validation is strict where pydantic's lax mode would coerce (a string
 * `"5"` is not accepted as an integer, `1` is not accepted as a boolean), so that client bugs
 * show up locally. Unknown extra fields are ignored, as pydantic does by default.
 */
import { RequestValidationError, type ValidationIssue } from './errors.ts';
import type { ConfirmationInput, JsonObject } from './types.ts';

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

/** Most items in one batch create or batch confirm (Mixpeek OpenAPI 0.81: minItems 1, maxItems 100). */
export const MAX_BATCH_ITEMS = 100;
/** Mixpeek OpenAPI 0.81, `CreateUploadRequest.filename`: 1–255 characters. */
export const FILENAME_MAX_LENGTH = 255;
/** Mixpeek OpenAPI 0.81, `CreateUploadRequest.presigned_url_expiration`: 60–86400 s, default 3600 s. */
export const EXPIRATION_MIN_S = 60;
export const EXPIRATION_MAX_S = 86400;
export const EXPIRATION_DEFAULT_S = 3600;
/** Mixpeek OpenAPI 0.81, `CreateUploadRequest.blob_property` pattern. */
const BLOB_PROPERTY_RE = /^[a-zA-Z0-9_]+$/;
/** Mixpeek OpenAPI 0.81, `CreateUploadRequest.file_hash`: SHA-256, lower-case hex only. */
const FILE_HASH_RE = /^[a-f0-9]{64}$/;
/**
 * A MIME type `type/subtype` (RFC 6838 restricted names) with optional `; name=value`
 * parameters. Mixpeek only says "must be a valid MIME type"; the exact grammar is the emulator's choice.
 */
const MIME_RE =
  /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(?:[ \t]*;[ \t]*[A-Za-z0-9!#$%&'*+.^_`|~-]+=(?:"[^"\r\n]*"|[A-Za-z0-9!#$%&'*+.^_`|~-]+))*[ \t]*$/;

type Loc = (string | number)[];

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Builds issues while validating one object. */
class Checker {
  readonly issues: ValidationIssue[] = [];

  add(loc: Loc, type: string, msg: string, input: unknown, ctx?: Record<string, unknown>): void {
    const issue: ValidationIssue = { type, loc, msg, input };
    if (ctx) issue.ctx = ctx;
    this.issues.push(issue);
  }

  /** A required or optional string; `undefined` when missing or invalid. */
  string(obj: JsonObject, key: string, loc: Loc, opts: { required?: boolean; nullable?: boolean } = {}): string | null | undefined {
    const v = obj[key];
    if (v === undefined) {
      if (opts.required) this.add([...loc, key], 'missing', 'Field required', obj);
      return undefined;
    }
    if (v === null && opts.nullable) return null;
    if (typeof v !== 'string') {
      this.add([...loc, key], 'string_type', 'Input should be a valid string', v);
      return undefined;
    }
    return v;
  }

  /** An optional integer ≥ `min` (and ≤ `max`); `undefined` when missing or invalid. */
  int(obj: JsonObject, key: string, loc: Loc, opts: { min?: number; max?: number; nullable?: boolean } = {}): number | null | undefined {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (v === null && opts.nullable) return null;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.add([...loc, key], 'int_type', 'Input should be a valid integer', v);
      return undefined;
    }
    if (!Number.isInteger(v)) {
      this.add([...loc, key], 'int_from_float', 'Input should be a valid integer, got a number with a fractional part', v);
      return undefined;
    }
    if (opts.min !== undefined && v < opts.min) {
      this.add([...loc, key], 'greater_than_equal', `Input should be greater than or equal to ${opts.min}`, v, { ge: opts.min });
      return undefined;
    }
    if (opts.max !== undefined && v > opts.max) {
      this.add([...loc, key], 'less_than_equal', `Input should be less than or equal to ${opts.max}`, v, { le: opts.max });
      return undefined;
    }
    return v;
  }

  bool(obj: JsonObject, key: string, loc: Loc): boolean | undefined {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') {
      this.add([...loc, key], 'bool_type', 'Input should be a valid boolean', v);
      return undefined;
    }
    return v;
  }

  object(obj: JsonObject, key: string, loc: Loc, opts: { nullable?: boolean } = {}): JsonObject | null | undefined {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (v === null && opts.nullable) return null;
    if (!isObject(v)) {
      this.add([...loc, key], 'dict_type', 'Input should be a valid dictionary', v);
      return undefined;
    }
    return v;
  }

  /** The whole body must be an object (pydantic `model_attributes_type`). */
  model(body: unknown, loc: Loc): JsonObject | undefined {
    if (body === undefined || body === null) {
      this.add(loc, 'missing', 'Field required', null);
      return undefined;
    }
    if (!isObject(body)) {
      this.add(loc, 'model_attributes_type', 'Input should be a valid dictionary or object to extract fields from', body);
      return undefined;
    }
    return body;
  }

  /** An array of 1..max items. */
  list(obj: JsonObject, key: string, loc: Loc, max: number): unknown[] | undefined {
    const v = obj[key];
    if (v === undefined) {
      this.add([...loc, key], 'missing', 'Field required', obj);
      return undefined;
    }
    if (!Array.isArray(v)) {
      this.add([...loc, key], 'list_type', 'Input should be a valid list', v);
      return undefined;
    }
    if (v.length < 1) {
      this.add([...loc, key], 'too_short', `List should have at least 1 item after validation, not ${v.length}`, v, {
        field_type: 'List',
        min_length: 1,
        actual_length: v.length,
      });
      return undefined;
    }
    if (v.length > max) {
      this.add([...loc, key], 'too_long', `List should have at most ${max} items after validation, not ${v.length}`, v.length, {
        field_type: 'List',
        max_length: max,
        actual_length: v.length,
      });
      return undefined;
    }
    return v;
  }

  throwIfAny(): void {
    if (this.issues.length > 0) throw new RequestValidationError(this.issues);
  }
}

/**
 * Path traversal check. Mixpeek OpenAPI 0.81, `CreateUploadRequest.filename`: "path traversal
 * (`../`, `\`) is rejected". Emulator's choice: also a bare `..` segment and control characters.
 */
export function filenameProblem(filename: string): string | null {
  if (filename.includes('\\')) return 'filename must not contain backslashes';
  if (filename.split('/').some((segment) => segment === '..')) return "filename must not contain path traversal ('../')";
  // eslint-disable-next-line no-control-regex
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
  if (/[\u0000-\u001f\u007f]/.test(filename)) return 'filename must not contain control characters';
  return null;
}

/** True for a MIME type `type/subtype` with optional parameters, e.g. `text/plain; charset=utf-8`. */
export function isValidMimeType(value: string): boolean {
  return MIME_RE.test(value);
}

function checkCreateItem(c: Checker, item: unknown, loc: Loc): CreateUploadInput | undefined {
  const obj = c.model(item, loc);
  if (!obj) return undefined;
  const before = c.issues.length;

  const filename = c.string(obj, 'filename', loc, { required: true });
  if (typeof filename === 'string') {
    const length = [...filename].length;
    if (length < 1) {
      c.add([...loc, 'filename'], 'string_too_short', 'String should have at least 1 character', filename, { min_length: 1 });
    } else if (length > FILENAME_MAX_LENGTH) {
      c.add([...loc, 'filename'], 'string_too_long', `String should have at most ${FILENAME_MAX_LENGTH} characters`, filename, {
        max_length: FILENAME_MAX_LENGTH,
      });
    } else {
      const problem = filenameProblem(filename);
      if (problem) c.add([...loc, 'filename'], 'value_error', `Value error, ${problem}`, filename, { error: problem });
    }
  }

  const contentType = c.string(obj, 'content_type', loc, { required: true });
  if (typeof contentType === 'string' && !isValidMimeType(contentType)) {
    c.add(
      [...loc, 'content_type'],
      'value_error',
      "Value error, content_type must be a valid MIME type such as 'image/png' or 'text/plain; charset=utf-8'",
      contentType,
      { error: 'invalid MIME type' },
    );
  }

  const size = c.int(obj, 'file_size_bytes', loc, { min: 1, nullable: true });
  const expiration = c.int(obj, 'presigned_url_expiration', loc, { min: EXPIRATION_MIN_S, max: EXPIRATION_MAX_S });
  const metadata = c.object(obj, 'metadata', loc);
  const objectMetadata = c.object(obj, 'object_metadata', loc, { nullable: true });

  const blobProperty = c.string(obj, 'blob_property', loc, { nullable: true });
  if (typeof blobProperty === 'string' && !BLOB_PROPERTY_RE.test(blobProperty)) {
    c.add([...loc, 'blob_property'], 'string_pattern_mismatch', "String should match pattern '^[a-zA-Z0-9_]+$'", blobProperty, {
      pattern: '^[a-zA-Z0-9_]+$',
    });
  }
  const blobType = c.string(obj, 'blob_type', loc, { nullable: true });

  const fileHash = c.string(obj, 'file_hash', loc, { nullable: true });
  if (typeof fileHash === 'string' && !FILE_HASH_RE.test(fileHash)) {
    c.add([...loc, 'file_hash'], 'string_pattern_mismatch', "String should match pattern '^[a-f0-9]{64}$'", fileHash, {
      pattern: '^[a-f0-9]{64}$',
    });
  }

  const createObject = c.bool(obj, 'create_object_on_confirm', loc);
  const skipDuplicates = c.bool(obj, 'skip_duplicates', loc);

  if (c.issues.length > before || typeof filename !== 'string' || typeof contentType !== 'string') return undefined;
  return {
    filename,
    content_type: contentType,
    file_size_bytes: size ?? null,
    presigned_url_expiration: expiration ?? EXPIRATION_DEFAULT_S,
    metadata: metadata ?? {},
    object_metadata: objectMetadata ?? null,
    blob_property: blobProperty ?? null,
    blob_type: blobType ?? null,
    file_hash: fileHash ?? null,
    create_object_on_confirm: createObject ?? true,
    skip_duplicates: skipDuplicates ?? true,
  };
}

/** Validates `POST …/uploads` (Mixpeek OpenAPI 0.81, `CreateUploadRequest`). Throws a 422 error. */
export function validateCreateUpload(body: unknown): CreateUploadInput {
  const c = new Checker();
  const item = checkCreateItem(c, body, ['body']);
  c.throwIfAny();
  return item as CreateUploadInput;
}

/**
 * Validates `POST …/uploads/batch` (Mixpeek OpenAPI 0.81, `BatchUploadRequest`: `uploads` 1–100
 * items, optional `shared_metadata` / `shared_object_metadata` merged into each item with the
 * item's keys winning). Throws a 422 error listing every bad item.
 */
export function validateBatchCreate(body: unknown): CreateUploadInput[] {
  const c = new Checker();
  const obj = c.model(body, ['body']);
  if (!obj) c.throwIfAny();
  const o = obj as JsonObject;
  const list = c.list(o, 'uploads', ['body'], MAX_BATCH_ITEMS);
  const sharedMetadata = c.object(o, 'shared_metadata', ['body'], { nullable: true });
  const sharedObjectMetadata = c.object(o, 'shared_object_metadata', ['body'], { nullable: true });
  const items = (list ?? []).map((item, i) => checkCreateItem(c, item, ['body', 'uploads', i]));
  c.throwIfAny();
  return items.map((item) => {
    const it = item as CreateUploadInput;
    const metadata = { ...(sharedMetadata ?? {}), ...it.metadata };
    const objectMetadata =
      sharedObjectMetadata || it.object_metadata ? { ...(sharedObjectMetadata ?? {}), ...(it.object_metadata ?? {}) } : null;
    return { ...it, metadata, object_metadata: objectMetadata };
  });
}

/**
 * Strips surrounding double quotes and lower-cases an ETag. Mixpeek OpenAPI 0.81,
 * `ConfirmUploadRequest.etag`: "usually an MD5 hash, may be enclosed in quotes".
 */
export function normalizeEtag(etag: string): string {
  let e = etag.trim();
  if (e.startsWith('W/')) e = e.slice(2);
  while (e.length >= 1 && e.startsWith('"')) e = e.slice(1);
  while (e.length >= 1 && e.endsWith('"')) e = e.slice(0, -1);
  return e.toLowerCase();
}

function checkConfirmation(c: Checker, obj: JsonObject, loc: Loc): { etag: string | null; file_size_bytes: number | null } {
  const etag = c.string(obj, 'etag', loc, { nullable: true });
  const size = c.int(obj, 'file_size_bytes', loc, { min: 1, nullable: true });
  return { etag: typeof etag === 'string' ? normalizeEtag(etag) : null, file_size_bytes: size ?? null };
}

/**
 * Validates the body of `POST …/uploads/{id}/confirm` (Mixpeek OpenAPI 0.81,
 * `ConfirmUploadRequest`: body required, `etag` string|null, `file_size_bytes` int ≥ 1|null).
 */
export function validateConfirm(body: unknown): { etag: string | null; file_size_bytes: number | null } {
  const c = new Checker();
  const obj = c.model(body, ['body']);
  const out = obj ? checkConfirmation(c, obj, ['body']) : undefined;
  c.throwIfAny();
  return out as { etag: string | null; file_size_bytes: number | null };
}

/**
 * Validates `POST …/uploads/confirm/batch` (Mixpeek OpenAPI 0.81, `BatchConfirmRequest`:
 * `confirmations` 1–100 free-form objects holding `upload_id`, `etag`, `file_size_bytes`).
 * Emulator's choice: `upload_id` is required in each item, and an id repeated within one
 * batch is a 422 (Mixpeek types the items as free-form objects).
 */
export function validateBatchConfirm(body: unknown): ConfirmationInput[] {
  const c = new Checker();
  const obj = c.model(body, ['body']);
  if (!obj) c.throwIfAny();
  const list = c.list(obj as JsonObject, 'confirmations', ['body'], MAX_BATCH_ITEMS) ?? [];
  const seen = new Map<string, number>();
  const out: ConfirmationInput[] = [];
  list.forEach((item, i) => {
    const loc: Loc = ['body', 'confirmations', i];
    if (!isObject(item)) {
      c.add(loc, 'dict_type', 'Input should be a valid dictionary', item);
      return;
    }
    const uploadId = c.string(item, 'upload_id', loc, { required: true });
    const rest = checkConfirmation(c, item, loc);
    if (typeof uploadId !== 'string') return;
    const first = seen.get(uploadId);
    if (first !== undefined) {
      c.add(
        [...loc, 'upload_id'],
        'value_error',
        `Value error, upload_id ${uploadId} appears more than once (first at index ${first})`,
        uploadId,
      );
      return;
    }
    seen.set(uploadId, i);
    out.push({ upload_id: uploadId, ...rest });
  });
  c.throwIfAny();
  return out;
}

/**
 * Validates the optional body of `POST …/uploads/list` (Mixpeek OpenAPI 0.81,
 * `ListUploadsRequest`: `limit` 1–100 default 20, `offset` ≥ 0 default 0, `sort` `{field,
 * direction}`, `search`, `filters`). `fallback` carries the `limit`/`offset` query parameters,
 * used when the body has none (emulator's choice; Mixpeek does not say which wins).
 */
export function validateList(body: unknown, fallback: { limit?: number; offset?: number }): ListInput {
  const c = new Checker();
  const obj: JsonObject = body === undefined || body === null ? {} : (c.model(body, ['body']) ?? {});
  const filters = c.object(obj, 'filters', ['body'], { nullable: true });
  const search = c.string(obj, 'search', ['body'], { nullable: true });
  const limit = c.int(obj, 'limit', ['body'], { min: 1, max: 100 });
  const offset = c.int(obj, 'offset', ['body'], { min: 0 });
  let sort: ListInput['sort'] = null;
  const rawSort = c.object(obj, 'sort', ['body'], { nullable: true });
  if (rawSort) {
    const field = c.string(rawSort, 'field', ['body', 'sort'], { required: true });
    const direction = c.string(rawSort, 'direction', ['body', 'sort']) ?? 'desc';
    if (direction !== 'asc' && direction !== 'desc') {
      c.add(['body', 'sort', 'direction'], 'enum', "Input should be 'asc' or 'desc'", direction, { expected: "'asc' or 'desc'" });
    } else if (typeof field === 'string') {
      sort = { field, direction };
    }
  }
  c.throwIfAny();
  return {
    filters: filters ?? null,
    sort,
    search: search ?? null,
    limit: limit ?? fallback.limit ?? 20,
    offset: offset ?? fallback.offset ?? 0,
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
