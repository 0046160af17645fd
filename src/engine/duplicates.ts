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

/** Engines whose `'auto'` has weighed asking Mixpeek about a few files first. */
const probed = new WeakSet<EngineContext>();

/** `'auto'` asks Mixpeek about a few files first when at least this much waits to be sent, bytes. */
export const PROBE_MIN_BYTES = 64 * 1024 * 1024;
/** How many files `'auto'` asks about first, at most. */
export const PROBE_FILES = 4;
/** Only files this small are asked about first: hashing them before their create must cost little, bytes. */
export const PROBE_MAX_FILE_BYTES = 8 * 1024 * 1024;

/** True when duplicates are likely: an earlier create of this engine answered one, or the journal holds files confirmed to this target. */
function duplicatesLikely(ctx: EngineContext): boolean {
  if (ctx.skippedByMixpeek > 0) return true;
  for (const r of ctx.recovered.known.values()) if (r.state === 'confirmed') return true;
  return false;
}

/**
 * The rule for one batch: true for each file whose SHA-256 is to be computed before its create
 * and sent as `file_hash`. Always with `'always'`, never with `'never'`; with `'auto'`, when the
 * hasher can give SHA-256 and either duplicates are likely or the file is large for the
 * measured uplink (see {@link UploaderOptions.skipDuplicates}). Worked out once per batch.
 */
export function hashFirstRule(ctx: EngineContext): (entry: Entry) => boolean {
  const mode = ctx.options.skipDuplicates;
  if (mode === 'never') return () => false;
  if (mode === 'always') return (e) => e.info.file !== undefined;
  if (ctx.hasher().supportsSha256 !== true) return () => false;
  if (duplicatesLikely(ctx)) return (e) => e.info.file !== undefined;
  const rate = ctx.throughput.rate?.bytes;
  if (rate === undefined) return () => false; // the uplink is not measured yet
  return (e) => {
    if (!e.info.file) return false;
    const sending = e.info.size / Math.max(1, rate);
    return sending >= MIN_SEND_SECONDS && sending >= SEND_TO_HASH_RATIO * (e.info.size / ASSUMED_HASH_RATE);
  };
}

/** {@link hashFirstRule} for one file. */
export const hashesFirst = (ctx: EngineContext, entry: Entry): boolean => hashFirstRule(ctx)(entry);

/**
 * `'auto'`'s question before the first create of an engine with nothing known: when at least
 * {@link PROBE_MIN_BYTES} wait to be sent, up to {@link PROBE_FILES} small files of the batch
 * (at most {@link PROBE_MAX_FILE_BYTES} each) are hashed and created first, alone. If Mixpeek
 * answers that it has one, duplicates are likely and every later file is hashed first; if not,
 * the others go as usual. It costs about one API round trip and the hashing of those few
 * files, once. Returns the files to ask about, or `undefined` when there is no question to ask.
 */
export function probeFiles(ctx: EngineContext, batch: readonly Entry[]): Entry[] | undefined {
  if (probed.has(ctx) || ctx.options.skipDuplicates !== 'auto') return undefined;
  probed.add(ctx); // asked at most once, and weighed once (the sum below is linear)
  if (ctx.hasher().supportsSha256 !== true || duplicatesLikely(ctx)) return undefined;
  let waiting = 0;
  for (const list of [batch, ctx.toCreate]) for (const e of list) if (!e.info.paused) waiting += e.info.size;
  if (waiting < PROBE_MIN_BYTES) return undefined;
  const picked = batch.filter((e) => e.info.file && e.info.size <= PROBE_MAX_FILE_BYTES).slice(0, PROBE_FILES);
  return picked.length > 0 ? picked : undefined;
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

/**
 * Which files of a batch to create now and which of them to hash first: the batch and
 * {@link hashFirstRule}'s choice, or, when {@link probeFiles} asks a question, only the files
 * asked about (the others go back to the front of the queue and wait for the answer).
 */
export function hashFirstPlan(ctx: EngineContext, batch: Entry[]): { create: Entry[]; first: Entry[] } {
  const probe = probeFiles(ctx, batch);
  if (!probe) {
    const rule = hashFirstRule(ctx);
    return { create: batch, first: batch.filter(rule) };
  }
  const later = batch.filter((e) => !probe.includes(e));
  for (const e of later) ctx.setStatus(e, 'queued');
  ctx.toCreate.unshift(...later);
  return { create: probe, first: probe };
}
