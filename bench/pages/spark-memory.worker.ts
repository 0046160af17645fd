/// <reference lib="webworker" />
/**
 * Baseline of the hashing figures: spark-md5 (the version the element bundles) over bytes that
 * are already in memory, timed inside the worker, so reading, slicing and messaging cost
 * nothing here.
 */
import SparkMD5 from 'spark-md5';

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (event: MessageEvent<{ buffer: ArrayBuffer }>) => {
  const started = performance.now();
  const md5 = SparkMD5.ArrayBuffer.hash(event.data.buffer);
  scope.postMessage({ md5, ms: performance.now() - started });
};
