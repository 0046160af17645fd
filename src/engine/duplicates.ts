/**
 * Content Mixpeek may already have: whether a file's SHA-256 is computed before its create (the
 * `skipDuplicates` option), and the file ended `skipped` when the create answers `is_duplicate`
 * or `skipped_unique_key` (Mixpeek OpenAPI 0.81, `UploadResponse`; no `presigned_url`, nothing
 * to PUT or confirm).
 */
import type { UploadResponse } from '../api/types.ts';
import type { EngineContext } from './context.ts';
import type { Entry } from './entry.ts';

/** Hashing pace assumed for the `'auto'` rule, bytes per second (MD5 + SHA-256 in one worker; docs/hashing.md). */
export const ASSUMED_HASH_RATE = 100 * 1024 * 1024;
/** `'auto'` hashes first when sending a file takes at least this many times its hashing (so at most ~5 % more). */
export const SEND_TO_HASH_RATIO = 20;
/** …and at least this long, s: below it, the time a duplicate saves is too small to count. */
export const MIN_SEND_SECONDS = 1;

/**
 * True when the file's SHA-256 is to be computed before its create and sent as `file_hash`:
 * always with `'always'`, never with `'never'`; with `'auto'`, when the hasher can give SHA-256
 * and either duplicates are likely (an earlier create of this engine answered one, or the
 * journal holds files confirmed to this target) or the file is large for the measured uplink
 * (see {@link UploaderOptions.skipDuplicates}).
 */
export function hashesFirst(ctx: EngineContext, entry: Entry): boolean {
  const mode = ctx.options.skipDuplicates;
  if (mode === 'never' || !entry.info.file) return false;
  if (mode === 'always') return true;
  if (ctx.hasher().supportsSha256 !== true) return false;
  if (ctx.skippedByMixpeek > 0 || [...ctx.recovered.known.values()].some((r) => r.state === 'confirmed')) return true;
  const rate = ctx.throughput.rate;
  if (rate?.bytes === undefined) return false; // the uplink is not measured yet
  const size = entry.info.size;
  const sending = size / Math.max(1, rate.bytes);
  return sending >= MIN_SEND_SECONDS && sending >= SEND_TO_HASH_RATIO * (size / ASSUMED_HASH_RATE);
}

/**
 * Ends a file whose create answered that Mixpeek already has it: status `skipped` with the ids
 * of what it matched, `mixpeek-file-skipped`; no byte sent, nothing confirmed. Returns false
 * when the answer is not such a one.
 */
export function skipIfKnown(ctx: EngineContext, entry: Entry, upload: UploadResponse): boolean {
  const reason = upload.is_duplicate ? 'duplicate' : upload.skipped_unique_key ? 'unique-key' : undefined;
  if (!reason) return false;
  const { info } = entry;
  const duplicateOf = upload.duplicate_of_upload_id ?? undefined;
  const existingObjectId = upload.existing_object_id ?? undefined;
  const objectId = existingObjectId ?? upload.object_id ?? undefined;
  ctx.update(entry, { uploadId: upload.upload_id, duplicateOf, existingObjectId, objectId });
  ctx.skippedByMixpeek += 1;
  ctx.setStatus(entry, 'skipped');
  ctx.emit('mixpeek-file-skipped', {
    fileId: info.fileId,
    name: info.name,
    reason,
    uploadId: upload.upload_id,
    duplicateOf,
    objectId,
    bytesSaved: info.size,
  });
  return true;
}
