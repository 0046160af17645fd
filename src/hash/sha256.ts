/**
 * SHA-256 of a file's bytes as they pass by, for Mixpeek's `file_hash` (64 lowercase hex,
 * Mixpeek OpenAPI 0.81, `CreateUploadRequest.file_hash`). A file that fits in one piece is
 * digested with WebCrypto ({@link oneShotSha256}); a bigger one streams through a
 * {@link Sha256State} the hashing worker gives (md5.worker.ts).
 */

/** One file's SHA-256 in progress. */
export interface Sha256State {
  /** The file's next bytes, in order. */
  update(bytes: Uint8Array): void;
  /** Lowercase 64-hex SHA-256 of everything given to `update`. */
  digest(): string | Promise<string>;
  /** Optional: `true` when `update` keeps nothing of `bytes` once it returns (as `Md5State.copiesBytes`). */
  readonly copiesBytes?: boolean;
}

/** Lowercase hex of `bytes`. */
export const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * A {@link Sha256State} that keeps the bytes it is given (the caller bounds them: a file that
 * fits in one piece) and digests them with WebCrypto at the end; `undefined` where WebCrypto is
 * missing (a page that is not a secure context).
 */
export function oneShotSha256(): Sha256State | undefined {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return undefined;
  const pieces: Uint8Array[] = [];
  return {
    update(bytes) {
      pieces.push(bytes);
    },
    async digest() {
      let bytes = pieces[0] ?? new Uint8Array(0);
      if (pieces.length > 1) {
        bytes = new Uint8Array(pieces.reduce((n, piece) => n + piece.byteLength, 0));
        let offset = 0;
        for (const piece of pieces) {
          bytes.set(piece, offset);
          offset += piece.byteLength;
        }
      }
      pieces.length = 0;
      return toHex(new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
    },
  };
}
