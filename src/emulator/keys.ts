/**
 * Identifiers and object keys.
 */
import { randomBytes } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` random characters from `A-Z a-z 0-9` (uniform: rejection sampling, crypto randomness). */
export function randomAlphanumeric(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += ALPHANUMERIC[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** `upl_` + 16 random characters (Mixpeek OpenAPI 0.81, `UploadResponse.upload_id` description). */
export const newUploadId = (): string => `upl_${randomAlphanumeric(16)}`;

/** `obj_` + 16 random characters (Mixpeek's examples show `obj_…`; the length is the emulator's choice). */
export const newObjectId = (): string => `obj_${randomAlphanumeric(16)}`;

/**
 * The first segment of every object key. Mixpeek OpenAPI 0.81, `UploadResponse.s3_key`:
 * `{internal_id}/{namespace_id}/api_buckets_uploads_create/{upload_id}/{filename}`; the value of
 * `internal_id` is the emulator's choice.
 */
export const INTERNAL_ID = 'org_emulator';

/** Longest filename part of a key, in characters (keeps the on-disk name under 255 bytes). */
const KEY_FILENAME_MAX = 180;

/**
 * The filename as it appears in the object key: every character outside `A-Z a-z 0-9 . _ -`
 * becomes `_`, so the key needs no percent-encoding in a URL. Emulator's choice; Mixpeek does
 * not document how it sanitises the filename in `s3_key`. The `filename` field keeps the
 * original name.
 */
export function keySafeFilename(filename: string): string {
  let safe = filename.normalize('NFC').replace(/[^A-Za-z0-9._-]/gu, '_');
  if (/^\.*$/.test(safe)) safe = `file${safe.length > 0 ? '_' : ''}${safe.replace(/\./g, '_')}`;
  if (safe.length > KEY_FILENAME_MAX) {
    const dot = safe.lastIndexOf('.');
    const ext = dot > 0 && safe.length - dot <= 16 ? safe.slice(dot) : '';
    safe = safe.slice(0, KEY_FILENAME_MAX - ext.length) + ext;
  }
  return safe;
}

/** `{internal_id}/{namespace}/api_buckets_uploads_create/{upload_id}/{filename}` (Mixpeek OpenAPI 0.81, `UploadResponse.s3_key`). */
export function buildS3Key(namespace: string, uploadId: string, filename: string): string {
  return `${INTERNAL_ID}/${keySafeFilename(namespace)}/api_buckets_uploads_create/${uploadId}/${keySafeFilename(filename)}`;
}

/** The upload id inside an object key or storage path, if any. */
export function uploadIdFromKey(keyOrPath: string): string | undefined {
  return /(?:^|\/)api_buckets_uploads_create\/(upl_[A-Za-z0-9]+)\//.exec(keyOrPath)?.[1];
}
