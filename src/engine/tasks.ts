/**
 * After a batch confirm: follows its task (task-poller.ts) and settles each file of the batch
 * as `done` or `failed` from the task's outcome, or from the upload records when the task does
 * not say.
 */
import { CONFIRMING_UPLOAD_STATUSES, type TaskResponse } from '../api/types.ts';
import { MixpeekApiError, MixpeekUploaderError, isAbortError, messageOf } from '../errors.ts';
import type { BatchInfo } from '../events.ts';
import { sleep } from '../sleep.ts';
import type { EngineContext } from './context.ts';
import type { Entry } from './entry.ts';
import { pollTask } from './task-poller.ts';
import { renew } from './url-lifetime.ts';

/** Follows a batch's task until it ends, then settles its files. */
export async function track(ctx: EngineContext, batch: BatchInfo, entries: Entry[]): Promise<void> {
  ctx.polls += 1;
  const { taskPollInterval, taskPollMaxInterval } = ctx.options;
  const signal = ctx.disposal.signal;
  try {
    let task: TaskResponse;
    try {
      task = await pollTask((id, s) => ctx.api().getTask(id, s), batch.taskId, {
        first: taskPollInterval,
        max: taskPollMaxInterval,
        signal,
        onStatus: (status) => {
          if (status === batch.status) return;
          batch.status = status;
          ctx.emit('mixpeek-task-update', { taskId: batch.taskId, status });
          ctx.changed();
        },
      });
    } catch (error) {
      if (isAbortError(error) && signal.aborted) return; // disposed
      // The task cannot be read (Mixpeek drops tasks after about 24 h, answering 404; or
      // retries ran out): the upload records say how each file ended.
      const reason = error instanceof MixpeekApiError && error.status === 404 ? `Task ${batch.taskId} is gone.` : messageOf(error);
      await settleFromUploads(ctx, new Map(entries.map((e) => [e, reason])));
      return;
    }
    await settle(ctx, task, entries);
  } finally {
    ctx.polls -= 1;
    ctx.changed();
    ctx.pump();
  }
}

/**
 * Marks each file of a finished batch `done` or `failed`. Mixpeek does not document per-item
 * results of a batch-confirm task; this reads `outputs` items shaped like
 * `{upload_id, status, object_id?, error?}` when present, and otherwise re-reads each upload
 * (`GET …/uploads/{id}`) whenever the task did not end COMPLETED.
 */
export async function settle(ctx: EngineContext, task: TaskResponse, entries: Entry[]): Promise<void> {
  const byId = new Map<string, Record<string, unknown>>();
  for (const item of task.outputs ?? []) {
    if (item && typeof item === 'object' && typeof (item as { upload_id?: unknown }).upload_id === 'string') {
      byId.set((item as { upload_id: string }).upload_id, item as Record<string, unknown>);
    }
  }
  const taskError =
    task.error ?? task.error_message ?? (task.additional_data?.error as string | undefined) ?? `Processing ended ${task.status}.`;
  const check = new Map<Entry, string>();
  for (const entry of entries) {
    const item = byId.get(entry.info.uploadId!);
    const itemStatus = item ? String(item.status ?? '') : task.status === 'COMPLETED' ? 'COMPLETED' : '';
    if (itemStatus === 'COMPLETED') {
      ctx.update(entry, { objectId: (item?.object_id as string | undefined) ?? entry.info.objectId });
      ctx.setStatus(entry, 'done');
    } else {
      // Failed, or not named by the task: the upload record has the last word. (A confirm
      // resent after a lost answer can fail an item that the first one completed.)
      check.set(entry, item && itemStatus ? String(item.error ?? item.message ?? taskError) : taskError);
    }
  }
  if (check.size > 0) await settleFromUploads(ctx, check);
}

/** Settles files from their upload records (`GET …/uploads/{id}`); `reasons` explain failures. */
export async function settleFromUploads(ctx: EngineContext, reasons: Map<Entry, string>): Promise<void> {
  await Promise.all(
    [...reasons].map(async ([entry, reason]) => {
      try {
        let upload = await ctx.api().getUpload(entry.info.uploadId!);
        // Another confirm of the same upload may still be running (one resent after a reload
        // or a lost answer): give it time to finish before calling the file failed.
        const open = (status: string) => status === 'PENDING' || CONFIRMING_UPLOAD_STATUSES.has(status);
        for (let wait = 1000; open(String(upload.status)) && wait <= 8000; wait *= 2) {
          await sleep(wait, ctx.disposal.signal);
          upload = await ctx.api().getUpload(entry.info.uploadId!);
        }
        if (upload.status === 'COMPLETED') {
          ctx.update(entry, { objectId: upload.object_id ?? undefined });
          ctx.setStatus(entry, 'done');
        } else if (upload.status === 'FAILED' && /expired/i.test(upload.message ?? reason) && entry.info.file) {
          // Mixpeek fails an upload whose confirm came after `expires_at` (a slow hash, a long
          // confirm queue): the bytes must go again under a new upload, like an expired URL.
          // Guess: its message names the expiry, as the docs' "expired" status wording does and
          // the emulator's does. (Not the clock: a file may fail processing long after its URL
          // expired, for reasons a new upload would not change.)
          renew(ctx, entry, `it expired before its confirmation reached Mixpeek (${upload.message ?? reason})`, 'before-confirm');
        } else {
          ctx.fail(entry, 'processing-failed', new MixpeekUploaderError('processing-failed', upload.message || reason));
        }
      } catch (error) {
        if (isAbortError(error) && ctx.disposal.signal.aborted) return;
        ctx.fail(entry, 'processing-failed', error);
      }
    }),
  );
}
