/// <reference lib="webworker" />
/**
 * The worker side of the hashing pool's protocol, for any MD5: a hashing worker calls
 * {@link serveMd5Requests} once with a function that gives a fresh MD5 state per file, and
 * optionally one that gives a SHA-256 state (files asked for with `sha256`). The bundled worker
 * (md5.worker.ts) passes hash-wasm's WebAssembly where the page allows it, spark-md5 and
 * @noble/hashes where it does not; a site can pass its own and hand its worker to
 * `createWorkerHasher({ createWorker })`.
 *
 * A file's bytes arrive either through the request's `port`, from the pool's reading worker
 * (blob-reader.worker.ts), ahead of the hashing and paced by credit, or, without a port, from
 * the worker's own reads of `sliceSize` slices. Reading a disk-backed `File` takes its thread's
 * time (the browser hands the bytes over only when that thread's event loop turns): on the
 * hashing thread it halves spark-md5's throughput, so the pool reads on a thread of its own.
 */
import { EdgeCollector } from './fingerprint.ts';
import type { CreditMessage, HashReply, HashRequest, ReadMessage } from './hasher.ts';
import { oneShotSha256, type Sha256State } from './sha256.ts';

export type { Sha256State } from './sha256.ts';

/** One file's MD5 in progress. */
export interface Md5State {
  /** The file's next bytes, in order; at most the pool's `sliceSize` (default 4 MiB) at once. */
  update(bytes: Uint8Array): void;
  /** Lowercase 32-hex MD5 of everything given to `update`. */
  digest(): string;
  /**
   * Optional: names the code that computes it (the bundled worker says `"hash-wasm"` or
   * `"spark-md5"`); passed on as `HashResult.implementation`.
   */
  readonly implementation?: string;
  /**
   * Optional: `true` when `update` keeps nothing of `bytes` once it returns (it hashes or copies
   * them at once, as the bundled worker's states do). The worker then hands each piece back to
   * the pool's reading worker, to read the next bytes into; otherwise every piece is a new
   * buffer, left to the garbage collector, which a worker that allocates little (a WebAssembly
   * MD5) may not run before hundreds of MiB of them pile up.
   */
  readonly copiesBytes?: boolean;
}

/** What the pool asks of a file's states (`createWorkerHasher({ wasm })`). */
export interface DigestOptions {
  /** `false`: do not try WebAssembly (the pool's `wasm: false`); default `true`. */
  wasm: boolean;
}

/** Options of {@link serveMd5Requests}. */
export interface ServeOptions {
  /**
   * Gives a fresh streaming SHA-256 state, for files the pool asks for with `sha256` that do
   * not fit in one piece (smaller ones are digested with WebCrypto where it exists). Without
   * it, replies carry no `sha256` and the pool's `hash()` resolves `sha256: undefined`.
   */
  createSha256?: (options: DigestOptions) => Sha256State | Promise<Sha256State>;
}

/** What a request asks for, and of what size its file is. */
type Wanted = Parameters<typeof start>[2];

type Create<T> = (options: DigestOptions) => T | Promise<T>;

/**
 * An {@link Md5State} that also keeps the file's edges, when the pool asked for them (`edges`),
 * so the reply can carry the `hex` of its journal fingerprint (see fingerprint.ts), and the
 * SHA-256 of the same bytes when asked (`sha256`).
 */
async function start(
  create: Create<Md5State>,
  createSha256: Create<Sha256State> | undefined,
  request: { size: number; edges: boolean; sha256: boolean; wasm: boolean; onePiece: number },
) {
  const options: DigestOptions = { wasm: request.wasm };
  const state = await create(options);
  const collector = request.edges ? new EdgeCollector(request.size) : undefined;
  // A file that fits in one piece: WebCrypto, on bytes held anyway; bigger ones stream.
  const sha =
    request.sha256 && createSha256
      ? ((request.size <= request.onePiece ? oneShotSha256() : undefined) ?? (await createSha256(options)))
      : undefined;
  return {
    /**
     * `true` when nothing keeps a piece once `update` returned, so that it may be read into
     * again: the states say they copy (the edge collector does), and WebCrypto's one-shot
     * SHA-256, which keeps the pieces to the end, is not in use.
     */
    reusable: state.copiesBytes === true && (sha === undefined || sha.copiesBytes === true),
    update(bytes: Uint8Array) {
      collector?.add(bytes);
      state.update(bytes);
      sha?.update(bytes);
    },
    /** The reply's result; without `edges` when they could not be digested (no WebCrypto here). */
    async result(): Promise<{ md5: string; edges?: string; sha256?: string; implementation?: string }> {
      const md5 = state.digest();
      const sha256 = await sha?.digest();
      const hex = await collector?.digest().catch(() => undefined);
      return {
        md5,
        ...(hex === undefined ? {} : { edges: hex }),
        ...(sha256 === undefined ? {} : { sha256 }),
        ...(state.implementation === undefined ? {} : { implementation: state.implementation }),
      };
    },
  };
}

