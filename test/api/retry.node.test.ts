import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  backoffDelay,
  defaultRetryOptions,
  isRetryable,
  isUnreachable,
  OFFLINE_RETRY_MAX_DELAY,
  shouldRetry,
} from '../../src/api/retry.ts';

describe('retry policy', () => {
  it('retries network errors, 5xx, 408 and 429 only', () => {
    for (const status of [undefined, 0, 500, 502, 503, 408, 429]) assert.ok(isRetryable({ status }), String(status));
    for (const status of [400, 401, 403, 404, 409, 413, 422]) assert.ok(!isRetryable({ status }), String(status));
  });

  it('backs off exponentially with jitter, capped, and never below Retry-After', () => {
    const o = { ...defaultRetryOptions, baseDelay: 1000, maxDelay: 30_000 };
    assert.equal(
      backoffDelay(1, {}, o, () => 0),
      500,
    );
    assert.equal(
      backoffDelay(1, {}, o, () => 1),
      1000,
    );
    assert.equal(
      backoffDelay(3, {}, o, () => 1),
      4000,
    );
    assert.equal(
      backoffDelay(20, { status: 503 }, o, () => 1),
      30_000,
    );
    // No answer at all: short waits, so the network's return is noticed within seconds.
    assert.equal(
      backoffDelay(20, {}, o, () => 1),
      OFFLINE_RETRY_MAX_DELAY,
    );
    assert.equal(
      backoffDelay(1, { status: 429, retryAfter: 2 }, o, () => 0),
      2000,
    );
  });

  it('keeps retrying network errors until the offline timeout, others until the attempts run out', () => {
    const o = { ...defaultRetryOptions, attempts: 3, offlineTimeout: 60_000 };
    assert.ok(shouldRetry(50, {}, 0, 59_000, o));
    assert.ok(!shouldRetry(1, {}, 0, 60_000, o));
    assert.ok(shouldRetry(2, { status: 503 }, 0, 0, o));
    assert.ok(!shouldRetry(3, { status: 503 }, 0, 0, o));
    assert.ok(!shouldRetry(1, { status: 400 }, 0, 0, o));
  });

  it('calls a server unreachable after a few unanswered tries only if it never answered and the browser is online', () => {
    assert.ok(!isUnreachable(3, {}, false));
    assert.ok(isUnreachable(4, {}, false));
    assert.ok(!isUnreachable(4, {}, true)); // it answered before: the network is gone, wait for it
    assert.ok(!isUnreachable(4, { status: 503 }, false)); // an answer, however bad
  });
});
