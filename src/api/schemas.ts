/**
 * The request bodies of Mixpeek's upload routes, declared once with valibot and used by both the
 * gateway (which forwards only what these schemas let through) and the emulator (which answers
 * FastAPI-style 422s from their issues). Shapes and limits follow Mixpeek's OpenAPI document,
 * API version 0.81 (`CreateUploadRequest`, `BatchUploadRequest`, `ConfirmUploadRequest`,
 * `BatchConfirmRequest`, `ListUploadsRequest`); limits Mixpeek does not state are marked "our
 * choice".
 *
 * Objects are parsed with `v.object`, which drops unknown keys: the output holds the documented
 * fields only. valibot is strict (no coercion): `"5"` is not an integer, `1` is not a boolean.
 * Messages are pydantic's wording, so the emulator's 422 details read like Mixpeek's.
 */
import * as v from 'valibot';

/** Most items in one batch create or batch confirm (Mixpeek OpenAPI 0.81: minItems 1, maxItems 100). */
export const MAX_BATCH_ITEMS = 100;
/** Mixpeek OpenAPI 0.81, `CreateUploadRequest.filename`: 1–255 characters. */
export const FILENAME_MAX_LENGTH = 255;
/** Longest `content_type`, characters (our choice; Mixpeek states none). */
export const CONTENT_TYPE_MAX_LENGTH = 255;
/** Longest `etag`, characters (our choice: an S3 ETag is at most ~70). */
export const ETAG_MAX_LENGTH = 200;
/** Longest id or short string field (`upload_id`, `blob_type`, metadata keys), characters (our choice). */
export const SHORT_STRING_MAX_LENGTH = 200;
/** Mixpeek OpenAPI 0.81, `CreateUploadRequest.presigned_url_expiration`: 60–86400 s, default 3600 s. */
export const EXPIRATION_MIN_S = 60;
export const EXPIRATION_MAX_S = 86400;
export const EXPIRATION_DEFAULT_S = 3600;
/** Deepest nesting of arrays and objects in a request body (our choice; a batch with metadata needs 5). */
export const MAX_JSON_DEPTH = 16;

/** Mixpeek OpenAPI 0.81, `CreateBlobRequest.upload_id`. */
export const UPLOAD_ID_PATTERN = /^upl_[A-Za-z0-9_-]+$/;
/** Mixpeek OpenAPI 0.81, `CreateUploadRequest.blob_property`. */
const BLOB_PROPERTY_PATTERN = /^[a-zA-Z0-9_]+$/;
/** Mixpeek OpenAPI 0.81, `CreateUploadRequest.file_hash`: SHA-256, lower-case hex only. */
const FILE_HASH_PATTERN = /^[a-f0-9]{64}$/;
/**
 * A MIME type `type/subtype` (RFC 6838 restricted names) with optional `; name=value`
 * parameters. Mixpeek only says "must be a valid MIME type"; the exact grammar is our choice.
 */
