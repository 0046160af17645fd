/**
 * Resume after a reload: reads what an earlier page left in the journal (stored uploads to
 * confirm, tasks to follow, confirmed files to skip, live URLs to reuse, files to name as lost),
 * and settles files added before or while it was read exactly as if they had been added after.
 */
import { CONFIRMING_UPLOAD_STATUSES } from '../api/types.ts';
import { MixpeekApiError, messageOf } from '../errors.ts';
import type { BatchInfo, UploadFileInfo } from '../events.ts';
import type { EngineContext, Recovered } from './context.ts';
import { type Entry, newEntry, newFileId } from './entry.ts';
import { normalizeEtag } from './etag.ts';
import { safeFilename } from './filename.ts';
import { type Candidate, type Rejection, duplicateKey } from './file-rules.ts';
import { unreadable } from './file-errors.ts';
import { firstFingerprint, keyLater } from './hashing.ts';
import { type Journal, type JournalRecord, livePages } from './journal.ts';
import { track } from './tasks.ts';
import { EXPIRY_MARGIN, applyLifetime } from './url-lifetime.ts';

/** Journal records older than this are dropped, ms (a week). */
const JOURNAL_MAX_AGE = 7 * 24 * 3600_000;
/**
 * Files smaller than this (bytes) get their journal fingerprint from their hash, which starts
 * with their create, rather than from a reading of their own: opening a small file costs about
 * as much as reading it.
 */
const KEY_FROM_HASH_BELOW = 8 * 1024 * 1024;

/**
 * Upload targets whose journal an engine in this page has already read, per journal (the
 * default IndexedDB one is shared by every engine of the page).
 */
const restoredTargets = new WeakMap<object, Set<string>>();
const DEFAULT_JOURNAL = {};

/** What {@link restore} found to finish now. */
export interface Restored {
  /** Stored uploads to confirm, or tasks to follow: a run must start to finish them. */
  work: boolean;
}

/** Confirms of an earlier page asked about at once (`GET …/uploads/{id}` each). */
const OUTCOME_CHECKS_AT_ONCE = 8;

/**
 * Reads the journal of the current target once per page (another engine of the page that read
 * the same target leaves it alone). No upload is created before (`ctx.journalSettled`). Reading
 * IndexedDB is bounded by `journalTimeout` ms: past it, uploads go on without the journal and
 * what it held is never acted on. Asking Mixpeek what became of confirms in flight is bounded
 * by the API client's retry policy. Never rejects.
 */
export async function restore(ctx: EngineContext): Promise<Restored> {
  const journal = ctx.journal.journal;
  const target = ctx.target;
  const shared = ctx.options.journal || DEFAULT_JOURNAL;
  const restored = restoredTargets.get(shared) ?? new Set<string>();
  restoredTargets.set(shared, restored);
  if (!journal || restored.has(target)) {
    ctx.journalSettled = true;
    return { work: false };
  }
  restored.add(target);
  if (ctx.options.journal === undefined && typeof indexedDB === 'undefined') {
    ctx.emit('mixpeek-journal-unavailable', { reason: 'IndexedDB is not available here: uploads cannot resume after a reload.' });
  }
  const readAt = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ctx.options.journalTimeout)));
  const listed = listRecords(journal, target).catch((error: unknown) => new Error(messageOf(error)));
  const records = await Promise.race([listed, timeout]);
  clearTimeout(timer);
  if (records === 'timeout' || records instanceof Error) {
    ctx.journalSettled = true;
    const reason =
      records === 'timeout'
        ? `The upload journal (IndexedDB) did not answer within ${ctx.options.journalTimeout} ms: uploads go on without resuming what an earlier page left.`
        : `The upload journal (IndexedDB) could not be read (${records.message}): uploads go on without resuming what an earlier page left.`;
    ctx.emit('mixpeek-journal-unavailable', { reason });
    ctx.pump();
    return { work: false };
  }
  const reading = await readRecords(ctx, journal, records);
  const work = apply(ctx, journal, reading);
  ctx.journalSettled = true;
  if (reading.creating.length > 0) void cancelUnknownUploads(ctx, reading.creating, new Set(records.map((r) => r.uploadId)), readAt);
  ctx.changed();
  ctx.pump();
  return { work };
}

interface JournalReading {
  recovered: Recovered;
  toConfirm: JournalRecord[];
  byTask: Map<string, JournalRecord[]>;
  /** Files whose create was sent and never answered to the old page. */
  creating: JournalRecord[];
}

