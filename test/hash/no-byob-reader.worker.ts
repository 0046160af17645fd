/// <reference lib="webworker" />
/**
 * The pool's reading worker where Blob streams have no BYOB reader (reader.test.ts): it sends
 * the stream's own chunks. (The reader asks for a stream reader only once a file comes in.)
 */
import '../../src/hash/blob-reader.worker.ts';

const getReader = ReadableStream.prototype.getReader as (this: ReadableStream, options?: { mode?: string }) => unknown;
ReadableStream.prototype.getReader = function (this: ReadableStream, options?: { mode?: string }) {
  if (options?.mode === 'byob') throw new TypeError('no BYOB reader here');
  return getReader.call(this, options);
} as typeof ReadableStream.prototype.getReader;
