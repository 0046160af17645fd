/** Bytes read from each end of a file for its fingerprint. */
const EDGE_BYTES = 64 * 1024;

/**
 * A file's fingerprint, which names it in the upload journal across reloads (a key kept in
 * IndexedDB, so its form must not change): `${relativePath}|${size}|${lastModified}|${hex}`,
 * where `hex` is the first 128 bits, as 32 lowercase hex digits, of the SHA-256 (WebCrypto) of
 * the file's first and last 64 KiB. Reads at most 128 KiB, whatever the file's size; rejects
 * with the browser's `NotReadableError` when the file can no longer be read. Runs in a window or a worker; the worker hasher runs
 * it on its reading worker, since slicing a disk-backed `File` costs the calling thread time.
 */
export async function fingerprint(file: File, relativePath: string): Promise<string> {
  const head = file.slice(0, EDGE_BYTES);
  const tail = file.size > EDGE_BYTES ? file.slice(Math.max(EDGE_BYTES, file.size - EDGE_BYTES)) : new Blob([]);
  const bytes = await new Blob([head, tail]).arrayBuffer();
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  const hex = Array.from(digest.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${relativePath}|${file.size}|${file.lastModified}|${hex}`;
}
