/// <reference lib="webworker" />
/**
 * Reading worker of the hashing pool: streams each file's bytes to the hashing worker named by
 * the request's port, at most the credit that worker grants ahead of its hashing (so memory
 * stays bounded), in pieces of at most `sliceSize`. One reader serves the whole pool: reading
 * costs little CPU but its thread must be free to take the bytes as the browser hands them over,
 * which a thread busy hashing is not (see md5-worker-runtime.ts).
 */
import { fingerprint } from './fingerprint.ts';
import type { CreditMessage, FingerprintReply, ReadMessage, ReadRequest } from './hasher.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const jobs = new Map<number, () => void>();

/** Answers a `fingerprint` request (the journal's name for a file; reads at most 128 KiB). */
async function answerFingerprint({ id, file, relativePath }: Extract<ReadRequest, { type: 'fingerprint' }>): Promise<void> {
  let reply: FingerprintReply;
  try {
    reply = { id, fingerprint: await fingerprint(file, relativePath) };
  } catch (error) {
    reply = { id, error: String(error) };
  }
  scope.postMessage(reply);
}

async function read({ id, blob, port, sliceSize }: Extract<ReadRequest, { type: 'read' }>): Promise<void> {
  let credit = 0;
  let stopped = false;
  let wake: (() => void) | undefined;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  const send = (message: ReadMessage, transfer: Transferable[] = []) => port.postMessage(message, transfer);
  jobs.set(id, () => {
    stopped = true;
    wake?.();
    reader?.cancel().catch(() => undefined);
  });
  port.onmessage = (event: MessageEvent<CreditMessage>) => {
    credit += event.data.credit;
    wake?.();
  };
  try {
    for (;;) {
      while (credit <= 0 && !stopped) await new Promise<void>((resolve) => (wake = resolve));
      if (stopped) return;
      // Opened on the first credit: a hashing worker that reads the file itself never grants any.
      reader ??= blob.stream().getReader();
      const { done, value } = await reader.read();
      if (stopped) return;
      if (done) return send({ end: true });
      for (let offset = 0; offset < value.byteLength; offset += sliceSize) {
        const whole =
          offset === 0 && value.byteLength <= sliceSize && value.byteOffset === 0 && value.byteLength === value.buffer.byteLength;
        const chunk = whole ? (value.buffer as ArrayBuffer) : value.slice(offset, offset + sliceSize).buffer;
        credit -= chunk.byteLength;
        send({ chunk }, [chunk]);
      }
    }
  } catch (error) {
    const { name, message } = (error ?? {}) as Error;
    // Chromium fails a stream over a file that changed on disk with "TypeError: network error";
    // said as what it is, the way a slice read (`NotReadableError`) says it.
    const reason =
      name === 'TypeError'
        ? 'NotReadableError: the file could not be read'
        : `${name || 'Error'}: ${message || 'the file could not be read'}`;
    if (!stopped) send({ error: reason });
  } finally {
    jobs.delete(id);
    port.onmessage = null;
    port.close();
  }
}

scope.onmessage = (event: MessageEvent<ReadRequest>) => {
  const message = event.data;
  if (message.type === 'cancel') jobs.get(message.id)?.();
  else if (message.type === 'fingerprint') void answerFingerprint(message);
  else void read(message);
};
