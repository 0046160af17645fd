/**
 * The content type each upload declares, from Uppy's extension table (`@uppy/core/utils`, a
 * few hundred bytes). Apart from this table, only uppy-transfer.ts imports `@uppy/*`; this
 * file is separate so the element can name types at `addFiles` without loading Uppy itself.
 */
import { getFileType } from '@uppy/core/utils';

/**
 * The content type to declare for a file: the browser's type, else one guessed from the
 * extension (Uppy's table), else `application/octet-stream`. Never empty: Mixpeek requires a
 * MIME type and signs the PUT for it.
 */
export function contentTypeFor(file: { name: string; type: string }): string {
  // A browser type that is no MIME type (`foo`) would make Mixpeek refuse the whole batch.
  const type = MIME_TYPE.test(file.type) ? file.type : '';
  return getFileType({ name: file.name, type }) || 'application/octet-stream';
}

/** `type/subtype` with optional parameters (RFC 6838 names). */
const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(\s*;.*)?$/i;
