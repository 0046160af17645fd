/** Bytes read from each end of a file for its fingerprint. */
const EDGE_BYTES = 64 * 1024;

/**
 * A file's fingerprint, which names it in the upload journal across reloads (a key kept in
 * IndexedDB, so its form must not change): `${relativePath}|${size}|${lastModified}|${hex}`,
 * where `hex` is the first 128 bits, as 32 lowercase hex digits, of the SHA-256 (WebCrypto) of
 * the file's first and last 64 KiB (its "edges"; the whole file up to 128 KiB). Reads at most
 * 128 KiB, whatever the file's size; rejects with the browser's `NotReadableError` when the file
 * can no longer be read. Runs in a window or a worker; the worker hasher runs it on its reading
 * worker, since slicing a disk-backed `File` costs the calling thread time, and derives it from
 * the bytes it hashes when asked for both ({@link EdgeCollector}).
 */
export async function fingerprint(file: File, relativePath: string): Promise<string> {
  const { headEnd, tailStart } = edgeRanges(file.size);
  const tail = tailStart < file.size ? file.slice(tailStart) : new Blob([]);
  const bytes = await new Blob([file.slice(0, headEnd), tail]).arrayBuffer();
  return fingerprintOf(file, relativePath, await edgesDigest(bytes));
}

/** The fingerprint's text from its parts (`hex` from {@link edgesDigest}). */
export function fingerprintOf(file: { size: number; lastModified: number }, relativePath: string, hex: string): string {
  return `${relativePath}|${file.size}|${file.lastModified}|${hex}`;
}

/** The edges of a file of `size` bytes: its bytes `[0, headEnd)` then `[tailStart, size)`. */
function edgeRanges(size: number): { headEnd: number; tailStart: number } {
  return { headEnd: Math.min(EDGE_BYTES, size), tailStart: Math.max(EDGE_BYTES, size - EDGE_BYTES) };
}

/** 32 lowercase hex digits: the first 128 bits of the SHA-256 of `edges`. */
async function edgesDigest(edges: BufferSource): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', edges));
  return Array.from(digest.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Keeps a file's edges while its bytes pass by in order (as they are hashed), so that its
 * fingerprint needs no reading of its own: {@link EdgeCollector.digest} is the `hex` of
 * {@link fingerprint} for the same bytes. Holds at most 128 KiB.
 */
export class EdgeCollector {
  readonly #edges: Uint8Array<ArrayBuffer>;
  readonly #headEnd: number;
  readonly #tailStart: number;
  #offset = 0;

  constructor(size: number) {
    const { headEnd, tailStart } = edgeRanges(size);
    this.#headEnd = headEnd;
    this.#tailStart = tailStart;
    this.#edges = new Uint8Array(headEnd + Math.max(0, size - tailStart));
  }

  /** The file's next bytes. */
  add(bytes: Uint8Array): void {
    const start = this.#offset;
    const end = start + bytes.byteLength;
    this.#offset = end;
    if (start < this.#headEnd) this.#edges.set(bytes.subarray(0, this.#headEnd - start), start);
    if (end > this.#tailStart) {
      const from = Math.max(start, this.#tailStart);
      this.#edges.set(bytes.subarray(from - start), this.#headEnd + from - this.#tailStart);
    }
  }

  /** The `hex` of the fingerprint, once every byte was added. */
  digest(): Promise<string> {
    return edgesDigest(this.#edges);
  }
}
