import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canTransition, isFinal } from '../../src/engine/status.ts';

describe('file status transitions', () => {
  it('follow the pipeline and refuse skipping confirmation', () => {
    assert.ok(canTransition('queued', 'creating'));
    assert.ok(canTransition('uploading', 'hashing'));
    assert.ok(canTransition('processing', 'done'));
    assert.ok(!canTransition('uploaded', 'done'));
    assert.ok(!canTransition('done', 'failed'));
    assert.ok(!canTransition('processing', 'canceled'));
    assert.ok(canTransition('failed', 'queued'));
  });

  it('has four final states', () => {
    assert.deepEqual((['queued', 'done', 'skipped', 'failed', 'canceled', 'processing'] as const).filter(isFinal), [
      'done',
      'skipped',
      'failed',
      'canceled',
    ]);
  });

  it('a file Mixpeek already has goes from creating to skipped, and nowhere after', () => {
    assert.ok(canTransition('creating', 'skipped'));
    assert.ok(!canTransition('uploading', 'skipped'));
    assert.ok(!canTransition('skipped', 'queued'));
    assert.ok(!canTransition('creating', 'done'));
  });
});
