/// <reference lib="webworker" />
/**
 * A site's own hashing worker whose MD5 keeps every piece it is given until `digest`, and does
 * not say `copiesBytes`: the pool must leave its pieces alone (reader.test.ts).
 */
import SparkMD5 from 'spark-md5';
import { serveMd5Requests } from '../../src/hash/md5-worker-runtime.ts';

serveMd5Requests(() => {
  const pieces: Uint8Array[] = [];
  return {
    update: (bytes) => void pieces.push(bytes),
    digest() {
      const spark = new SparkMD5.ArrayBuffer();
      for (const piece of pieces) spark.append(piece.slice().buffer);
      return spark.end();
    },
  };
});
