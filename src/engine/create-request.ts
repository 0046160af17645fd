/**
 * One batch create (`POST …/uploads/batch`, at most 100 files) and what its answer does: each
 * created file queued for its PUT with its presigned URL, files Mixpeek already has skipped
 * (duplicates.ts), files Mixpeek refused failed, the others of a refused batch sent again.
 * Loaded with the first create, not with the page (first paint has a size budget).
 */
import { MixpeekApiError, MixpeekUploaderError } from '../errors.ts';
import type { CreateUploadRequest } from '../api/types.ts';
import type { EngineContext } from './context.ts';
import { creatingNow, type Entry } from './entry.ts';
import { safeFilename } from './filename.ts';
import { keyApart } from './hashing.ts';
import { applyLifetime } from './url-lifetime.ts';

/** The create request for a file: a safe name, its type and size, the page's extra fields. */
export function createItem(ctx: EngineContext, entry: Entry): CreateUploadRequest {
  const { info } = entry;
  const { blobProperty, uploadParams } = ctx.options;
  const item: CreateUploadRequest = {
    filename: safeFilename(info.name),
    content_type: info.contentType,
    file_size_bytes: info.size,
  };
  if (blobProperty) item.blob_property = blobProperty;
  if (entry.sha256) item.file_hash = entry.sha256;
  const extra = uploadParams?.(info.file!) ?? {};
  const metadata: Record<string, unknown> = {};
  if (info.relativePath !== info.name) metadata.relative_path = info.relativePath;
  if (item.filename !== info.name) metadata.original_filename = info.name;
  Object.assign(metadata, extra.metadata);
  Object.assign(item, extra);
  if (Object.keys(metadata).length > 0) item.metadata = metadata;
  return item;
}

/**
 * What starts while a create is out: the transfer made ready, fingerprints read apart, and
 * `onSent` with the files still to be created. None of it may fail the create, whose answer
 * names uploads Mixpeek made (a transfer that cannot be made shows again at the first PUT).
 */
function whileOut(ctx: EngineContext, entries: Entry[], onSent?: (sent: readonly Entry[]) => void): void {
  try {
    ctx.transfer().prepare?.();
  } catch {
    // a `createTransfer` that throws is met again when the first PUT asks for the transfer
  }
  const sent = entries.filter(creatingNow); // canceled while the journal was written: not hashed
  keyApart(ctx, sent);
  onSent?.(sent);
}

/**
 * Sends one batch create for `entries` and queues each created file for its PUT. Once the
 * request is out, and while it is, it starts what the files need next: the transfer (its first
 * PUT then starts at once), fingerprints read apart, and `onSent` with the files sent.
 */
export async function createBatch(
  ctx: EngineContext,
  entries: Entry[],
  skipIfKnown: typeof import('./duplicates.ts')['skipIfKnown'],
  onSent?: (sent: readonly Entry[]) => void,
): Promise<void> {
  // A page's `uploadParams` that throws fails that file, not the batch.
  const items: CreateUploadRequest[] = [];
  for (const e of entries)
    try {
      items.push(createItem(ctx, e));
    } catch (error) {
      ctx.fail(e, 'create-failed', error);
    }
  entries = entries.filter(creatingNow);
  if (entries.length === 0) return;
  // Written before the request: a page closed while it is out leaves uploads it never learned
  // of, which the next page finds and cancels (see restore.ts).
  ctx.journal.recordQueued(entries, 'creating');
  await ctx.journal.journal?.flush();
  try {
    // Not tied to cancel(): the answer names the uploads Mixpeek created, which a cancel
    // must delete rather than leave PENDING.
    const answer = ctx.api().createUploads(items);
    whileOut(ctx, entries, onSent);
    const uploads = await answer;
    uploads.forEach((upload, i) => {
      const entry = entries[i]!;
      if (entry.info.status !== 'creating') {
        // Canceled while the request was out: that upload is an orphan, so cancel it too.
        ctx.discard(upload.upload_id);
        return;
      }
      // Mixpeek has it (is_duplicate / skipped_unique_key): nothing to PUT, nothing to confirm,
      // and the answer is an earlier upload, whose times say nothing of URL lifetimes.
      if (skipIfKnown(ctx, entry, upload)) return;
      ctx.update(entry, { uploadId: upload.upload_id, contentType: items[i]!.content_type });
      if (!upload.presigned_url) {
        ctx.fail(entry, 'create-failed', new MixpeekUploaderError('create-failed', 'Mixpeek answered no presigned URL for it.'));
        return;
      }
      applyLifetime(ctx, entry, upload);
      entry.putFailures = 0;
      entry.url = upload.presigned_url;
      ctx.setStatus(entry, 'uploading');
      ctx.journal.record(entry, 'created');
      // A file whose URL expired while it waited goes first this time, or it could wait again.
      if (entry.renewals + entry.waitRenewals > 0) ctx.toSend.unshift(entry);
      else ctx.toSend.push(entry);
    });
    // Written at once, not with the next coalesced write: a page closed now must leave the
    // uploads it created in the journal, or the next page can neither reuse nor cancel them.
    void ctx.journal.journal?.flush();
  } catch (error) {
    const refused = refusedItems(error, entries.length);
    const again: Entry[] = [];
    entries.forEach((e, i) => {
      if (e.info.status !== 'creating') return;
      if (refused && !refused.has(i)) {
        // Mixpeek refuses a whole batch for one bad item: send the others again.
        ctx.setStatus(e, 'queued');
        again.push(e);
      } else {
        ctx.fail(e, 'create-failed', refused?.get(i) ?? error);
      }
    });
    ctx.toCreate.unshift(...again);
    ctx.journal.recordQueued(again);
  }
}

/**
 * The items of a refused batch create that Mixpeek named in its 422 (`loc: ["body",
 * "uploads", i, …]` in FastAPI's `detail`), with an error for each; `undefined` when the
 * refusal names no item, so the whole batch failed.
 */
export function refusedItems(error: unknown, count: number): Map<number, Error> | undefined {
  if (!(error instanceof MixpeekApiError) || error.status !== 422 || !Array.isArray(error.details)) return undefined;
  const refused = new Map<number, Error>();
  for (const d of error.details as { loc?: unknown[]; msg?: unknown }[]) {
    const [where, list, index, ...field] = Array.isArray(d.loc) ? d.loc : [];
    if (where !== 'body' || list !== 'uploads' || typeof index !== 'number' || index < 0 || index >= count) return undefined;
    refused.set(
      index,
      new MixpeekUploaderError('create-failed', `Mixpeek refused ${field.join('.') || 'this file'}: ${String(d.msg ?? 'invalid')}`, {
        cause: error,
      }),
    );
  }
  return refused.size > 0 && refused.size < count ? refused : undefined;
}
