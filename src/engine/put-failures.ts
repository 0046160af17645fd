/**
 * After a failed PUT: pause and stall aborts redo it, expired URLs are renewed, no answer and
 * 5xx/408/429 are retried with backoff (network losses for as long as `offlineTimeout`, the
 * engine showing offline), storage that refuses the page (CORS) or the request fails the file.
 */
import { MixpeekUploaderError, isAbortError, messageOf } from '../errors.ts';
import { backoffDelay, defaultRetryOptions, isNetworkFailure, isUnreachable, shouldRetry } from '../api/retry.ts';
import { TransferError } from '../transfer/types.ts';
import type { EngineContext } from './context.ts';
import { DeferredLoadError } from './deferred.ts';
import type { Entry } from './entry.ts';
import { readFailure, unreadable } from './file-errors.ts';
import { EXPIRED_WAITING, StartRefused, expiredDuringPut, renew } from './url-lifetime.ts';

/**
 * Decides what follows a failed PUT of `entry`: an abort (pause, stall) redoes it; an expired
 * URL gets a fresh upload; no answer, 5xx, 408 or 429 are retried with backoff; anything else
 * (e.g. `SignatureDoesNotMatch`) fails the file, with storage's error code in the message.
 */
export async function putFailed(ctx: EngineContext, entry: Entry, error: unknown): Promise<void> {
  const { info } = entry;
  if (info.status !== 'uploading') return; // canceled or failed meanwhile
  // A body the browser cannot read (the file changed on disk since it was selected) fails the
  // PUT as if no answer came: tell the two apart before taking it for a network loss.
  if (error instanceof TransferError && isNetworkFailure({ status: error.status })) {
    const cannotRead = await readFailure(info.file!);
    if (info.status !== 'uploading') return;
    if (cannotRead) {
      ctx.fail(entry, 'upload-failed', unreadable(info.name, cannotRead));
      return;
    }
  }
  if (isAbortError(error) && !(entry.controller?.signal.reason instanceof TransferError)) {
    ctx.toSend.unshift(entry); // paused: redo the PUT on resume
    return;
  }
  if (error instanceof DeferredLoadError) {
    ctx.fail(entry, 'upload-failed', error); // a chunk of the script is missing: retrying will not bring it
    return;
  }
  if (error instanceof StartRefused) {
    renew(ctx, entry, EXPIRED_WAITING, 'waited');
    return;
  }
  const failure = error instanceof TransferError ? { status: error.status } : {};
  if (
    error instanceof TransferError &&
    (error.expired || (error.status === 403 && entry.expiresAt !== undefined && Date.now() >= entry.expiresAt))
  ) {
    if (expiredDuringPut(entry)) renew(ctx, entry, `its presigned URL expired during the upload (${error.message})`, 'during');
    else renew(ctx, entry, EXPIRED_WAITING, 'waited');
    return;
  }
  if (!isNetworkFailure(failure)) ctx.storageAnswered = true;
  entry.putFailures += 1;
  // Storage never answered: it refuses this page (CORS), or the network is gone. The API, asked
  // about this upload, tells which.
  if (isUnreachable(entry.putFailures, failure, ctx.storageAnswered) && (await ctx.api().answers(info.uploadId!))) {
    if (info.status !== 'uploading') return;
    const storage = URL.canParse(entry.url ?? '') ? new URL(entry.url!).origin : 'storage';
    ctx.fail(
      entry,
      'upload-failed',
      new MixpeekUploaderError(
        'upload-failed',
        `${storage} did not answer the PUT (${messageOf(error)}). The browser is online, so it refused the request: the storage bucket's CORS must allow PUT with Content-Type from this page's origin (and expose ETag).`,
        { cause: error },
      ),
    );
    return;
  }
  if (isNetworkFailure(failure)) ctx.connectivity.lost();
  else ctx.connectivity.answered();
  const retry = { ...defaultRetryOptions, ...ctx.options.retry };
  if (!shouldRetry(entry.putFailures, failure, ctx.connectivity.lastAnswerAt, Date.now(), retry)) {
    ctx.fail(entry, 'upload-failed', error);
    return;
  }
  ctx.connectivity
    .wait(backoffDelay(entry.putFailures, failure, retry), ctx.session.signal)
    .then(
      () => {
        if (info.status === 'uploading') ctx.toSend.unshift(entry);
      },
      () => undefined,
    )
    .finally(() => ctx.pump());
}
