/** Engine state for unit tests: a context with no journal and files in chosen statuses. */
import { EngineContext } from '../../src/engine/context.ts';
import { type Entry, newEntry, newFileId } from '../../src/engine/entry.ts';
import { type UploaderOptions, defaultOptions } from '../../src/engine/options.ts';
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
