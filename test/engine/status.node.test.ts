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

  it('has three final states', () => {
    assert.deepEqual((['queued', 'done', 'failed', 'canceled', 'processing'] as const).filter(isFinal), ['done', 'failed', 'canceled']);
  });
});
