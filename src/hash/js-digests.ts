/**
 * MD5 and SHA-256 states in plain JavaScript, for pages that refuse WebAssembly: spark-md5 and
 * @noble/hashes (audited, streaming, no WebAssembly, no eval).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import SparkMD5 from 'spark-md5';
import type { Md5State } from './md5-worker-runtime.ts';
import { type Sha256State, toHex } from './sha256.ts';

/**
 * spark-md5 copies each piece it is given into a new buffer (with the previous piece's tail)
 * before hashing it. Pieces of 256 KiB keep that copy small and its memory reused; whole 4 MiB
 * slices cost a fresh allocation each, which measured 10–15 % of the throughput here.
 */
const PIECE = 256 * 1024;

/** A fresh spark-md5 state. */
export function sparkMd5(): Md5State {
  const spark = new SparkMD5.ArrayBuffer();
  return {
    update(bytes) {
      for (let offset = 0; offset < bytes.byteLength; offset += PIECE) {
        // A view is enough: spark-md5 only reads `byteLength` and copies it with `new Uint8Array(…)`.
        spark.append(bytes.subarray(offset, offset + PIECE) as unknown as ArrayBuffer);
      }
    },
    digest: () => spark.end(),
    implementation: 'spark-md5',
    copiesBytes: true,
  };
}

/** A fresh streaming SHA-256 state (@noble/hashes). */
export function nobleSha256(): Sha256State {
  const hash = sha256.create();
  return {
    update: (bytes) => void hash.update(bytes), // hashes whole blocks at once, copies the rest
    digest: () => toHex(hash.digest()),
    copiesBytes: true,
  };
}
