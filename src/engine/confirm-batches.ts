/**
 * Confirmations: files whose bytes are stored and whose MD5 is known wait here, and go to
 * Mixpeek in batch confirms (`POST …/uploads/confirm/batch`, at most `batchSize` each); each
 * accepted batch becomes a task to follow (tasks.ts).
 */
import { MixpeekApiError } from '../errors.ts';
import type { Confirmation } from '../api/types.ts';
import type { BatchInfo } from '../events.ts';
import type { EngineContext } from './context.ts';
import type { Entry } from './entry.ts';
import { track } from './tasks.ts';

/** A file's bytes are stored and its MD5 known: `mixpeek-file-uploaded`, and it waits for a confirm. */
export function uploaded(ctx: EngineContext, entry: Entry): void {
  const { info } = entry;
  ctx.setStatus(entry, 'uploaded');
  ctx.journal.record(entry, 'stored');
  ctx.progress.flush(entry);
  ctx.emit('mixpeek-file-uploaded', {
    fileId: info.fileId,
    name: info.name,
    uploadId: info.uploadId!,
    etag: info.etag!,
    fileSizeBytes: info.size,
  });
  ctx.toConfirm.push(entry);
}

/**
 * True when a waiting confirmation must go now, before its upload expires; otherwise arms a
 * timer (`ctx.pump` then) for the earliest such moment. A queue of large files can take longer
 * to fill a batch than an upload lives, and Mixpeek fails uploads not confirmed before
 * `expires_at`.
 */
export function confirmDue(ctx: EngineContext, timer: { id?: ReturnType<typeof setTimeout> | undefined }): boolean {
  clearTimeout(timer.id);
  let earliest = Number.POSITIVE_INFINITY;
  for (const e of ctx.toConfirm) if (e.confirmBy !== undefined && e.confirmBy < earliest) earliest = e.confirmBy;
  if (earliest === Number.POSITIVE_INFINITY) return false;
  const wait = earliest - Date.now();
  if (wait <= 0) return true;
  timer.id = setTimeout(() => ctx.pump(), Math.min(wait, 2 ** 31 - 1));
  return false;
}

/** Sends one batch confirm for `entries` (at most `batchSize`) and follows its task. */
export async function confirm(ctx: EngineContext, entries: Entry[]): Promise<void> {
  ctx.confirming = true;
  for (const e of entries) ctx.setStatus(e, 'confirming');
  const confirmations: Confirmation[] = entries.map(({ info }) => ({
    upload_id: info.uploadId!,
    etag: info.etag!,
    file_size_bytes: info.size,
  }));
  // Written before the request: after a crash, these are checked rather than forgotten.
  for (const e of entries) ctx.journal.record(e, 'confirming');
  await ctx.journal.journal?.flush();
  try {
    // Not tied to the session's signal: once sent, a confirm must be seen through, or the
    // uploads could end confirmed without us knowing.
    const response = await ctx.api().confirmUploads(confirmations);
    const batch: BatchInfo = {
      batch: ctx.batches.length + 1,
      taskId: response.task_id,
      status: String(response.status),
      uploadIds: confirmations.map((c) => c.upload_id),
    };
    ctx.batches.push(batch);
    for (const e of entries) {
      ctx.update(e, { taskId: batch.taskId });
      ctx.setStatus(e, 'processing');
      ctx.journal.record(e, 'processing');
    }
    ctx.emit('mixpeek-batch-confirmed', { batch: batch.batch, confirmations, taskId: batch.taskId, status: batch.status });
    void track(ctx, batch, entries);
  } catch (error) {
    const gone = goneUpload(error, entries);
    if (gone) {
      // One upload of the group no longer exists (one from before a reload, deleted or
      // purged since), and the whole request was refused for it: the others go again.
      ctx.fail(gone, 'confirm-failed', error);
      const rest = entries.filter((e) => e !== gone);
      for (const e of rest) {
        ctx.setStatus(e, 'uploaded');
        ctx.journal.record(e, 'stored');
      }
      ctx.toConfirm.unshift(...rest);
    } else {
      for (const e of entries) ctx.fail(e, 'confirm-failed', error);
    }
  } finally {
    ctx.confirming = false;
    ctx.changed();
    ctx.pump();
  }
}

/**
 * The file whose upload a refused batch confirm names as missing: a 404 whose `details.upload_id`
 * or message names one of `entries`. Mixpeek does not document what a batch confirm with an
 * unknown id answers; the emulator refuses the whole batch with such a 404 (our guess of it).
 */
export function goneUpload(error: unknown, entries: Entry[]): Entry | undefined {
  if (!(error instanceof MixpeekApiError) || error.status !== 404 || entries.length < 2) return undefined;
  const named = (error.details as { upload_id?: unknown } | undefined)?.upload_id;
  return entries.find((e) => e.info.uploadId === named || error.message.includes(e.info.uploadId!));
}
