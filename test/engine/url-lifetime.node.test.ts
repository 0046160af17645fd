import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ThroughputMeter } from '../../src/engine/throughput.ts';
import { applyLifetime, createAllowance, expiring, renew, MAX_WAIT_RENEWALS } from '../../src/engine/url-lifetime.ts';
import { context, entry } from './support.ts';

/** A meter that saw `count` PUTs of `bytes` each finish, one at a time, `ms` apart. */
function measured(meter: ThroughputMeter, clock: { now: number }, count: number, bytes: number, ms: number) {
  for (let i = 0; i < count; i += 1) {
    meter.started();
    clock.now += ms;
    meter.ended(bytes);
  }
}

describe('create window and URL lifetime', () => {
  it('before anything is known, a whole batch is created only when no file waits for a PUT', () => {
    const ctx = context();
    const waiting = Array.from({ length: 150 }, () => entry(ctx));
    assert.equal(createAllowance(ctx, waiting, 100), 100);
    ctx.toSend.push(entry(ctx));
    assert.equal(createAllowance(ctx, waiting, 100), 0);
  });

  it('with long-lived URLs on a fast link, whole batches are created (as few API requests as ever)', () => {
    const ctx = context();
    const clock = { now: 0 };
    Object.assign(ctx, { throughput: new ThroughputMeter(() => clock.now) });
    measured(ctx.throughput, clock, 20, 1 << 20, 10); // 1 MiB every 10 ms
    ctx.toSend.push(...Array.from({ length: 50 }, () => entry(ctx, 1 << 20)));
    const next = Array.from({ length: 100 }, () => entry(ctx, 1 << 20));
    assert.equal(createAllowance(ctx, next, 100, 3_600_000), 100);
  });

  it('creates only as many uploads as can be sent within half a URL lifetime at the measured pace', () => {
    const ctx = context();
    const clock = { now: 0 };
    Object.assign(ctx, { throughput: new ThroughputMeter(() => clock.now) });
    measured(ctx.throughput, clock, 10, 100_000, 100); // 10 files a second
    ctx.toSend.push(entry(ctx, 100_000), entry(ctx, 100_000));
    const next = Array.from({ length: 30 }, () => entry(ctx, 100_000));
    // URLs of 2 s: 1 s of sending ahead is 10 files, 2 of which already wait.
    assert.equal(createAllowance(ctx, next, 100, 2000), 8);
  });

  it('large files are measured by bytes: at 10 MB/s and URLs of 60 s, 30 s of 100 MB files is 3 files', () => {
    const ctx = context();
    const clock = { now: 0 };
    Object.assign(ctx, { throughput: new ThroughputMeter(() => clock.now) });
    measured(ctx.throughput, clock, 4, 10_000_000, 1000);
    const next = Array.from({ length: 10 }, () => entry(ctx, 100_000_000));
    assert.equal(createAllowance(ctx, next, 100, 60_000), 3);
  });

  it('a first tiny file does not make later small files look slow: whole batches while few bytes were measured', () => {
    const ctx = context();
    const clock = { now: 0 };
    Object.assign(ctx, { throughput: new ThroughputMeter(() => clock.now) });
    measured(ctx.throughput, clock, 1, 1, 300); // 1 byte in 300 ms (a loaded machine)
    ctx.toSend.push(entry(ctx, 5500));
    const next = Array.from({ length: 7 }, (_, i) => entry(ctx, 1000 * (i + 1)));
    assert.equal(createAllowance(ctx, next, 7, 3_600_000), 7);
  });

  it('paused files waiting for a PUT hold no create back', () => {
    const ctx = context();
    const clock = { now: 0 };
    Object.assign(ctx, { throughput: new ThroughputMeter(() => clock.now) });
    measured(ctx.throughput, clock, 4, 10_000_000, 1000);
    const paused = entry(ctx, 10_000_000_000);
    paused.info.paused = true;
    ctx.toSend.push(paused);
    const next = Array.from({ length: 2 }, () => entry(ctx, 1_000_000));
    assert.equal(createAllowance(ctx, next, 100, 60_000), 2);
  });

  it('a file that alone takes longer than the window is still created when nothing else waits', () => {
    const ctx = context();
    const clock = { now: 0 };
    Object.assign(ctx, { throughput: new ThroughputMeter(() => clock.now) });
    measured(ctx.throughput, clock, 2, 1_000_000, 1000);
    const huge = [entry(ctx, 10_000_000_000)];
    assert.equal(createAllowance(ctx, huge, 100, 60_000), 1);
  });

  it('takes expires_at: the URL is not used within a tenth of its lifetime (at most 5 s) of the end, and its confirm is due a quarter before', () => {
    const ctx = context();
    const e = entry(ctx);
    const now = Date.parse('2026-01-01T00:00:00Z');
    applyLifetime(ctx, e, { expires_at: '2026-01-01T00:00:10Z' }, now);
    assert.equal(ctx.urlLifetime, 10_000);
    assert.equal(e.expiryMargin, 1000);
    assert.equal(e.confirmBy, now + 7500);
    assert.equal(expiring(e, now + 8999), false);
    assert.equal(expiring(e, now + 9001), true);
  });

  it('a URL that expired while its file waited does not count against the file; one that expired during its PUT does', () => {
    const ctx = context();
    const e = entry(ctx, 1000, 'queued');
    ctx.table.setStatus(e, 'creating');
    ctx.table.setStatus(e, 'uploading');
    renew(ctx, e, 'expired while waiting', 'waited');
    assert.equal(e.renewals, 0);
    assert.equal(e.waitRenewals, 1);
    assert.equal(e.info.status, 'queued');
    assert.equal(ctx.toCreate[0], e);
    assert.ok(ctx.renewalsHoldingSlots.has(e));
    ctx.table.setStatus(e, 'creating');
    ctx.table.setStatus(e, 'uploading');
    renew(ctx, e, 'expired during the PUT', 'during');
    assert.equal(e.renewals, 1);
  });

  it('a file whose own PUT outlives its URL four times fails, saying to ask for a longer expiry or use a faster link', () => {
    const ctx = context();
    const errors: string[] = [];
    ctx.emit = ((name: string, detail: { message: string }) => {
      if (name === 'mixpeek-file-error') errors.push(detail.message);
    }) as typeof ctx.emit;
    const e = entry(ctx, 1000, 'queued');
    for (let i = 0; i < 4; i += 1) {
      ctx.table.setStatus(e, 'creating');
      ctx.table.setStatus(e, 'uploading');
      renew(ctx, e, 'its presigned URL expired during the upload', 'during');
    }
    assert.equal(e.info.status, 'failed');
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /longer URL expiry.*faster link/);
    assert.ok(MAX_WAIT_RENEWALS > 4);
  });
});
