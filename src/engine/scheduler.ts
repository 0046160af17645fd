/**
 * The scheduler: what starts next (a batch create, PUTs into free slots, a batch confirm) each
 * time anything changes, and the one test of whether the run is done (`confirmedAll`, and no
 * task left to follow).
 */
import type { UploadSummary } from '../events.ts';
import { confirm, confirmDue } from './confirm-batches.ts';
import { type EngineContext, preConfirm } from './context.ts';
import { type Entry, snapshotOf } from './entry.ts';
import { send } from './put.ts';
import { canWaitInQueue, createAllowance } from './url-lifetime.ts';
import { create } from './create-batches.ts';

/** Starts whatever can start now; ends the run when nothing is left to do. */
export function pump(ctx: EngineContext): void {
  const run = ctx.run;
  if (!run) return;
  const { batchSize, concurrency } = ctx.options;
  const fresh = !run.restoreOnly; // new files join a run, not a restore's own one
  if (!ctx.paused) {
    if (fresh && ctx.journalSettled && !ctx.creating && ctx.toCreate.length > 0) startCreate(ctx, batchSize);
    for (const e of ctx.renewalsHoldingSlots) {
      if (e.info.paused || (e.info.status !== 'queued' && e.info.status !== 'creating')) ctx.renewalsHoldingSlots.delete(e);
    }
    const free = concurrency - ctx.renewalsHoldingSlots.size;
    const ahead = ctx.toSend.length > 0 ? (ctx.transfer().queueAhead ?? 0) : 0;
    for (let i = 0; ctx.sending < free + ahead && i < ctx.toSend.length; ) {
      const entry = ctx.toSend[i]!;
      if (entry.info.paused)
        i += 1; // paused files keep their place
      else if (ctx.sending >= free && !canWaitInQueue(entry)) break;
      else send(ctx, ctx.toSend.splice(i, 1)[0]!);
    }
  }
  // Files that could still join this group soon; paused ones cannot, so they hold nothing back.
  const moving = (e: Entry) => !e.info.paused && !ctx.paused;
  const coming =
    ctx.creating || ctx.sending > 0 || ctx.table.count('hashing') > 0 || (fresh && ctx.toCreate.some(moving)) || ctx.toSend.some(moving);
  const due = confirmDue(ctx, ctx.confirmTimer);
  if (!ctx.confirming && ctx.toConfirm.length > 0 && (ctx.toConfirm.length >= batchSize || !coming || due)) {
    void confirm(ctx, ctx.toConfirm.splice(0, batchSize));
  }
  if (!confirmedAll(ctx)) {
    run.confirmedAll = false; // files joined: the event comes again once they are confirmed
    return;
  }
  if (!run.confirmedAll) {
    run.confirmedAll = true;
    ctx.emit('mixpeek-uploads-confirmed', {
      confirmed: ctx.table.count('processing') + ctx.table.count('done'),
      failed: ctx.table.count('failed'),
      canceled: ctx.table.count('canceled'),
      batches: ctx.batches.map((b) => ({ ...b })),
    });
  }
  if (ctx.polls === 0) finishRun(ctx);
}

/**
 * Sends the next batch create: as many waiting files as fit the create window (url-lifetime.ts)
 * and `batchSize`; files renewed while holding a transfer slot always go.
 */
function startCreate(ctx: EngineContext, batchSize: number): void {
  // Paused files keep their place; the common case (none paused) takes a slice.
  const movable = ctx.toCreate.some((e) => e.info.paused) ? ctx.toCreate.filter((e) => !e.info.paused) : ctx.toCreate;
  let holding = 0;
  while (holding < movable.length && ctx.renewalsHoldingSlots.has(movable[holding]!)) holding += 1;
  const allowed = ctx.toSend.length >= batchSize ? 0 : createAllowance(ctx, movable, batchSize);
  const n = Math.min(batchSize, Math.max(allowed, holding));
  if (n === 0) return;
  const batch = movable.slice(0, n);
  const taken = new Set(batch);
  ctx.toCreate = ctx.toCreate.filter((e) => !taken.has(e));
  void create(ctx, batch);
}

/**
 * True when every file of the run has had its confirmation accepted by Mixpeek, or ended
 * (failed, canceled, done), and nothing more can join: what is left is Mixpeek's processing.
 */
export function confirmedAll(ctx: EngineContext): boolean {
  if (!ctx.run) return false;
  if (ctx.creating || ctx.confirming || ctx.sending > 0 || ctx.toConfirm.length > 0) return false;
  for (const status of preConfirm) if (ctx.table.count(status) > 0) return false;
  if (ctx.run.restoreOnly) return true; // new files wait for upload()
  return ctx.journalSettled && ctx.toCreate.length === 0 && ctx.table.count('queued') === 0 && ctx.comparing.size === 0 && !ctx.offered;
}

/** True when the run is done: everything confirmed (see {@link confirmedAll}) and every task followed to its end. */
export function runDone(ctx: EngineContext): boolean {
  return confirmedAll(ctx) && ctx.polls === 0;
}

/** Ends the run: pending progress, `mixpeek-complete` with the summary, the run's promise resolved. */
export function finishRun(ctx: EngineContext): void {
  const run = ctx.run;
  if (!run) return;
  ctx.run = undefined;
  ctx.progress.flush();
  const result = summary(ctx);
  ctx.emit('mixpeek-complete', result);
  ctx.changed();
  run.resolve(result);
}

/** A snapshot for `upload()`'s result and `mixpeek-complete`. */
export function summary(ctx: EngineContext): UploadSummary {
  return {
    files: Array.from(ctx.table.values(), (e) => ({ ...snapshotOf(e) })),
    batches: ctx.batches.map((b) => ({ ...b, uploadIds: [...b.uploadIds] })),
    confirmed: ctx.table.count('done'),
    failed: ctx.table.count('failed'),
    canceled: ctx.table.count('canceled'),
  };
}
