/**
 * What the journal of an earlier page told, as later steps use it: files to refuse as already
 * uploaded, live uploads to reuse, files named lost to forget (restore.ts fills it).
 */
import type { EngineContext } from './context.ts';
import type { Entry } from './entry.ts';
import { unreadable } from './file-errors.ts';
import { type Candidate, type Rejection, duplicateKey } from './file-rules.ts';
import { firstFingerprint } from './hashing.ts';
import type { JournalRecord } from './journal.ts';
import { EXPIRY_MARGIN, applyLifetime } from './url-lifetime.ts';
import { normalizeEtag } from './etag.ts';

/** A notice for a file the journal knows as confirmed or on its way; `null` otherwise. */
export function alreadyUploaded(ctx: EngineContext, c: Pick<Candidate, 'relativePath' | 'size' | 'lastModified'>): Rejection | null {
  const record = ctx.recovered.known.get(duplicateKey(c));
  if (!record) return null;
  const doing = record.state === 'confirmed' ? 'was already uploaded' : 'is already being confirmed';
  return { code: 'duplicate', message: `"${c.relativePath}" ${doing} (${record.uploadId}); skipped.` };
}

/**
 * Reads each file's fingerprint (first and last 64 KiB); a file whose upload from before a
 * reload still has a live presigned URL goes straight to the PUT with it. Returns the files
 * that still need a new upload.
 */
export async function reuseLiveUploads(ctx: EngineContext, entries: Entry[]): Promise<Entry[]> {
  if (!ctx.journal.journal) return entries;
  const { created } = ctx.recovered;
  // Nothing from before a reload to reuse: the journal's fingerprints need not hold up the
  // create (see `keyApart`, once it is sent).
  if (created.size === 0) return entries;
  const fresh = new Set<Entry>();
  await Promise.all(
    entries.map(async (entry) => {
      try {
        entry.key = ctx.journal.keyFor(await firstFingerprint(ctx, entry));
      } catch (error) {
        ctx.fail(entry, 'hash-failed', unreadable(entry.info.name, error, 'hash-failed'));
        return;
      }
      const earlier = created.get(entry.key);
      created.delete(entry.key);
      // Added again in place of a file named lost, but with other bytes now: that upload will
      // never be confirmed, so it is canceled, or every later reload would name the file again.
      const { replaces } = entry;
      if (replaces && replaces.key !== entry.key && created.get(replaces.key) === replaces) forgetCreated(ctx, replaces);
      entry.replaces = undefined;
      // The same bytes as far as the fingerprint tells: the hashes from before the reload hold.
      if (earlier?.sha256 && earlier.etag && entry.info.etag === undefined && !entry.hashing) {
        ctx.update(entry, { etag: normalizeEtag(earlier.etag) });
        entry.sha256 = earlier.sha256;
      }
      if (earlier?.url && (earlier.expiresAt ?? 0) > Date.now() + EXPIRY_MARGIN && entry.info.status === 'creating') {
        ctx.update(entry, { uploadId: earlier.uploadId, contentType: earlier.contentType ?? entry.info.contentType });
        Object.assign(entry, { url: earlier.url, putFailures: 0 });
        applyLifetime(ctx, entry, { expires_at: new Date(earlier.expiresAt!).toISOString() });
        ctx.setStatus(entry, 'uploading');
        ctx.toSend.push(entry);
        return;
      }
      if (earlier) ctx.discard(earlier.uploadId); // its URL is dead: an orphan
      fresh.add(entry);
    }),
  );
  return entries.filter((e) => fresh.has(e));
}

/** Forgets the files named lost (the person moved on without them), canceling their uploads. */
export function forgetLost(ctx: EngineContext): void {
  const { lost } = ctx.recovered;
  if (lost.size === 0) return;
  for (const record of lost.values()) {
    if (record.state === 'created') forgetCreated(ctx, record);
    else ctx.journal.remove(record);
  }
  lost.clear();
  ctx.changed();
}

/** A `created` record from before a reload whose upload will not be confirmed now: cancels it, or the next reload names the file again. */
export function forgetCreated(ctx: EngineContext, record: JournalRecord): void {
  ctx.journal.remove(record);
  ctx.recovered.created.delete(record.key);
  ctx.discard(record.uploadId);
}