/** The records of `target` that pages no longer alive left (this page's and another tab's are theirs). */
async function listRecords(journal: Journal, target: string): Promise<JournalRecord[]> {
  const all = await journal.list(target);
  const live = await livePages(new Set(all.flatMap((r) => (r.owner ? [r.owner] : []))));
  return all.filter((r) => !r.owner || !live.has(r.owner));
}

/** Sorts the records, asking Mixpeek (a few at once) what became of confirms in flight. */
async function readRecords(ctx: EngineContext, journal: Journal, records: JournalRecord[]): Promise<JournalReading> {
  const recovered: Recovered = { known: new Map(), created: new Map(), lost: new Map() };
  const reading: JournalReading = { recovered, toConfirm: [], byTask: new Map(), creating: [] };
  const confirming: JournalRecord[] = [];
  const sort = (record: JournalRecord) => {
    if (record.state === 'stored') reading.toConfirm.push(record);
    if (record.state === 'processing' && record.taskId) {
      const list = reading.byTask.get(record.taskId) ?? [];
      list.push(record);
      reading.byTask.set(record.taskId, list);
    }
  };
  for (const record of records) {
    if (record.updatedAt < Date.now() - JOURNAL_MAX_AGE) {
      journal.remove(record.key);
      continue;
    }
    const state = record.state;
    if (state === 'queued' || state === 'creating' || state === 'created') recovered.lost.set(duplicateKey(record), record);
    if (state === 'creating') reading.creating.push(record);
    if (state === 'created') recovered.created.set(record.key, record);
    if (state === 'confirmed') recovered.known.set(duplicateKey(record), record);
    if (state === 'confirming') confirming.push(record);
    else sort(record);
  }
  for (let i = 0; i < confirming.length; i += OUTCOME_CHECKS_AT_ONCE) {
    const outcomes = await Promise.all(
      confirming.slice(i, i + OUTCOME_CHECKS_AT_ONCE).map((r) => confirmOutcome(ctx, journal, r, recovered)),
    );
    for (const next of outcomes) if (next) sort(next);
  }
  return reading;
}

/**
 * Cancels the uploads created by a create request whose answer the old page never saw: PENDING
 * uploads of those file names created between the request and this page's reading of the
 * journal, that no record and no file of this page knows. Best effort (a gateway may not offer
 * the list route; Mixpeek expires them anyway).
 */
async function cancelUnknownUploads(
  ctx: EngineContext,
  records: JournalRecord[],
  known: ReadonlySet<string>,
  readAt: number,
): Promise<void> {
  const since = Math.min(...records.map((r) => r.updatedAt)) - 60_000; // clocks of browser and API differ
  const names = [...new Set(records.map((r) => safeFilename(r.name)))];
  try {
    for (let i = 0; i < names.length; i += 100) {
      const found = await ctx.api().listUploads({
        filters: {
          AND: [
            { field: 'status', operator: 'eq', value: 'PENDING' },
            { field: 'filename', operator: 'in', value: names.slice(i, i + 100) },
            { field: 'created_at', operator: 'gte', value: new Date(since).toISOString() },
            { field: 'created_at', operator: 'lte', value: new Date(readAt).toISOString() },
          ],
        },
        limit: 100,
      });
      // This page's own uploads (created meanwhile, reused) are never among them.
      const mine = new Set(Array.from(ctx.table.values(), (e) => e.info.uploadId));
      for (const upload of found) if (!known.has(upload.upload_id) && !mine.has(upload.upload_id)) ctx.discard(upload.upload_id);
    }
  } catch {
    // Not offered, or not answered: the uploads expire at Mixpeek.
  }
}

/** Puts what the journal told into the engine; returns true when there is work to finish. */
function apply(ctx: EngineContext, journal: Journal, { recovered, toConfirm, byTask }: JournalReading): boolean {
  for (const [key, record] of recovered.known) ctx.recovered.known.set(key, record);
  for (const [key, record] of recovered.created) ctx.recovered.created.set(key, record);
  for (const [key, record] of recovered.lost) ctx.recovered.lost.set(key, record);
  const ghosts = toConfirm.map((r) => ghost(ctx, r, 'uploaded'));
  ctx.toConfirm.push(...ghosts);
  for (const [taskId, records] of byTask) {
    const entries = records.map((r) => ghost(ctx, r, 'processing'));
    const batch: BatchInfo = {
      batch: ctx.batches.length + 1,
      taskId,
      status: 'PROCESSING',
      uploadIds: entries.map((e) => e.info.uploadId!),
    };
    ctx.batches.push(batch);
    void track(ctx, batch, entries);
  }
  settleEarlyFiles(ctx, journal);
  return ghosts.length > 0 || byTask.size > 0;
}