/**
 * Answers the pool's `hash` and `cancel` messages in this worker (it takes over
 * `self.onmessage`; call it once, at the worker's top level); one file at a time. `create` is
 * called once per file (and `options.createSha256` once per file asked for with `sha256` that
 * does not fit in one piece); if either or the reading throws, the file is answered
 * `{ id, error: "Name: message" }` and the pool rejects that file's `md5()` with it.
 */
export function serveMd5Requests(create: Create<Md5State>, { createSha256 }: ServeOptions = {}): void {
  const scope = self as unknown as DedicatedWorkerGlobalScope;
  const reply = (message: HashReply) => scope.postMessage(message);
  const describe = (error: unknown) => {
    const { name, message } = (error ?? {}) as Error;
    return `${name || 'Error'}: ${message || 'the file could not be read'}`;
  };
  /** Ids canceled while their own reads were under way (the worker reads the file itself). */
  const canceled = new Set<number>();
  /** The file coming in through a port, if any; `more` grants what a raised allowance allows. */
  let piped: { id: number; stop: () => void; more: () => void } | undefined;
  /** How far each job's file may be hashed for now (bytes from its start): its request's `allowed`, raised by `allow`. */
  const allowances = new Map<number, number>();

  /**
   * Bytes from the reading worker, at most `readAhead` ahead of the hashing and no further than
   * the job's allowance: credit is granted up to both. Each piece is credited back once hashed,
   * with the piece itself to read into again when nothing keeps it, or else as it arrives (the
   * piece is then left to the garbage collector).
   */
  const hashFromPort = async (id: number, what: Wanted, port: MessagePort, readAhead: number) => {
    const state = await start(create, createSha256, what);
    if (canceled.delete(id)) {
      allowances.delete(id);
      port.close();
      return reply({ id, canceled: true });
    }
    let finished = false;
    const finish = (message: HashReply) => {
      if (finished) return;
      finished = true;
      allowances.delete(id);
      port.onmessage = null;
      port.close();
      piped = undefined;
      reply(message);
    };
    /** Bytes credited to the reader so far, and bytes taken back (hashed, or about to be). */
    let granted = 0;
    let taken = 0;
    const grant = (spare?: ArrayBuffer) => {
      // Allowed the whole file: credit past its end too, or the reader could not tell the end.
      const allowed = allowances.get(id) ?? Infinity;
      const more = Math.max(0, Math.min(taken + readAhead, allowed >= what.size ? Infinity : allowed) - granted);
      granted += more;
      if (spare) port.postMessage({ credit: more, spare } satisfies CreditMessage, [spare]);
      else if (more > 0) port.postMessage({ credit: more } satisfies CreditMessage);
    };
    piped = { id, stop: () => finish({ id, canceled: true }), more: () => grant() };
    port.onmessage = (event: MessageEvent<ReadMessage>) => {
      const message = event.data;
      try {
        if ('chunk' in message) {
          const { chunk } = message;
          taken += chunk.byteLength;
          if (!state.reusable) grant();
          state.update(new Uint8Array(chunk));
          // Handed back, hashed, for the reader to read the next bytes into (blob-reader.worker.ts).
          if (state.reusable) grant(chunk);
        } else if ('end' in message) {
          state.result().then(
            (result) => finish({ id, ...result }),
            (error: unknown) => finish({ id, error: describe(error) }),
          );
        } else {
          finish({ id, error: message.error });
        }
      } catch (error) {
        finish({ id, error: describe(error) });
      }
    };
    grant();
  };

  /** No reading worker: read `sliceSize` slices here. */
  const hashBySlices = async (id: number, blob: Blob, what: Wanted, sliceSize: number) => {
    const state = await start(create, createSha256, what);
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
    if (message.type === 'allow') {
      if (!allowances.has(message.id)) return; // ended already
      if (message.bytes > (allowances.get(message.id) ?? 0)) allowances.set(message.id, message.bytes);
      if (piped?.id === message.id) piped.more();
      return;
    }
    const { id, blob, sliceSize, port, readAhead, allowed = Infinity, edges = false, sha256 = false, wasm = true } = message;
    if (port) allowances.set(id, allowed);
    const what: Wanted = { size: blob.size, edges, sha256, wasm, onePiece: sliceSize };
    const work = port ? hashFromPort(id, what, port, readAhead ?? 16 * 1024 * 1024) : hashBySlices(id, blob, what, sliceSize);
    work.catch((error: unknown) => {
      allowances.delete(id);
      reply({ id, error: describe(error) });
    });
  };
}
