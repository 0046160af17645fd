/** When `skipDuplicates: 'auto'` hashes a file before its create (duplicates.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EngineContext } from '../../src/engine/context.ts';
import type { Entry } from '../../src/engine/entry.ts';
import { hashFirstRule, takeQuestion } from '../../src/engine/duplicates.ts';
import type { UploaderOptions } from '../../src/engine/options.ts';
import { ThroughputMeter } from '../../src/engine/throughput.ts';
import { context, entry } from './support.ts';

const MiB = 1024 * 1024;
/** True when the rule of a batch made now hashes `e` before its create. */
const hashesFirst = (ctx: EngineContext, e: Entry) => hashFirstRule(ctx)(e);
const sha256Hasher = { md5: async () => '0'.repeat(32), supportsSha256: true };

/** A context whose measured pace is `bytesPerSecond` (one finished PUT of 10 MiB). */
function measured(bytesPerSecond: number | undefined, over: Partial<UploaderOptions> = {}): EngineContext {
  const ctx = context({ hasher: sha256Hasher, ...over });
  let now = 0;
  const meter = new ThroughputMeter(() => now);
  if (bytesPerSecond !== undefined) {
    meter.started();
    now = ((10 * MiB) / bytesPerSecond) * 1000;
    meter.ended(10 * MiB);
  }
  Object.defineProperty(ctx, 'throughput', { value: meter });
  return ctx;
}

/** A file of `size` bytes with its `File`. */
function file(ctx: EngineContext, size: number) {
  const e = entry(ctx, size);
  e.info.file = new File([], e.info.name);
  return e;
}

describe("skipDuplicates 'auto'", () => {
  it('does not hash first before any PUT was measured, nor on a fast link', () => {
    assert.equal(hashesFirst(measured(undefined), file(measured(undefined), 256 * MiB)), false);
    const fast = measured(125_000_000); // 1 Gbit/s
    assert.equal(hashesFirst(fast, file(fast, 256 * MiB)), false);
  });

  it('hashes first a large file on a slow link, not a small one', () => {
    const slow = measured(1_000_000); // 8 Mbit/s: sending is 100 times hashing
    assert.equal(hashesFirst(slow, file(slow, 64 * MiB)), true);
    assert.equal(hashesFirst(slow, file(slow, 100_000)), false, 'under 1 s to send');
  });

  it('hashes first once Mixpeek answered a duplicate, or when the journal holds confirmed files', () => {
    const answered = measured(undefined);
    answered.skippedByMixpeek = 1;
    assert.equal(hashesFirst(answered, file(answered, 1000)), true);
    const journaled = measured(undefined);
    journaled.recovered.known.set('k', {
      key: 'k',
      target: 't',
      name: 'a',
      relativePath: 'a',
      size: 1,
      lastModified: 0,
      state: 'confirmed',
      uploadId: 'upl_a',
      updatedAt: 0,
    });
    assert.equal(hashesFirst(journaled, file(journaled, 1000)), true);
  });

  it('never hashes first with a hasher that cannot give SHA-256; "always" and "never" ignore the rule', () => {
    const old = measured(1_000_000, { hasher: { md5: sha256Hasher.md5 } });
    old.skippedByMixpeek = 1;
    assert.equal(hashesFirst(old, file(old, 64 * MiB)), false);
    const always = measured(undefined, { skipDuplicates: 'always' });
    assert.equal(hashesFirst(always, file(always, 10)), true);
    const never = measured(1_000_000, { skipDuplicates: 'never' });
    never.skippedByMixpeek = 1;
    assert.equal(hashesFirst(never, file(never, 64 * MiB)), false);
  });

  it('asks about up to 4 files of at most 8 MiB first, once a run, when 64 MiB or more wait to be sent', () => {
    const ctx = measured(undefined);
    const batch = [file(ctx, 20 * MiB), ...Array.from({ length: 6 }, () => file(ctx, MiB))];
    file(ctx, 40 * MiB); // waiting in the queue
    assert.deepEqual(takeQuestion(ctx, batch), batch.slice(1, 5));
    assert.equal(takeQuestion(ctx, batch), undefined, 'asked once');
  });

  it('asks nothing when under 64 MiB wait, when duplicates are already likely, outside "auto", or with no file of 8 MiB or less', () => {
    const small = measured(undefined);
    assert.equal(takeQuestion(small, [file(small, MiB), file(small, MiB)]), undefined);
    const known = measured(undefined);
    known.skippedByMixpeek = 1;
    assert.equal(takeQuestion(known, [file(known, 64 * MiB), file(known, MiB)]), undefined);
    const always = measured(undefined, { skipDuplicates: 'always' });
    assert.equal(takeQuestion(always, [file(always, 64 * MiB), file(always, MiB)]), undefined);
    const big = measured(undefined);
    const large = file(big, 256 * MiB);
    assert.equal(takeQuestion(big, [large]), undefined, 'no file small enough to ask about');
    const later = file(big, MiB);
    assert.deepEqual(takeQuestion(big, [later]), [later], 'a later batch with a small file still asks');
  });
});
