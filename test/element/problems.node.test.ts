import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MixpeekUploaderError } from '../../src/errors.ts';
import { fileReasonOf, setupProblemOf, storageCodeOf } from '../../src/element/problems.ts';

describe('setupProblemOf', () => {
  it('names setup problems from code, status and cause', () => {
    const unreachable = new MixpeekUploaderError('network-error', 'http://127.0.0.1:9 did not answer (Failed to fetch).');
    assert.equal(setupProblemOf({ code: 'create-failed', message: unreachable.message, cause: unreachable }), 'api-unreachable');
    assert.equal(setupProblemOf({ code: 'create-failed', message: 'Invalid API key', status: 401 }), 'unauthorized');
    assert.equal(setupProblemOf({ code: 'confirm-failed', message: 'Forbidden', status: 403 }), 'unauthorized');
    assert.equal(setupProblemOf({ code: 'create-failed', message: "Bucket 'x' not found in namespace 'ns'", status: 404 }), 'not-found');
    assert.equal(setupProblemOf({ code: 'create-failed', message: 'Missing X-Namespace header', status: 400 }), 'not-found');
    assert.equal(
      setupProblemOf({ code: 'upload-failed', message: 'http://s3 did not answer the PUT (…): the storage bucket’s CORS must allow PUT' }),
      'storage-cors',
    );
    assert.equal(setupProblemOf({ code: 'invalid-options', message: 'batch-size must be 1..100' }), 'invalid-options');
  });

  it('leaves one file’s own problems to its row', () => {
    assert.equal(setupProblemOf({ code: 'processing-failed', message: 'ETag mismatch' }), undefined);
    assert.equal(setupProblemOf({ code: 'create-failed', message: 'file_size_bytes must be ≥ 1', status: 422 }), undefined);
    assert.equal(setupProblemOf({ code: 'upload-failed', message: 'Storage answered 403 SignatureDoesNotMatch' }), undefined);
    // A 404 for an upload (gone, expired) is that file's, not the bucket's.
    assert.equal(setupProblemOf({ code: 'confirm-failed', message: "Upload 'upl_1' not found", status: 404 }), undefined);
  });
});

describe('fileReasonOf', () => {
  it('says what Mixpeek refused in plain words', () => {
    assert.equal(
      fileReasonOf({ code: 'processing-failed', message: 'ETag mismatch: confirmation has ca4d…, stored object has d92e…' }),
      'content-mismatch',
    );
    assert.equal(fileReasonOf({ code: 'processing-failed', message: 'Size mismatch: 10 vs 11' }), 'size-mismatch');
    assert.equal(fileReasonOf({ code: 'processing-failed', message: 'Upload expired' }), 'expired');
    assert.equal(fileReasonOf({ code: 'processing-failed', message: 'Unsupported media type' }), 'unsupported');
    assert.equal(fileReasonOf({ code: 'processing-failed', message: 'Internal' }), 'not-processed');
    assert.equal(fileReasonOf({ code: 'hash-failed', message: 'NotReadableError' }), 'unreadable');
    assert.equal(fileReasonOf({ code: 'upload-failed', message: '"a" could not be read: it changed on disk' }), 'unreadable');
    assert.equal(fileReasonOf({ code: 'upload-failed', message: 'SignatureDoesNotMatch' }), 'storage-refused');
  });

  it('finds a storage error code in a message', () => {
    assert.equal(storageCodeOf('Storage answered 403 SignatureDoesNotMatch: The request signature…'), 'SignatureDoesNotMatch');
    assert.equal(storageCodeOf('no code here'), undefined);
  });
});
