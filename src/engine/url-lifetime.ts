/**
 * Presigned URL lifetime: when a URL is too close to its `expires_at` to be used, how far ahead
 * of the PUTs uploads may be created (just in time, from the measured pace), and renewal (a new
 * upload for a file whose URL expired, the old one canceled).
 */
import { MixpeekUploaderError } from '../errors.ts';
import type { UploadResponse } from '../api/types.ts';
import type { EngineContext } from './context.ts';
import type { Entry } from './entry.ts';

/** Renewals a file gets when its URL expires during its own PUT. */
export const MAX_RENEWALS = 3;
/**
 * Renewals a file gets when its URL expires while it waits on our side. Not its fault, so not
 * counted against it; only a guard against a loop when URLs die faster than anything can start.
 */
export const MAX_WAIT_RENEWALS = 20;
/**
 * A URL this close to its `expires_at` is renewed before the PUT starts, ms (at most a tenth of
 * the URL's lifetime, so that short-lived URLs are still used).
 */
export const EXPIRY_MARGIN = 5_000;
/** Uploads are created only for the files that can be sent within this share of a URL's lifetime. */
export const LIFETIME_SHARE = 0.5;
/**
 * A PUT waits in the transfer's own queue (beyond `concurrency`) only when its URL lives at
 * least this much longer, ms: a short-lived URL would expire there.
 */
export const QUEUE_AHEAD_MIN_LIFE = 60_000;

/** The reason given when a URL expired before its PUT could start. */
export const EXPIRED_WAITING = 'its presigned URL expired before the upload started';

/** Thrown by a job's `onStart` to keep a queued PUT from being sent (its URL is expiring). */
export class StartRefused extends Error {
  override name = 'StartRefused';
}

/** True when the file's presigned URL is within its expiry margin (or past it). */
export const expiring = (entry: Pick<Entry, 'expiresAt' | 'expiryMargin'>, now = Date.now()): boolean =>
  entry.expiresAt !== undefined && now > entry.expiresAt - (entry.expiryMargin ?? EXPIRY_MARGIN);

/**
 * Whether an expiry at the PUT is the file's own: its PUT ran for at least half its URL's
 * lifetime. Storage checks the expiry when the request arrives, so a PUT refused as expired soon
 * after it started had waited too long on our side, and is renewed without counting.
 */
export function expiredDuringPut(entry: Pick<Entry, 'lifetime' | 'putStartedAt'>, now = Date.now()): boolean {
  return entry.lifetime !== undefined && entry.putStartedAt !== undefined && now - entry.putStartedAt >= entry.lifetime / 2;
}

/** True when the file may wait in the transfer's queue without its URL expiring there. */
export const canWaitInQueue = (entry: Pick<Entry, 'expiresAt'>, now = Date.now()): boolean =>
  entry.expiresAt === undefined || entry.expiresAt - now > QUEUE_AHEAD_MIN_LIFE;

/**
 * Takes an upload's `expires_at`: when its URL stops working, the margin, and when its confirm
 * is due; the lifetime is kept as the engine's latest (`ctx.urlLifetime`).
 */
export function applyLifetime(ctx: EngineContext, entry: Entry, upload: Pick<UploadResponse, 'expires_at'>, now = Date.now()): void {
  const expiresAt = upload.expires_at ? Date.parse(upload.expires_at) : Number.NaN;
  entry.expiresAt = Number.isNaN(expiresAt) ? undefined : expiresAt;
  const lifetime = Math.max(0, expiresAt - now);
  entry.expiryMargin = Math.min(EXPIRY_MARGIN, lifetime / 10);
  entry.lifetime = Number.isNaN(lifetime) ? undefined : lifetime;
  // Mixpeek fails uploads not confirmed before `expires_at`: confirm with a quarter to spare.
  entry.confirmBy = Number.isNaN(lifetime) ? undefined : expiresAt - lifetime / 4;
  if (!Number.isNaN(lifetime)) ctx.urlLifetime = lifetime;
}

