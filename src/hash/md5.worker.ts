/// <reference lib="webworker" />
/**
 * Hashing worker: MD5 of a Blob with spark-md5, reading one slice at a time so memory stays
 * bounded by the slice size whatever the file size. Bytes are never decoded as text.
 */
import SparkMD5 from 'spark-md5';
import type { HashReply, HashRequest } from './hasher.ts';

const canceled = new Set<number>();
const scope = self as unknown as DedicatedWorkerGlobalScope;
const reply = (message: HashReply) => scope.postMessage(message);

scope.onmessage = async (event: MessageEvent<HashRequest>) => {
  const message = event.data;
  if (message.type === 'cancel') {
    canceled.add(message.id);
    return;
  }
  const { id, blob, sliceSize } = message;
  try {
    const spark = new SparkMD5.ArrayBuffer();
    for (let offset = 0; offset < blob.size; offset += sliceSize) {
      if (canceled.delete(id)) {
        reply({ id, canceled: true });
        return;
      }
      spark.append(await blob.slice(offset, offset + sliceSize).arrayBuffer());
    }
    canceled.delete(id);
    reply({ id, md5: spark.end() });
  } catch (error) {
    const { name, message: text } = error as Error;
    reply({ id, error: `${name || 'Error'}: ${text || 'the file could not be read'}` });
  }
};
