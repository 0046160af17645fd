/// <reference lib="webworker" />
/**
 * The worker side of the hashing pool's protocol, for any MD5: a hashing worker calls
 * {@link serveMd5Requests} once with a function that gives a fresh MD5 state per file. The
 * bundled worker (md5.worker.ts) passes spark-md5; a site can pass a faster one (WebAssembly)
 * and hand its worker to `createWorkerHasher({ createWorker })`.
 *
 * A file's bytes arrive either through the request's `port`, from the pool's reading worker
 * (blob-reader.worker.ts), ahead of the hashing and paced by credit, or, without a port, from
 * the worker's own reads of `sliceSize` slices. Reading a disk-backed `File` takes its thread's
 * time (the browser hands the bytes over only when that thread's event loop turns): on the
 * hashing thread it halves spark-md5's throughput, so the pool reads on a thread of its own.
 */
import { EdgeCollector } from './fingerprint.ts';
import type { CreditMessage, HashReply, HashRequest, ReadMessage } from './hasher.ts';

/** One file's MD5 in progress. */
export interface Md5State {
  /** The file's next bytes, in order; at most the pool's `sliceSize` (default 4 MiB) at once. */
  update(bytes: Uint8Array): void;
  /** Lowercase 32-hex MD5 of everything given to `update`. */
  digest(): string;
}

/**
 * An {@link Md5State} that also keeps the file's edges, when the pool asked for them (`edges`),
 * so the reply can carry the `hex` of its journal fingerprint (see fingerprint.ts).
 */
async function start(create: () => Md5State | Promise<Md5State>, size: number, edges: boolean) {
  const state = await create();
  const collector = edges ? new EdgeCollector(size) : undefined;
  return {
    update(bytes: Uint8Array) {
      collector?.add(bytes);
      state.update(bytes);
    },
    /** The reply's result; without `edges` when they could not be digested (no WebCrypto here). */
    async result(): Promise<{ md5: string; edges?: string }> {
      const md5 = state.digest();
      const hex = await collector?.digest().catch(() => undefined);
      return hex === undefined ? { md5 } : { md5, edges: hex };
    },
  };
}

/**
 * Answers the pool's `hash` and `cancel` messages in this worker (it takes over
 * `self.onmessage`; call it once, at the worker's top level); one file at a time. `create` is
 * called once per file; if it or the reading throws, the file is answered
 * `{ id, error: "Name: message" }` and the pool rejects that file's `md5()` with it.
 */
export function serveMd5Requests(create: () => Md5State | Promise<Md5State>): void {
  const scope = self as unknown as DedicatedWorkerGlobalScope;
  const reply = (message: HashReply) => scope.postMessage(message);
  const describe = (error: unknown) => {
    const { name, message } = (error ?? {}) as Error;
    return `${name || 'Error'}: ${message || 'the file could not be read'}`;
  };
  /** Ids canceled while their own reads were under way (the worker reads the file itself). */
  const canceled = new Set<number>();
  /** The file coming in through a port, if any. */
  let piped: { id: number; stop: () => void } | undefined;

  /** Bytes from the reading worker: credit first (it reads on while this thread hashes), then hash. */
  const hashFromPort = async (id: number, size: number, edges: boolean, port: MessagePort, readAhead: number) => {
    const state = await start(create, size, edges);
    if (canceled.delete(id)) {
      port.close();
      return reply({ id, canceled: true });
    }
    let finished = false;
    const finish = (message: HashReply) => {
      if (finished) return;
      finished = true;
      port.onmessage = null;
      port.close();
      piped = undefined;
      reply(message);
    };
    piped = { id, stop: () => finish({ id, canceled: true }) };
    port.onmessage = (event: MessageEvent<ReadMessage>) => {
      const message = event.data;
      try {
        if ('chunk' in message) {
          port.postMessage({ credit: message.chunk.byteLength } satisfies CreditMessage);
          state.update(new Uint8Array(message.chunk));
        } else if ('end' in message) {
          void state.result().then((result) => finish({ id, ...result }));
        } else {
          finish({ id, error: message.error });
        }
      } catch (error) {
        finish({ id, error: describe(error) });
      }
    };
    port.postMessage({ credit: readAhead } satisfies CreditMessage);
  };

  /** No reading worker: read `sliceSize` slices here. */
  const hashBySlices = async (id: number, blob: Blob, edges: boolean, sliceSize: number) => {
    const state = await start(create, blob.size, edges);
    for (let offset = 0; offset < blob.size; offset += sliceSize) {
      if (canceled.delete(id)) return reply({ id, canceled: true });
      state.update(new Uint8Array(await blob.slice(offset, offset + sliceSize).arrayBuffer()));
    }
    const result = await state.result();
    if (canceled.delete(id)) return reply({ id, canceled: true });
    reply({ id, ...result });
  };

  scope.onmessage = (event: MessageEvent<HashRequest>) => {
    const message = event.data;
    if (message.type === 'cancel') {
      if (piped?.id === message.id) piped.stop();
      else canceled.add(message.id);
      return;
    }
    const { id, blob, sliceSize, port, readAhead, edges = false } = message;
    const work = port ? hashFromPort(id, blob.size, edges, port, readAhead ?? 16 * 1024 * 1024) : hashBySlices(id, blob, edges, sliceSize);
    work.catch((error: unknown) => reply({ id, error: describe(error) }));
  };
}