/**
 * Files added before the journal was read are judged as if added after: refused when the
 * journal knows them as confirmed or on their way (they are confirmed once, from the journal),
 * and taking the place of the lost file they are (a live URL is then reused at create).
 */
function settleEarlyFiles(ctx: EngineContext, journal: Journal): void {
  for (const entry of [...ctx.table.values()]) {
    const { info } = entry;
    if (info.status !== 'queued' || !info.file || info.recovered) continue;
    const key = duplicateKey(info);
    const rejection = alreadyUploaded(ctx, info); // confirmed, or on its way (its ghost is listed)
    if (rejection) {
      // It was announced as added: the refusal names it by its id too.
      ctx.remove(entry);
      ctx.emit('mixpeek-file-rejected', { fileId: info.fileId, name: info.name, size: info.size, ...rejection });
      continue;
    }
    const lost = ctx.recovered.lost.get(key);
    if (!lost) continue;
    ctx.recovered.lost.delete(key);
    if (lost.state === 'created') entry.replaces = lost;
    else journal.remove(lost.key); // this page's own record of the file takes over
  }
}

/**
 * What became of a confirm the old page sent (journal state `confirming`; it may or may not
 * have reached Mixpeek): the record to go on with (`stored`: confirm it again; `processing`:
 * follow the task that runs it), or `undefined` when there is nothing to do now: confirmed
 * (remembered), gone (404: forgotten), or Mixpeek cannot be asked, or runs it under no task to
 * follow (kept for the next page; the file, if added again, is skipped, not uploaded twice).
 */
async function confirmOutcome(
  ctx: EngineContext,
  journal: Journal,
  record: JournalRecord,
  recovered: Recovered,
): Promise<JournalRecord | undefined> {
  let gone = false;
  const upload = await ctx
    .api()
    .getUpload(record.uploadId)
    .catch((error: unknown) => {
      gone = error instanceof MixpeekApiError && error.status === 404; // deleted, or long expired
      return undefined;
    });
  const status = String(upload?.status ?? '');
  const running = CONFIRMING_UPLOAD_STATUSES.has(status);
  if (gone || (upload && status !== 'PENDING' && status !== 'COMPLETED' && !running)) {
    journal.remove(record.key); // gone, failed or canceled: a new upload if the file is added again
    return undefined;
  }
  if (status === 'PENDING') return { ...record, state: 'stored' };
  if (running && upload?.task_id) {
    const processing: JournalRecord = { ...record, state: 'processing', taskId: upload.task_id, updatedAt: Date.now() };
    journal.put(processing);
    return processing;
  }
  // Confirmed; or not to be asked now, or running under no task to follow: kept as it is.
  const known: JournalRecord = status === 'COMPLETED' ? { ...record, state: 'confirmed', updatedAt: Date.now() } : record;
  if (known !== record) journal.put(known);
  recovered.known.set(duplicateKey(record), known);
  return undefined;
}

/** An entry for a file known only from the journal (its `File` is gone with the old page). */
function ghost(ctx: EngineContext, record: JournalRecord, status: 'uploaded' | 'processing'): Entry {
  const info: UploadFileInfo = {
    fileId: newFileId(),
    name: record.name,
    relativePath: record.relativePath,
    size: record.size,
    lastModified: record.lastModified,
    contentType: record.contentType ?? 'application/octet-stream',
    status,
    bytesUploaded: record.size,
    uploadId: record.uploadId,
    etag: record.etag === undefined ? undefined : normalizeEtag(record.etag), // journals written by older versions, or by hand
    taskId: record.taskId,
    recovered: true,
  };
  const entry: Entry = { ...newEntry(info), key: record.key, stored: true, reported: record.size };
  ctx.table.add(entry);
  ctx.recovered.known.set(duplicateKey(record), record);
  return entry;
}

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
  if (created.size === 0) {
    // Nothing from before a reload to reuse: the journal's fingerprints need not hold up the
    // create. A small file's comes with its hash, from the same reading (see `Hasher.hash`).
    const fromHash = ctx.hasher().hash !== undefined;
    for (const entry of entries) if (!(fromHash && entry.info.size < KEY_FROM_HASH_BELOW)) void keyLater(ctx, entry);
    return entries;
  }
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
