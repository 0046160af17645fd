import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitName } from '../../src/element/file-name.ts';
import { describeLimits } from '../../src/element/limits.ts';
import { en } from '../../src/element/strings.ts';

describe('splitName', () => {
  it('keeps the extension and a few characters before it in the tail; the parts join to the name', () => {
    const name = 'holiday-2024-lisbon-tram-28-sunset-0142.jpeg';
    const [head, tail] = splitName(name);
    assert.equal(tail, 't-0142.jpeg');
    assert.equal(head + tail, name);
  });

  it('leaves short names whole, and names without an extension keep their last characters', () => {
    assert.deepEqual(splitName('a.txt'), ['a.txt', '']);
    const [head, tail] = splitName('README-without-any-extension-at-all');
    assert.equal(head + tail, 'README-without-any-extension-at-all');
    assert.equal(tail, 'at-all');
  });
});

describe('describeLimits', () => {
  it('says what is accepted from accept, max-file-size and max-files', () => {
    assert.deepEqual(describeLimits({ accept: 'image/*,.pdf, video/mp4', maxFileSize: 100_000_000, maxFiles: 10 }, en, 'en'), [
      'Accepts images, PDF, MP4',
      'up to 100 MB each',
      'at most 10 files',
    ]);
  });

  it('without limits: any file, up to the most one upload holds', () => {
    assert.deepEqual(describeLimits({}, en, 'en'), ['Any kind of file', 'up to 5.4 GB each']);
  });
});
