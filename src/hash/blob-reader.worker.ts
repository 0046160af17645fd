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

/**
 * Frees `buffer`'s memory now (detaching it) rather than at a garbage collection that this
 * worker, which allocates little, may not run for a long time. Where
 * `ArrayBuffer.prototype.transfer` is missing, the collector frees it as before.
 */
const free = (buffer: ArrayBuffer): void => void (buffer as { transfer?: (length: number) => ArrayBuffer }).transfer?.(0);

/** Where a file's bytes come from: its next piece, or `undefined` at its end. */
interface Pieces {
  next(): Promise<ArrayBuffer | undefined>;
  cancel(): Promise<void>;
}

/**
 * The file's bytes in whole pieces of `size` bytes (the last one shorter), each read into a piece
 * the hashing worker handed back once hashed (`spares`), or into a new one while there is none:
 * a file then takes the same few buffers over and over. A stream's own chunks are each a new
 * buffer, freed only by a garbage collection that a hashing worker with little else to allocate
 * runs late: with hash-wasm, up to 265 MiB of them were left in the worker over a 2 GiB file
 * (bench `heap`). Fewer allocations and messages also made hashing a little faster here.
 * `undefined` where the browser's Blob streams cannot read into a given buffer (no BYOB reader).
 */
function intoSpares(blob: Blob, size: number, spares: ArrayBuffer[]): Pieces | undefined {
  let reader: ReadableStreamBYOBReader;
  try {
    reader = blob.stream().getReader({ mode: 'byob' });
  } catch {
    return undefined;
  }
  return {
    async next() {
      let buffer = spares.pop() ?? new ArrayBuffer(size);
      let filled = 0;
      while (filled < size) {
        const { done, value } = await reader.read(new Uint8Array(buffer, filled));
        if (!value) return undefined; // canceled
        buffer = value.buffer as ArrayBuffer; // the same memory (a read transfers it)
        filled += value.byteLength;
        if (done) break;
      }
      if (filled === size) return buffer;
      spares.push(buffer);
      return filled > 0 ? buffer.slice(0, filled) : undefined;
    },
    cancel: () => reader.cancel(),
  };
}

/** The stream's own chunks, cut to at most `size` bytes. */
function streamChunks(blob: Blob, size: number): Pieces {
  const reader = blob.stream().getReader();
  let rest: ArrayBuffer[] = [];
  return {
    async next() {
      // An empty chunk is not the end: read on until bytes come or the stream is done.
      while (rest.length === 0) {
        const { done, value } = await reader.read();
        if (done) return undefined;
        if (value.byteLength === 0) continue;
        const whole = value.byteLength <= size && value.byteOffset === 0 && value.byteLength === value.buffer.byteLength;
        if (whole) return value.buffer as ArrayBuffer;
        for (let offset = 0; offset < value.byteLength; offset += size) rest.push(value.slice(offset, offset + size).buffer);
      }
      const [first, ...others] = rest;
      rest = others;
      return first;
    },
    cancel: () => reader.cancel(),
  };
}

async function read({ id, blob, port, sliceSize }: Extract<ReadRequest, { type: 'read' }>): Promise<void> {
  let credit = 0;
  let stopped = false;
  let wake: (() => void) | undefined;
  let pieces: Pieces | undefined;
  /** Pieces handed back by the hashing worker, to read into again. */
  const spares: ArrayBuffer[] = [];
  let reusing = false;
  const send = (message: ReadMessage, transfer: Transferable[] = []) => port.postMessage(message, transfer);
  jobs.set(id, () => {
    stopped = true;
    wake?.();
    pieces?.cancel().catch(() => undefined);
  });
  port.onmessage = (event: MessageEvent<CreditMessage>) => {
    const { credit: more, spare } = event.data;
    credit += more;
    if (spare) {
      if (reusing && spare.byteLength === sliceSize) spares.push(spare);
      else free(spare);
    }
    wake?.();
  };
  try {
    for (;;) {
      while (credit <= 0 && !stopped) await new Promise<void>((resolve) => (wake = resolve));
      if (stopped) return;
      // Opened on the first credit: a hashing worker that reads the file itself never grants any.
      if (!pieces) {
        pieces = intoSpares(blob, sliceSize, spares);
        reusing = pieces !== undefined;
        pieces ??= streamChunks(blob, sliceSize);
      }
      const chunk = await pieces.next();
      if (stopped) return;
      if (!chunk) return send({ end: true });
      credit -= chunk.byteLength;
      send({ chunk }, [chunk]);
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
    for (const spare of spares.splice(0)) free(spare);
  }
}

scope.onmessage = (event: MessageEvent<ReadRequest>) => {
  const message = event.data;
  if (message.type === 'cancel') jobs.get(message.id)?.();
  else if (message.type === 'fingerprint') void answerFingerprint(message);
  else void read(message);
};
