/** Errors about a file's own bytes: unreadable, or changed on disk since it was selected. */
import { MixpeekUploaderError, type UploaderErrorCode, messageOf } from '../errors.ts';

/** What reading the file's first byte throws (e.g. `NotReadableError` once it changed on disk), if anything. */
export async function readFailure(file: Blob): Promise<unknown> {
  try {
    await file.slice(0, 1).arrayBuffer();
    return undefined;
  } catch (error) {
    return error ?? new Error('the file could not be read');
  }
}

/** The error for a file that cannot be read (as browsers report a file changed since selection). */
export function unreadable(name: string, error: unknown, code: UploaderErrorCode = 'upload-failed'): MixpeekUploaderError {
  const reason = messageOf(error);
  const changed = /NotReadable|changed/i.test(`${(error as Error | undefined)?.name} ${reason}`)
    ? ' It changed since it was selected, or can no longer be read; select it again.'
    : '';
  return new MixpeekUploaderError(code, `"${name}" was not uploaded: ${reason.replace(/\.+$/, '')}.${changed}`, { cause: error });
}
