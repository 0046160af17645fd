/** Pure view helpers, checked in the browser beside the element. */
import { expect } from '@esm-bundle/chai';
import { splitName } from '../../src/element/file-name.ts';
import { describeLimits } from '../../src/element/limits.ts';
import { en } from '../../src/element/strings.ts';

const expectEqual = (actual: unknown, expected: unknown) => expect(actual).to.equal(expected);
const expectDeep = (actual: unknown, expected: unknown) => expect(actual).to.deep.equal(expected);

describe('splitName', () => {
  it('keeps the extension and a few characters before it in the tail; the parts join to the name', () => {
    const name = 'holiday-2024-lisbon-tram-28-sunset-0142.jpeg';
    const [head, tail] = splitName(name);
    expectEqual(tail, 't-0142.jpeg');
    expectEqual(head + tail, name);
  });

  it('leaves short names whole, and names without an extension keep their last characters', () => {
    expectDeep(splitName('a.txt'), ['a.txt', '']);
    const [head, tail] = splitName('README-without-any-extension-at-all');
    expectEqual(head + tail, 'README-without-any-extension-at-all');
    expectEqual(tail, 'at-all');
  });
});

describe('describeLimits', () => {
  it('says what is accepted from accept, max-file-size and max-files', () => {
    expectDeep(describeLimits({ accept: 'image/*,.pdf, video/mp4', maxFileSize: 100_000_000, maxFiles: 10 }, en, 'en'), [
      'Accepts images, PDF, MP4',
      'up to 100 MB each',
      'at most 10 files',
    ]);
  });

  it('without limits: up to the most one upload holds', () => {
    expectDeep(describeLimits({}, en, 'en'), ['up to 5.4 GB each']);
  });
});
