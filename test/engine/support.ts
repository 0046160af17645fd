/** Engine state for unit tests: a context with no journal and files in chosen statuses. */
import { EngineContext } from '../../src/engine/context.ts';
import { type Entry, newEntry, newFileId } from '../../src/engine/entry.ts';
import { type UploaderOptions, defaultOptions } from '../../src/engine/options.ts';
import { createUploader, type Uploader } from '../../src/engine/uploader.ts';
import type { FileStatus } from '../../src/engine/status.ts';

export function context(over: Partial<UploaderOptions> = {}): EngineContext {
  return new EngineContext({ ...defaultOptions, bucket: 'b', journal: false, ...over }, new EventTarget());
}

/** A file of `size` bytes in the table, in `status`. */
export function entry(ctx: EngineContext, size = 1000, status: FileStatus = 'queued'): Entry {
  const e = newEntry({
    fileId: newFileId(),
    name: `${size}.bin`,
    relativePath: `${size}-${Math.random()}.bin`,
    size,
    lastModified: 0,
    contentType: 'application/octet-stream',
    status,
    bytesUploaded: 0,
  });
  ctx.table.add(e);
  return e;
}

/** The lowercase hex MD5 of a blob's bytes, by Node's crypto (a `Hasher.md5` for Node tests). */
export async function nodeMd5(blob: Blob): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('md5')
    .update(Buffer.from(await blob.arrayBuffer()))
    .digest('hex');
}

/** A transfer whose PUTs succeed at once, after `delayMs` (no storage in Node tests). */
export function instantTransfer(delayMs = 0): NonNullable<UploaderOptions['createTransfer']> {
  return () => ({
    put: async (job, onProgress) => {
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      onProgress(job.file.size, job.file.size);
    },
    dispose() {},
  });
}

/** The API URL the Node tests' fake fetches answer for. */
export const TEST_API_URL = 'http://api.test';

/**
 * An uploader for Node tests: bucket `b` at {@link TEST_API_URL}, no journal, task polls 1 ms
 * apart, Node's MD5, PUTs answered at once; `over` replaces any of these (give `fetch`).
 */
export function nodeUploader(over: Partial<UploaderOptions>): Uploader {
  return createUploader({
    apiUrl: TEST_API_URL,
    bucket: 'b',
    journal: false,
    taskPollInterval: 1,
    hasher: { md5: nodeMd5 },
    createTransfer: instantTransfer(),
    ...over,
  });
}
