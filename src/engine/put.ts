/**
 * The PUT of a file's bytes to its presigned URL: through the transfer, with a stall watch
 * (no progress for `stallTimeout` aborts and retries), progress, and the hashing beside it.
 */
import { TransferError } from '../transfer/types.ts';
import { uploaded } from './confirm-batches.ts';
import type { EngineContext } from './context.ts';
import type { Entry } from './entry.ts';
import { hash } from './hashing.ts';
import { putFailed } from './put-failures.ts';
import { EXPIRED_WAITING, StartRefused, expiring, renew } from './url-lifetime.ts';

/** Sends the file's PUT (its URL renewed first if it is about to expire). */
export function send(ctx: EngineContext, entry: Entry): void {
  const { info } = entry;
  if (expiring(entry)) {
    renew(ctx, entry, EXPIRED_WAITING, 'waited');
    return;
  }
  const transfer = ctx.transfer(); // before counting this PUT: a new concurrency applies when none is in flight
  const controller = new AbortController();
  entry.controller = controller;
  ctx.update(entry, { bytesSent: 0 }); // a presigned PUT always starts from the first byte
  ctx.sending += 1;
  if (info.etag === undefined && !entry.stored) void hash(ctx, entry);
  // A PUT that makes no progress for `stallTimeout` is aborted and tried again.
  let stall: ReturnType<typeof setTimeout> | undefined;
  const watch = () => {
    clearTimeout(stall);
    stall = setTimeout(
      () => controller.abort(new TransferError(`No progress for ${ctx.options.stallTimeout} ms.`)),
      ctx.options.stallTimeout,
    );
  };
  let started = false;
  const start = () => {
    started = true;
    entry.putStartedAt = Date.now();
    ctx.throughput.started();
    watch();
  };
  // A transfer that queues jobs says when each starts; the watch runs from then, and a URL
  // that came close to its end while the job waited is renewed rather than sent.
  if (!transfer.queueAhead) start();
  const onStart = () => {
    if (expiring(entry)) throw new StartRefused(EXPIRED_WAITING);
    if (!started) start();
  };
  transfer
    .put(
      { id: info.fileId, file: info.file!, name: info.name, url: entry.url!, contentType: info.contentType, onStart },
      (bytes) => {
        watch(); // bytes leaving are no answer: a PUT into a dead network sends some before it fails
        ctx.progress.set(entry, bytes);
        entry.pace?.sent(bytes);
      },
      controller.signal,
    )
    .then(
      () => {
        if (started) ctx.throughput.ended(info.size);
        started = false;
        ctx.connectivity.answered();
        ctx.storageAnswered = true;
        entry.stored = true;
        entry.pace?.release();
        ctx.progress.set(entry, info.size);
        if (info.etag) uploaded(ctx, entry);
        else ctx.setStatus(entry, 'hashing');
      },
      (error) => {
        if (started) ctx.throughput.ended();
        started = false;
        return putFailed(ctx, entry, error);
      },
    )
    .finally(() => {
      clearTimeout(stall);
      ctx.sending -= 1;
      if (entry.controller === controller) entry.controller = undefined;
      ctx.changed();
      ctx.pump();
    });
}
