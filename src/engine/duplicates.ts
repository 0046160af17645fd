/**
 * Content Mixpeek may already have: whether a file's SHA-256 is computed before its create (the
 * `skipDuplicates` option), which few files `'auto'` asks about first to learn whether
 * duplicates are likely, and the file ended `skipped` when the create answers `is_duplicate`
 * or `skipped_unique_key` (Mixpeek OpenAPI 0.81, `UploadResponse`; no `presigned_url`, nothing
 * to PUT or confirm).
 */
import type { UploadResponse } from '../api/types.ts';
import type { EngineContext } from './context.ts';
import { creatingNow, type Entry } from './entry.ts';
import { hash } from './hashing.ts';

/** Hashing pace assumed for the `'auto'` rule, bytes per second (MD5 + SHA-256 in one worker; docs/hashing.md). */
export const ASSUMED_HASH_RATE = 100 * 1024 * 1024;
/** `'auto'` hashes first when sending a file takes at least this many times its hashing (so at most ~5 % more). */
export const SEND_TO_HASH_RATIO = 20;
/** …and at least this long, s: below it, the time a duplicate saves is too small to count. */
export const MIN_SEND_SECONDS = 1;

/** Runs (or engines, outside a run) in which `'auto'` has asked Mixpeek about a few files first. */
const asked = new WeakSet<object>();

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

/**
 * `'auto'`'s question, once a run, while nothing says duplicates are likely: when at least
 * {@link PROBE_MIN_BYTES} wait to be sent, up to {@link PROBE_FILES} small files of the batch
 * (at most {@link PROBE_MAX_FILE_BYTES} each) are hashed and created first, alone; the rest of
 * the batch waits for that answer (create-batches.ts). If Mixpeek has one of them, duplicates
 * are likely and every later file is hashed first; if not, the others go as usual. It costs
 * one API round trip and the hashing of those few files. Returns the files to ask about, and
 * counts the question as asked, or `undefined` when there is none to ask.
 */
export function takeQuestion(ctx: EngineContext, batch: readonly Entry[]): Entry[] | undefined {
  const key = ctx.run ?? ctx;
  if (asked.has(key) || ctx.options.skipDuplicates !== 'auto') return undefined;
  if (ctx.hasher().supportsSha256 !== true || duplicatesLikely(ctx)) return undefined;
  const { total, reported } = ctx.table.bytes;
  if (total - reported < PROBE_MIN_BYTES) return undefined;
  const picked = batch.filter((e) => e.info.file && e.info.size <= PROBE_MAX_FILE_BYTES).slice(0, PROBE_FILES);
  if (picked.length === 0) return undefined;
  asked.add(key);
  return picked;
}

/**
 * Asks {@link takeQuestion}'s question, if there is one: its files hashed (MD5 and SHA-256) and
 * created alone with `createBatch`, their PUTs started; then returns the files of `batch` left to
 * create, whose rule ({@link hashFirstRule}) the answer has now informed. Without a question,
 * returns `batch` as it is.
 */
export async function askFirst(ctx: EngineContext, batch: Entry[], createBatch: (entries: Entry[]) => Promise<void>): Promise<Entry[]> {
  const question = takeQuestion(ctx, batch);
  if (!question) return batch;
  await Promise.all(question.map((e) => hash(ctx, e, { sha256: true })));
  const asking = question.filter(creatingNow);
  if (asking.length > 0) await createBatch(asking);
  ctx.pump(); // their PUTs start while the rest is prepared
  return batch.filter((e) => !question.includes(e) && creatingNow(e));
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
