/**
 * Test files on disk. P(n) is n bytes where byte i is i mod 251 (the project's fixture
 * convention). Large files are written to a temporary folder and handed to the page through a
 * file input, so the page gets disk-backed `File`s (browsers here cannot read in-memory Blobs of
 * 512 MiB and more reliably).
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join } from 'node:path';

/** A block of P that ends on a whole period, so it can be written again and again. */
const BLOCK = (() => {
  const block = Buffer.alloc(251 * 16 * 1024); // about 4 MiB
  for (let i = 0; i < block.length; i += 1) block[i] = i % 251;
  return block;
})();

/** Writes P(size) to `path`. */
export async function writePattern(path: string, size: number): Promise<void> {
  const handle = await open(path, 'w');
  try {
    for (let written = 0; written < size; ) {
      const n = Math.min(BLOCK.length, size - written);
      await handle.write(BLOCK, 0, n);
      written += n;
    }
  } finally {
    await handle.close();
  }
}

/** Node's digest of P(size) with `algorithm` (`md5`, `sha256`), lowercase hex. */
function patternDigest(algorithm: string, size: number): string {
  const hash = createHash(algorithm);
  for (let left = size; left > 0; left -= BLOCK.length) hash.update(BLOCK.subarray(0, Math.min(left, BLOCK.length)));
  return hash.digest('hex');
}

/** Node's MD5 of P(size), to check every hash the page reports. */
export const patternMd5 = (size: number): string => patternDigest('md5', size);

/** Node's SHA-256 of P(size) (Mixpeek's `file_hash`), to check the page's. */
export const patternSha256 = (size: number): string => patternDigest('sha256', size);

/** Writes `count` files of P(size) named `prefix-0001.bin`…; returns their paths. */
export async function writePatternFiles(dir: string, prefix: string, count: number, size: number): Promise<string[]> {
  const paths = Array.from({ length: count }, (_, i) => join(dir, `${prefix}-${String(i + 1).padStart(4, '0')}.bin`));
  for (const path of paths) await writePattern(path, size);
  return paths;
}

/**
 * Writes `count` files of `size` bytes whose contents all differ (P(size) with `file NNNNNNNNNN`,
 * the file's number, in its first 15 bytes), named `prefix-0001.bin`…; returns their paths. For the duplicate cases,
 * where equal contents would be duplicates of each other.
 */
export async function writeDistinctFiles(dir: string, prefix: string, count: number, size: number): Promise<string[]> {
  const paths = Array.from({ length: count }, (_, i) => join(dir, `${prefix}-${String(i + 1).padStart(4, '0')}.bin`));
  for (const [i, path] of paths.entries()) {
    await writePattern(path, size);
    const handle = await open(path, 'r+');
    try {
      await handle.write(Buffer.from(`file ${String(i + 1).padStart(10, '0')}`.slice(0, Math.min(16, size))), 0, undefined, 0);
    } finally {
      await handle.close();
    }
  }
  return paths;
}
