import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeEtag } from '../../src/engine/etag.ts';

describe('normalizeEtag', () => {
  it('normalizes quoted, bare, upper-case, escaped and weak forms to lowercase hex', () => {
    const canonical = '5d41402abc4b2a76b9719d911017c592';
    for (const form of [
      '"5d41402abc4b2a76b9719d911017c592"',
      '5d41402abc4b2a76b9719d911017c592',
      '5D41402ABC4B2A76B9719D911017C592',
      '"5D41402ABC4B2A76B9719D911017C592"',
      '\\"5d41402abc4b2a76b9719d911017c592\\"',
      'W/"5d41402abc4b2a76b9719d911017c592"',
      ' "5d41402abc4b2a76b9719d911017c592" ',
    ]) {
      assert.equal(normalizeEtag(form), canonical, form);
    }
  });
});
