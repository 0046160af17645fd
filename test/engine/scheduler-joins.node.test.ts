import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createAllowance } from '../../src/engine/url-lifetime.ts';
import { pump } from '../../src/engine/scheduler.ts';
import type { UploadSummary } from '../../src/events.ts';
import { context, entry } from './support.ts';

it('a paused file waiting for its PUT holds no later create back', () => {
  const ctx = context();
  const paused = entry(ctx, 10, 'uploading');
  paused.info.paused = true;
  ctx.toSend.push(paused);
  ctx.urlLifetime = 3_600_000;
  const later = [entry(ctx, 10), entry(ctx, 10)];
  assert.equal(createAllowance(ctx, later, 100), 2, 'creates for the files behind a paused one');
});

it('mixpeek-uploads-confirmed fires again when files join after it', () => {
  const ctx = context();
  const seen: string[] = [];
  ctx.emit = ((name: string) => seen.push(name)) as typeof ctx.emit;
  let resolve!: (s: UploadSummary) => void;
  ctx.run = { promise: new Promise<UploadSummary>((r) => (resolve = r)), resolve, restoreOnly: true };
  ctx.journalSettled = true;
  entry(ctx, 10, 'processing'); // from before a reload
  ctx.polls = 1; // its task is still followed
  pump(ctx);
  assert.deepEqual(seen, ['mixpeek-uploads-confirmed']);
  ctx.run.restoreOnly = false; // upload() joins the restore's run
  const mine = entry(ctx, 10, 'hashing'); // a new file on its way
  pump(ctx);
  ctx.table.setStatus(mine, 'uploaded');
  ctx.table.setStatus(mine, 'confirming');
  ctx.table.setStatus(mine, 'processing'); // now confirmed too
  pump(ctx);
  assert.equal(seen.filter((s) => s === 'mixpeek-uploads-confirmed').length, 2, 'fired once, before the new file was confirmed');
});
