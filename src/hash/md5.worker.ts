/// <reference lib="webworker" />
/**
 * Hashing worker: MD5 with spark-md5, one piece at a time, so memory stays bounded whatever the
 * file size. Bytes are never decoded as text. The protocol is in md5-worker-runtime.ts.
 */
import SparkMD5 from 'spark-md5';
import { serveMd5Requests } from './md5-worker-runtime.ts';

/**
 * spark-md5 copies each piece it is given into a new buffer (with the previous piece's tail)
 * before hashing it. Pieces of 256 KiB keep that copy small and its memory reused; whole 4 MiB
 * slices cost a fresh allocation each, which measured 10–15 % of the throughput here.
 */
const PIECE = 256 * 1024;

serveMd5Requests(() => {
  const spark = new SparkMD5.ArrayBuffer();
  return {
    update(bytes) {
      for (let offset = 0; offset < bytes.byteLength; offset += PIECE) {
        // A view is enough: spark-md5 only reads `byteLength` and copies it with `new Uint8Array(…)`.
        spark.append(bytes.subarray(offset, offset + PIECE) as unknown as ArrayBuffer);
      }
    },
    digest: () => spark.end(),
  };
});