/**
 * How many of `candidates` (in order) to create uploads for now, at most `max`: all of them
 * while the URLs would outlive the wait by far, fewer when the files already waiting for a PUT
 * plus these would take longer to send, at the measured pace, than {@link LIFETIME_SHARE} of a
 * URL's lifetime. Before any PUT has finished, only when nothing waits for a PUT. One when nothing
 * waits or is sent: a file that alone takes longer is still tried (its own PUT may fit).
 */
export function createAllowance(ctx: EngineContext, candidates: readonly Entry[], max: number, lifetime = ctx.urlLifetime): number {
  // Paused files wait for a person, not for a slot: they hold nothing back.
  const waiting = ctx.paused ? [] : ctx.toSend.filter((e) => !e.info.paused);
  const limit = Math.min(max, candidates.length);
  if (limit === 0) return 0;
  if (lifetime === undefined) return waiting.length === 0 ? limit : 0; // nothing known yet: one batch at a time
  const budget = (lifetime * LIFETIME_SHARE) / 1000;
  let files = waiting.length;
  let bytes = 0;
  for (const e of waiting) bytes += e.info.size;
  const base = ctx.throughput.secondsFor(files, bytes);
  if (base === undefined) return waiting.length === 0 ? limit : 0;
  let n = 0;
  while (n < limit) {
    files += 1;
    bytes += candidates[n]!.info.size;
    if ((ctx.throughput.secondsFor(files, bytes) ?? 0) > budget) break;
    n += 1;
  }
  return n === 0 && waiting.length === 0 && ctx.sending === 0 ? 1 : n;
}

/**
 * Why a URL is renewed: it expired while the file `waited` on our side (not the file's fault),
 * `during` the file's own PUT, or the upload expired `before-confirm` reached Mixpeek.
 */
export type RenewalCause = 'waited' | 'during' | 'before-confirm';

/**
 * Gives a file whose URL expired a fresh upload (new presigned URL) and cancels the old one at
 * Mixpeek, which would otherwise stay PENDING; the old upload is never confirmed. Renewals for
 * `during` and `before-confirm` count against the file ({@link MAX_RENEWALS}); `waited` ones
 * do not. After an expiry at the PUT (`waited`, `during`), the file holds its transfer slot
 * until the new URL comes and goes first, so that URLs are renewed only as fast as slots free.
 */
export function renew(ctx: EngineContext, entry: Entry, reason: string, cause: RenewalCause): void {
  const { info } = entry;
  const during = cause !== 'waited';
  if (during ? entry.renewals >= MAX_RENEWALS : entry.waitRenewals >= MAX_WAIT_RENEWALS) {
    const seconds = entry.lifetime ? Math.round(entry.lifetime / 1000) : undefined;
    const lives = seconds ? ` (they live ${seconds} s)` : '';
    ctx.fail(
      entry,
      'upload-failed',
      new MixpeekUploaderError(
        'upload-failed',
        cause === 'during'
          ? `"${info.name}" could not be uploaded: ${reason}, ${MAX_RENEWALS + 1} times. Sending it takes longer than a presigned URL lives${lives}: ask Mixpeek for a longer URL expiry, or use a faster link.`
          : cause === 'before-confirm'
            ? `"${info.name}" could not be uploaded: ${reason}, ${MAX_RENEWALS + 1} times. Its upload expired before its confirmation reached Mixpeek${lives}: ask Mixpeek for a longer URL expiry.`
            : `"${info.name}" could not be uploaded: ${reason}, ${MAX_WAIT_RENEWALS + 1} times. Presigned URLs expire before a PUT can start${lives}: ask Mixpeek for a longer URL expiry, or lower concurrency.`,
      ),
    );
    return;
  }
  if (during) entry.renewals += 1;
  else entry.waitRenewals += 1;
  if (cause !== 'before-confirm') ctx.renewalsHoldingSlots.add(entry);
  ctx.discard(info.uploadId);
  ctx.update(entry, { uploadId: undefined, taskId: undefined });
  Object.assign(entry, { url: undefined, expiresAt: undefined, stored: false, putFailures: 0 });
  ctx.setStatus(entry, 'queued');
  ctx.toCreate.unshift(entry);
  queueMicrotask(() => ctx.pump()); // not from inside the pump that may have called this
}