const MIME_PATTERN =
  /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(?:[ \t]*;[ \t]*[A-Za-z0-9!#$%&'*+.^_`|~-]+=(?:"[^"\r\n]*"|[A-Za-z0-9!#$%&'*+.^_`|~-]+))*[ \t]*$/;

/** True for a MIME type `type/subtype` with optional parameters, e.g. `text/plain; charset=utf-8`. */
export function isValidMimeType(value: string): boolean {
  return MIME_PATTERN.test(value);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/**
 * `filename`: Mixpeek OpenAPI 0.81 says "path traversal (`../`, `\`) is rejected"; a bare `..`
 * segment and control characters are refused too (our choice).
 */
const Filename = v.pipe(
  v.string('Input should be a valid string'),
  v.minLength(1, 'String should have at least 1 character'),
  v.maxLength(FILENAME_MAX_LENGTH, `String should have at most ${FILENAME_MAX_LENGTH} characters`),
  v.check((name) => !name.includes('\\'), 'filename must not contain backslashes'),
  v.check((name) => !name.split('/').includes('..'), "filename must not contain path traversal ('../')"),
  v.check((name) => !CONTROL_CHARACTERS.test(name), 'filename must not contain control characters'),
);

const ContentType = v.pipe(
  v.string('Input should be a valid string'),
  v.maxLength(CONTENT_TYPE_MAX_LENGTH, `String should have at most ${CONTENT_TYPE_MAX_LENGTH} characters`),
  v.check(isValidMimeType, "content_type must be a valid MIME type such as 'image/png' or 'text/plain; charset=utf-8'"),
);

/** An integer within [min, max]. */
const integer = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  v.pipe(
    v.number('Input should be a valid integer'),
    v.integer('Input should be a valid integer, got a number with a fractional part'),
    v.minValue(min, `Input should be greater than or equal to ${min}`),
    v.maxValue(max, `Input should be less than or equal to ${max}`),
  );

const shortString = (max = SHORT_STRING_MAX_LENGTH) =>
  v.pipe(v.string('Input should be a valid string'), v.maxLength(max, `String should have at most ${max} characters`));

const pattern = (re: RegExp, max = SHORT_STRING_MAX_LENGTH) =>
  v.pipe(shortString(max), v.regex(re, `String should match pattern '${re.source}'`));

/** Free-form metadata: an object with string keys (its depth is bounded by {@link MAX_JSON_DEPTH}). */
const Metadata = v.record(shortString(), v.unknown(), 'Input should be a valid dictionary');

const Bool = v.boolean('Input should be a valid boolean');

/** `CreateUploadRequest` (Mixpeek OpenAPI 0.81): one item of a create. */
export const CreateUploadSchema = v.object(
  {
    filename: Filename,
    content_type: ContentType,
    /** Bytes, ≥ 1. */
    file_size_bytes: v.optional(v.nullable(integer(1))),
    /** Seconds. */
    presigned_url_expiration: v.optional(integer(EXPIRATION_MIN_S, EXPIRATION_MAX_S)),
    metadata: v.optional(Metadata),
    object_metadata: v.optional(v.nullable(Metadata)),
    blob_property: v.optional(v.nullable(pattern(BLOB_PROPERTY_PATTERN))),
    blob_type: v.optional(v.nullable(shortString())),
    file_hash: v.optional(v.nullable(pattern(FILE_HASH_PATTERN))),
    create_object_on_confirm: v.optional(Bool),
    skip_duplicates: v.optional(Bool),
  },
  'Input should be a valid dictionary or object to extract fields from',
);

/** A list of 1..{@link MAX_BATCH_ITEMS} items. */
const batchOf = <T extends v.GenericSchema>(item: T) =>
  v.pipe(
    v.array(item, 'Input should be a valid list'),
    v.minLength(1, 'List should have at least 1 item after validation, not 0'),
    v.maxLength(MAX_BATCH_ITEMS, `List should have at most ${MAX_BATCH_ITEMS} items after validation`),
  );

/**
 * `BatchUploadRequest` (Mixpeek OpenAPI 0.81): 1–100 items, optional `shared_metadata` /
 * `shared_object_metadata` merged into each item by Mixpeek (the item's keys win).
 */
export const BatchUploadSchema = v.object(
  {
    uploads: batchOf(CreateUploadSchema),
    shared_metadata: v.optional(v.nullable(Metadata)),
    shared_object_metadata: v.optional(v.nullable(Metadata)),
  },
  'Input should be a valid dictionary or object to extract fields from',
);

const Etag = v.optional(v.nullable(shortString(ETAG_MAX_LENGTH)));

/** `ConfirmUploadRequest` (Mixpeek OpenAPI 0.81): `etag` string|null, `file_size_bytes` int ≥ 1|null. */
export const ConfirmUploadSchema = v.object(
  { etag: Etag, file_size_bytes: v.optional(v.nullable(integer(1))) },
  'Input should be a valid dictionary or object to extract fields from',
);

/** One confirmation of a batch confirm: `upload_id` plus the fields of a single confirm. */
export const ConfirmationSchema = v.object(
  { upload_id: pattern(UPLOAD_ID_PATTERN), etag: Etag, file_size_bytes: v.optional(v.nullable(integer(1))) },
  'Input should be a valid dictionary',
);

/**
 * `BatchConfirmRequest` (Mixpeek OpenAPI 0.81): `confirmations`, 1–100 objects holding
 * `upload_id`, `etag`, `file_size_bytes` (Mixpeek types the items as free-form objects; these
 * are the keys its docs name, and `upload_id` is required here).
 */
export const BatchConfirmSchema = v.object(
  { confirmations: batchOf(ConfirmationSchema) },
  'Input should be a valid dictionary or object to extract fields from',
);

/** `ListUploadsRequest` (Mixpeek OpenAPI 0.81): `limit` 1–100, `offset` ≥ 0, `sort`, `search`, `filters`. */
export const ListUploadsSchema = v.object(
  {
    filters: v.optional(v.nullable(Metadata)),
    sort: v.optional(
      v.nullable(
        v.object(
          {
            field: shortString(),
            direction: v.optional(v.picklist(['asc', 'desc'], "Input should be 'asc' or 'desc'")),
          },
          'Input should be a valid dictionary',
        ),
      ),
    ),
    search: v.optional(v.nullable(shortString(1000))),
    limit: v.optional(integer(1, 100)),
    offset: v.optional(integer(0)),
  },
  'Input should be a valid dictionary or object to extract fields from',
);

export type CreateUploadBody = v.InferOutput<typeof CreateUploadSchema>;
export type BatchUploadBody = v.InferOutput<typeof BatchUploadSchema>;
export type ConfirmUploadBody = v.InferOutput<typeof ConfirmUploadSchema>;
export type BatchConfirmBody = v.InferOutput<typeof BatchConfirmSchema>;
export type ListUploadsBody = v.InferOutput<typeof ListUploadsSchema>;

/** One problem found in a request, located by its path (`["uploads", 3, "content_type"]`). */
export interface RequestIssue {
  path: (string | number)[];
  message: string;
  /** valibot's issue type (`string`, `min_length`, `check`, `object` for a missing key…). */
  type: string;
  /** True when the field is absent. */
  missing: boolean;
  input: unknown;
  /** The bound the input broke (`maxLength`'s 255, a pattern), when there is one. */
  requirement?: unknown;
}

/** The result of {@link parseRequest}. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: RequestIssue[] };

/** Validates `input` against `schema`, reporting every issue with its path. */
export function parseRequest<S extends v.GenericSchema>(schema: S, input: unknown): Parsed<v.InferOutput<S>> {
  // valibot's `object` takes arrays for objects; a body must be a JSON object.
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    const message = 'Input should be a valid dictionary or object to extract fields from';
    return { ok: false, issues: [{ path: [], message, type: 'object', missing: input === undefined, input }] };
  }
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  return {
    ok: false,
    issues: result.issues.map((issue) => {
      const path = (issue.path ?? []).map((item) => item.key as string | number);
      const last = issue.path?.at(-1);
      const missing = issue.input === undefined && last !== undefined && !((last.key as string) in (last.input as object));
      const out: RequestIssue = {
        path,
        message: missing ? 'Field required' : issue.message,
        type: issue.type,
        missing,
        input: issue.input,
      };
      if ('requirement' in issue && issue.requirement !== undefined) out.requirement = issue.requirement;
      return out;
    }),
  };
}
