import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EngineContext } from '../../src/engine/context.ts';
import { confirmedAll, pump, runDone } from '../../src/engine/scheduler.ts';
import type { UploadSummary } from '../../src/events.ts';
import { context, entry } from './support.ts';

/** Starts a run on `ctx` (as `upload()` does, without its checks). */
function startRun(ctx: EngineContext, restoreOnly = false): Promise<UploadSummary> {
  let resolve!: (s: UploadSummary) => void;
  const promise = new Promise<UploadSummary>((r) => (resolve = r));
  ctx.run = { promise, resolve, restoreOnly };
  ctx.journalSettled = true;
  return promise;
}

/** A `fetch` answering like Mixpeek's batch confirm and task routes; records confirm sizes. */
function mixpeekLike(confirms: number[]) {
  return (async (url: string | URL, init?: RequestInit) => {
    const path = new URL(String(url)).pathname;
    if (path.endsWith('/uploads/confirm/batch')) {
      const body = JSON.parse(String(init?.body)) as { confirmations: unknown[] };
      confirms.push(body.confirmations.length);
      return Response.json({ task_id: `task_${confirms.length}`, status: 'PENDING' });
    }
    if (path.startsWith('/v1/tasks/')) return Response.json({ task_id: path.split('/').pop(), status: 'COMPLETED' });
    return new Response('{}', { status: 404 });
  }) as typeof fetch;
}

describe('scheduler', () => {
  it('the run is done only when nothing is queued, in flight, waiting for a confirm or for its task', () => {
    const ctx = context();
    void startRun(ctx);
    assert.equal(runDone(ctx), true);
    const e = entry(ctx, 10, 'queued');
    assert.equal(runDone(ctx), false, 'a queued file');
    ctx.table.setStatus(e, 'creating');
    assert.equal(runDone(ctx), false, 'a file being created');
    ctx.table.setStatus(e, 'uploading');
    ctx.sending = 1;
    assert.equal(runDone(ctx), false, 'a PUT in flight');
    ctx.sending = 0;
    ctx.table.setStatus(e, 'uploaded');
    ctx.toConfirm.push(e);
    assert.equal(runDone(ctx), false, 'a file waiting for its confirm');
    ctx.toConfirm = [];
    ctx.table.setStatus(e, 'confirming');
    ctx.confirming = true;
    assert.equal(runDone(ctx), false, 'a confirm in flight');
    ctx.confirming = false;
    ctx.table.setStatus(e, 'processing');
    ctx.polls = 1;
    assert.equal(confirmedAll(ctx), true, 'everything is confirmed');
    assert.equal(runDone(ctx), false, 'but its task is still followed');
    ctx.polls = 0;
    ctx.table.setStatus(e, 'done');
    assert.equal(runDone(ctx), true);
  });

  it('files being compared, offered files not taken yet, and an unread journal keep a run going', () => {
    const ctx = context();
    void startRun(ctx);
    ctx.comparing.set('k', new Set([new File(['x'], 'x')]));
    assert.equal(runDone(ctx), false);
    ctx.comparing.clear();
    ctx.offered = [new File(['x'], 'y')];
    assert.equal(runDone(ctx), false);
    ctx.offered = undefined;
    ctx.journalSettled = false;
    assert.equal(runDone(ctx), false);
    ctx.journalSettled = true;
    assert.equal(runDone(ctx), true);
  });

  it("a restore's own run does not wait for files added meanwhile (they wait for upload())", () => {
    const ctx = context();
    void startRun(ctx, true);
    entry(ctx, 10, 'queued');
    assert.equal(runDone(ctx), true);
    ctx.run!.restoreOnly = false;
    assert.equal(runDone(ctx), false);
  });

  it('250 stored files are confirmed in batches of 100, 100 and 50; the run ends once every task is done', async () => {
    const confirms: number[] = [];
    const ctx = context({ fetch: mixpeekLike(confirms), apiUrl: 'http://mixpeek.test', taskPollInterval: 1 });
    ctx.pump = () => pump(ctx);
    const done = startRun(ctx);
    const events: string[] = [];
    ctx.emit = ((name: string) => events.push(name)) as typeof ctx.emit;
    for (let i = 0; i < 250; i += 1) {
      const e = entry(ctx, 10, 'queued');
      for (const s of ['creating', 'uploading', 'uploaded'] as const) ctx.table.setStatus(e, s);
      Object.assign(e.info, { uploadId: `upl_${i}`, etag: '0'.repeat(32) });
      ctx.toConfirm.push(e);
    }
    ctx.pump();
    const summary = await done;
    assert.deepEqual(confirms, [100, 100, 50]);
    assert.equal(summary.confirmed, 250);
    assert.equal(events.filter((e) => e === 'mixpeek-uploads-confirmed').length, 1);
    assert.ok(events.indexOf('mixpeek-uploads-confirmed') < events.indexOf('mixpeek-complete'));
  });

  it('a group smaller than a batch is confirmed as soon as nothing else can join it', async () => {
    const confirms: number[] = [];
    const ctx = context({ fetch: mixpeekLike(confirms), apiUrl: 'http://mixpeek.test', taskPollInterval: 1 });
    ctx.pump = () => pump(ctx);
    const done = startRun(ctx);
    const e = entry(ctx, 10, 'queued');
    for (const s of ['creating', 'uploading', 'uploaded'] as const) ctx.table.setStatus(e, s);
    Object.assign(e.info, { uploadId: 'upl_x', etag: '0'.repeat(32) });
    ctx.toConfirm.push(e);
    const busy = entry(ctx, 10, 'queued');
    ctx.table.setStatus(busy, 'creating');
    ctx.creating = true; // another file could still join the group
    ctx.pump();
    assert.deepEqual(confirms, []);
    ctx.creating = false;
    ctx.table.setStatus(busy, 'failed');
    ctx.pump();
    await done;
    assert.deepEqual(confirms, [1]);
  });
});
