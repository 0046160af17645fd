/// <reference lib="webworker" />
/**
 * For the record beside the hashing figures: reads a `File` the way the pool's reading worker
 * does (its stream, to the end) and hashes nothing, so the driver can see what reading alone
 * costs the machine.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = async (event: MessageEvent<{ blob: Blob }>) => {
  const started = performance.now();
  const reader = event.data.blob.stream().getReader();
  let bytes = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) bytes += read.value.byteLength;
  scope.postMessage({ bytes, ms: performance.now() - started });
};
