import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_SINGLE_PUT_BYTES, checkFile, duplicateKey, matchesAccept, type Candidate } from '../../src/engine/file-rules.ts';

const candidate = (over: Partial<Candidate> = {}): Candidate => ({
  name: 'a.pdf',
  size: 10,
  contentType: 'application/pdf',
  relativePath: 'a.pdf',
  lastModified: 1,
  ...over,
});

describe('checkFile', () => {
  it('accepts an ordinary file', () => {
    assert.equal(checkFile(candidate(), {}, 0, new Set()), null);
  });

  it('refuses a 0-byte file as empty-file (Mixpeek needs file_size_bytes ≥ 1)', () => {
    const r = checkFile(candidate({ size: 0 }), {}, 0, new Set());
    assert.equal(r?.code, 'empty-file');
    assert.match(r!.message, /empty/);
  });

  it('allows exactly 5 GiB and refuses one byte more, naming the single-upload limit', () => {
    assert.equal(MAX_SINGLE_PUT_BYTES, 5_368_709_120);
    assert.equal(checkFile(candidate({ size: 5_368_709_120 }), {}, 0, new Set()), null);
    const r = checkFile(candidate({ size: 5_368_709_121 }), {}, 0, new Set());
    assert.equal(r?.code, 'too-large');
    assert.match(r!.message, /5 GiB/);
    assert.match(r!.message, /5368709121 bytes/);
  });

  it('applies max-file-size below that', () => {
    const r = checkFile(candidate({ size: 101 }), { maxFileSize: 100 }, 0, new Set());
    assert.equal(r?.code, 'too-large');
    assert.match(r!.message, /\(101 bytes\).*\(100 bytes\)/);
    assert.equal(checkFile(candidate({ size: 100 }), { maxFileSize: 100 }, 0, new Set()), null);
  });

  it('refuses a type outside accept', () => {
    assert.equal(checkFile(candidate(), { accept: 'image/*' }, 0, new Set())?.code, 'type-not-accepted');
  });

  it('refuses files past max-files', () => {
    assert.equal(checkFile(candidate(), { maxFiles: 2 }, 1, new Set()), null);
    assert.equal(checkFile(candidate(), { maxFiles: 2 }, 2, new Set())?.code, 'too-many-files');
  });

  it('refuses a true duplicate but not a same-named file in another folder', () => {
    const seen = new Set([duplicateKey(candidate({ relativePath: 'a/report.pdf' }))]);
    assert.equal(checkFile(candidate({ relativePath: 'a/report.pdf' }), {}, 1, seen)?.code, 'duplicate');
    assert.equal(checkFile(candidate({ relativePath: 'b/report.pdf' }), {}, 1, seen), null);
  });
});

describe('matchesAccept', () => {
  it('matches extensions, wildcards and exact types, case-insensitively', () => {
    assert.ok(matchesAccept('.PDF', 'x.pdf', 'application/pdf'));
    assert.ok(matchesAccept('image/*, .pdf', 'photo.JPG', 'image/jpeg'));
    assert.ok(matchesAccept('video/mp4', 'v.mp4', 'video/mp4'));
    assert.ok(!matchesAccept('video/mp4', 'v.webm', 'video/webm'));
    assert.ok(matchesAccept('', 'anything', 'application/octet-stream'));
    assert.ok(matchesAccept(undefined, 'anything', 'application/octet-stream'));
  });
});
