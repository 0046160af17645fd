import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeFilename } from '../../src/engine/filename.ts';

describe('safeFilename', () => {
  it('keeps ordinary names, including spaces, +, non-ASCII and emoji', () => {
    for (const name of ['a.txt', 'my file + ü 😀.txt', 'scene.blend', '日本語.pdf']) assert.equal(safeFilename(name), name);
  });

  it('removes backslashes and traversal, which Mixpeek refuses', () => {
    assert.equal(safeFilename('..\\x.txt'), '___x.txt');
    assert.ok(!safeFilename('../x').includes('../'));
  });

  it('drops control characters, which strict servers refuse for the whole batch', () => {
    assert.equal(safeFilename('tab\there\n.txt\u0000'), 'tabhere.txt');
    assert.equal(safeFilename('\u0001\u0002'), 'file');
  });

  it('shortens names over 255 code points and keeps the extension', () => {
    const long = `${'😀'.repeat(300)}.pdf`;
    const safe = safeFilename(long);
    assert.equal(Array.from(safe).length, 255);
    assert.ok(safe.endsWith('.pdf'));
  });
});
