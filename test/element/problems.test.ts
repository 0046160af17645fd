/** Pure view helpers, checked in the browser beside the element. */
import { expect } from '@esm-bundle/chai';
import { MixpeekUploaderError } from '../../src/errors.ts';
import { fileReasonOf, setupProblemOf, storageCodeOf } from '../../src/element/problems.ts';

const expectEqual = (actual: unknown, expected: unknown) => expect(actual).to.equal(expected);

describe('setupProblemOf', () => {
  it('names setup problems from code, status and cause', () => {
    const unreachable = new MixpeekUploaderError('network-error', 'http://127.0.0.1:9 did not answer (Failed to fetch).');
    expectEqual(setupProblemOf({ code: 'create-failed', message: unreachable.message, cause: unreachable }), 'api-unreachable');
    expectEqual(setupProblemOf({ code: 'create-failed', message: 'Invalid API key', status: 401 }), 'unauthorized');
    expectEqual(setupProblemOf({ code: 'confirm-failed', message: 'Forbidden', status: 403 }), 'unauthorized');
    expectEqual(setupProblemOf({ code: 'create-failed', message: "Bucket 'x' not found in namespace 'ns'", status: 404 }), 'not-found');
    expectEqual(setupProblemOf({ code: 'create-failed', message: 'Missing X-Namespace header', status: 400 }), 'not-found');
    expectEqual(
      setupProblemOf({ code: 'upload-failed', message: 'http://s3 did not answer the PUT (…): the storage bucket’s CORS must allow PUT' }),
      'storage-cors',
    );
    expectEqual(setupProblemOf({ code: 'invalid-options', message: 'batch-size must be 1..100' }), 'invalid-options');
  });

  it('leaves one file’s own problems to its row', () => {
    expectEqual(setupProblemOf({ code: 'processing-failed', message: 'ETag mismatch' }), undefined);
    expectEqual(setupProblemOf({ code: 'create-failed', message: 'file_size_bytes must be ≥ 1', status: 422 }), undefined);
    expectEqual(setupProblemOf({ code: 'upload-failed', message: 'Storage answered 403 SignatureDoesNotMatch' }), undefined);
    // A 404 for an upload (gone, expired) is that file's, not the bucket's.
    expectEqual(setupProblemOf({ code: 'confirm-failed', message: "Upload 'upl_1' not found", status: 404 }), undefined);
  });
});

describe('fileReasonOf', () => {
  it('says what Mixpeek refused in plain words, else names the error code to explain', () => {
    expectEqual(
      fileReasonOf({ code: 'processing-failed', message: 'ETag mismatch: confirmation has ca4d…, stored object has d92e…' }),
      'content-mismatch',
    );
    expectEqual(fileReasonOf({ code: 'processing-failed', message: 'Size mismatch: 10 vs 11' }), 'size-mismatch');
    expectEqual(fileReasonOf({ code: 'processing-failed', message: 'Internal' }), 'processing-failed');
    expectEqual(fileReasonOf({ code: 'hash-failed', message: 'NotReadableError' }), 'hash-failed');
    expectEqual(fileReasonOf({ code: 'upload-failed', message: '"a" could not be read: it changed on disk' }), 'hash-failed');
    expectEqual(fileReasonOf({ code: 'upload-failed', message: 'SignatureDoesNotMatch' }), 'upload-failed');
  });

  it('finds a storage error code in a message', () => {
    expectEqual(storageCodeOf('Storage answered 403 SignatureDoesNotMatch: The request signature…'), 'SignatureDoesNotMatch');
    expectEqual(storageCodeOf('no code here'), undefined);
  });
});
