import { fingerprint, fingerprintOf } from './fingerprint.ts';
import { createMd5Worker, createReaderWorker } from './md5-worker-factory.ts';

/**
 * MD5 of a `Blob`, computed off the main thread.
 *
 * Mixpeek's confirm compares the `etag` it is sent with the stored object's ETag, which for a
 * single S3 PUT is the MD5 of the bytes (S3 "Checking object integrity"). Browsers cannot
 * always read the storage `ETag` header (the bucket's CORS must expose it), so the engine
 * computes the MD5 itself while the bytes are in flight, and only needs it at confirm time.
 */

/**
 * Computes MD5s (and, when asked, SHA-256s). The default is {@link createWorkerHasher}; swap it
 * through the engine's `hasher` option.
 */
export interface Hasher {
  /**
   * Resolves with the lowercase 32-hex MD5 of `blob`'s bytes. Rejects with an `AbortError`
   * when `signal` aborts, and with an `Error` naming the reason when the bytes cannot be read.
   */
  md5(blob: Blob, options?: { signal?: AbortSignal | undefined }): Promise<string>;
  /**
   * The file's journal fingerprint, computed off the calling thread when the hasher can;
   * optional (the engine computes it itself otherwise). Must resolve to exactly what
   * `fingerprint()` in fingerprint.ts returns, or files are not recognised after a reload.
   */
  fingerprint?(file: File, relativePath: string): Promise<string>;
  /**
   * Optional: the MD5 and the fingerprint of one reading of `file` (the fingerprint of exactly
   * the bytes hashed; `undefined` when it could not be computed), and with `sha256: true` its
   * SHA-256 from the same reading. The engine uses it when present: a file's fingerprint then
   * needs no reading of its own, which for small files costs about as much as the file (opening
   * a disk-backed `File` dominates). Rejects as `md5` does.
   *
   * A hasher that cannot compute SHA-256 ignores `sha256` and resolves without it
   * (`result.sha256 === undefined`): callers must check the result (see {@link supportsSha256}).
   */
  hash?(file: File, relativePath: string, options?: HashOptions): Promise<HashResult>;
  /**
   * `true` when {@link hash} answers `sha256` when asked: the worker pool with its bundled
   * worker says so; hashers written before SHA-256 leave it `undefined`. A hint for planning
   * (whether to hash before the create); `HashResult.sha256` is the word that counts.
   */
  readonly supportsSha256?: boolean;
  /** Frees workers. */
  dispose?(): void;
}

/** Options of {@link Hasher.hash}. */
export interface HashOptions {
  /** Aborts the hashing: `hash` rejects with an `AbortError`. */
  signal?: AbortSignal | undefined;
  /**
   * Also compute the SHA-256 of the file's bytes in the same reading (Mixpeek's `file_hash`,
   * Mixpeek OpenAPI 0.81, `CreateUploadRequest.file_hash`); default `false`.
   */
  sha256?: boolean | undefined;
  /**
   * How far into the file the hashing may read for now (bytes from its start), for a file whose
   * PUT runs at the same time: the engine lets the MD5 run a little ahead of the bytes sent, so
   * that hashing does not take the CPU the transfer needs at the same moment (on a 2-core
   * machine at 1 Gbit/s, a 256 MiB PUT took 12 % longer with its MD5 at full speed beside it).
   * The bundled pool honours it for files it reads through its reading worker (8 MiB and
   * more), and not while other files wait for a hashing worker; other hashers may ignore it.
   */
  pace?: HashPace | undefined;
}

/** See {@link HashOptions.pace}. */
export interface HashPace {
  /** Bytes from the file's start that may be hashed now; `Infinity`: all of them. Never decreases. */
  allowed(): number;
  /** Calls `listener` whenever {@link allowed} grows; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
}

/** What {@link Hasher.hash} resolves with. */
export interface HashResult {
  /** Lowercase 32-hex MD5 of the file's bytes. */
  md5: string;
  /** The file's journal fingerprint (fingerprint.ts), of the same bytes. */
  fingerprint: string | undefined;
  /**
   * Lowercase 64-hex SHA-256 of the same bytes, when asked for with `sha256: true` and the
   * hasher can; otherwise absent.
   */
  sha256?: string | undefined;
  /**
   * Which code computed the MD5, when the hasher says: the bundled worker answers `"hash-wasm"`
   * (WebAssembly) or `"spark-md5"` (where the page refuses WebAssembly; its SHA-256 is then
   * @noble/hashes, or WebCrypto for a file that fits in one piece). For tests and diagnostics.
   */
  implementation?: string | undefined;
}

/**
 * Messages from the pool to a hashing worker. With `edges`, the reply also carries the `hex`
 * of the file's fingerprint, from the bytes hashed. With `port`, the file's bytes come from the
 * pool's reading worker through it ({@link ReadMessage}s; the hashing worker grants
 * {@link CreditMessage}s, `readAhead` bytes first); a worker that ignores `port` reads `blob`
 * itself in `sliceSize` slices. See md5-worker-runtime.ts, which implements this for any MD5.
 */
export type HashRequest =
  | {
      type: 'hash';
      id: number;
      blob: Blob;
      sliceSize: number;
      edges?: boolean;
      /** Also the SHA-256 of the same bytes. */
      sha256?: boolean;
      /** `false`: do not try WebAssembly (the pool's `wasm: false`, or a worker of it found it refused). */
      wasm?: boolean;
      port?: MessagePort;
      readAhead?: number;
      /** With `port`: bytes from the start that may be hashed for now (default all); raised by `allow`. */
      allowed?: number;
    }
  | { type: 'cancel'; id: number }
  /** The job's file may now be hashed up to `bytes` from its start (see {@link HashOptions.pace}). */
  | { type: 'allow'; id: number; bytes: number };
/** A worker's answer; `sha256` only when asked and the worker can; `implementation` as in {@link HashResult}. */
export type HashReply = ({ id: number } & Digests) | { id: number; error: string } | { id: number; canceled: true };
/** The digests of one file, as a hashing worker answers them. */
interface Digests {
  md5: string;
  edges?: string;
  sha256?: string;
  implementation?: string;
}
/**
 * Messages from the pool to its reading worker (blob-reader.worker.ts); `cancel` also ends a
 * finished job; `fingerprint` is answered with a {@link FingerprintReply} on the worker itself.
 */
export type ReadRequest =
  | { type: 'read'; id: number; blob: Blob; sliceSize: number; port: MessagePort }
  | { type: 'cancel'; id: number }
  | { type: 'fingerprint'; id: number; file: File; relativePath: string };
export type FingerprintReply = { id: number; fingerprint: string } | { id: number; error: string };
/** From the reading worker to a hashing worker: bytes (at most `sliceSize` each), then the end or an error. */
export type ReadMessage = { chunk: ArrayBuffer } | { end: true } | { error: string };
/**
 * From a hashing worker to the reading worker: that many more bytes may be sent; with `spare`, a
 * piece it sent, hashed and handed back (transferred) for the next bytes to be read into.
 */
export type CreditMessage = { credit: number; spare?: ArrayBuffer };

/** Options of {@link createWorkerHasher}. */
export interface WorkerHasherOptions {
  /** Parallel hashing workers; default `navigator.hardwareConcurrency` (at least 1, at most 8). */
  workers?: number;
  /** Largest piece of a file read or hashed at once; default 4 MiB (bounded memory whatever the file size). */
  sliceSize?: number;
  /**
   * Creates one hashing worker; default: the bundled worker (hash-wasm's WebAssembly where the
   * page allows it, spark-md5 and @noble/hashes where it does not; see md5.worker.ts).
   */
  createWorker?: () => Worker;
  /**
   * `false`: the bundled worker does not try WebAssembly and hashes with spark-md5 and
   * @noble/hashes from the start. Default `true`: it tries, and falls back silently where the
   * page's Content-Security-Policy refuses WebAssembly (no `'wasm-unsafe-eval'` in
   * `script-src`); the browser still reports that refusal as a violation (to `report-uri`),
   * once per worker, which `false` avoids.
   */
  wasm?: boolean;
  /**
   * Creates the pool's one reading worker, which streams files to the hashing workers ahead of
   * their hashing (reading on the hashing thread halves spark-md5's throughput); `null`: each
   * hashing worker reads its own file. Default: the bundled reader.
   */
  createReader?: (() => Worker) | null;
  /** Bytes of a file read ahead of its hashing, at most; default 16 MiB. */
  readAhead?: number;
  /**
   * Files smaller than this (bytes) are read by their hashing worker in one piece, not through
   * the reading worker, whose per-file cost (a channel, a stream, credit messages) outweighs
   * its gain on small files; default 8 MiB. 0: every file goes through the reading worker.
   */
  readerMinBytes?: number;
}

interface Job {
  id: number;
  blob: Blob;
  /** Ask the worker for the file's edges digest too. */
  edges: boolean;
  /** Ask the worker for the file's SHA-256 too. */
  sha256: boolean;
  resolve: (reply: Digests) => void;
  reject: (error: unknown) => void;
  signal?: AbortSignal | undefined;
  onAbort?: () => void;
  /** Its bytes come from the reading worker. */
  viaReader?: boolean;
  /** Send it again without the reading worker once its hashing worker has stopped (the reader failed). */
  requeue?: boolean;
  /** How far it may be hashed for now ({@link HashOptions.pace}); honoured only through the reading worker. */
  pace?: HashPace | undefined;
  /** Stops forwarding its pace to its worker. */
  unpace?: () => void;
}

/**
 * A pool of Web Workers hashing with hash-wasm (WebAssembly) or, where the page refuses it,
 * spark-md5, fed by one reading worker. Jobs wait in FIFO order
 * for a free hashing worker; workers start lazily and stay for the pool's life. No file bytes
 * pass through the calling (main) thread: workers get the `Blob` itself.
 */
export function createWorkerHasher(options: WorkerHasherOptions = {}): Hasher {
  const size = Math.max(1, Math.min(8, options.workers ?? (typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : 2) ?? 2));
  const sliceSize = options.sliceSize ?? 4 * 1024 * 1024;
  const createWorker = options.createWorker ?? createMd5Worker;
  const createReader = options.createReader === undefined ? createReaderWorker : options.createReader;
  const readAhead = options.readAhead ?? 16 * 1024 * 1024;
  const readerMinBytes = options.readerMinBytes ?? 8 * 1024 * 1024;
  /** Whether workers should try WebAssembly; `false` once one of them found it refused. */
  let wasm = options.wasm ?? true;
  /** The reading worker: `undefined` until first needed, `null` when there is none (or it failed). */
  let reader: Worker | null | undefined;
  const idle: Worker[] = [];
  const busy = new Map<Worker, Job>();
  const waiting: Job[] = [];
  let workerCount = 0;
  let nextId = 1;
  /** Fingerprints asked of the reading worker, by request id. */
  const fingerprints = new Map<number, { resolve: (value: string) => void; fallback: () => void }>();

  const finish = (worker: Worker, job: Job) => {
    busy.delete(worker);
    job.unpace?.();
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    if (job.viaReader) reader?.postMessage({ type: 'cancel', id: job.id } satisfies ReadRequest); // ends it there, if it has not ended
    idle.push(worker);
    schedule();
  };

  const readerFailed = (event: Event) => {
    event.preventDefault(); // handled here: the hashing workers read for themselves from now on
    reader?.terminate();
    reader = null;
    for (const pending of fingerprints.values()) pending.fallback();
    fingerprints.clear();
    for (const [worker, job] of busy) {
      if (!job.viaReader) continue;
      job.requeue = true;
      worker.postMessage({ type: 'cancel', id: job.id } satisfies HashRequest);
    }
  };

  const startReader = (): Worker | null => {
    if (reader !== undefined) return reader;
    try {
      reader = createReader ? createReader() : null;
    } catch {
      reader = null; // e.g. a Content-Security-Policy without `worker-src blob:`: hashing workers read for themselves
    }
    reader?.addEventListener('error', readerFailed);
    reader?.addEventListener('message', (event: MessageEvent<FingerprintReply>) => {
      const reply = event.data;
      const pending = fingerprints.get(reply.id);
      fingerprints.delete(reply.id);
      if (pending && 'fingerprint' in reply) pending.resolve(reply.fingerprint);
      else pending?.fallback();
    });
    return reader;
  };

  const onMessage = (worker: Worker) => (event: MessageEvent<HashReply>) => {
    const job = busy.get(worker);
    if (!job || job.id !== event.data.id) return;
    const reply = event.data;
    if (job.requeue && 'canceled' in reply) {
      busy.delete(worker);
      idle.push(worker);
      job.unpace?.();
      Object.assign(job, { requeue: false, viaReader: false }); // read by its worker itself: never paced
      waiting.unshift(job);
      schedule();
      return;
    }
    finish(worker, job);
    // Its workers share the page's policy: one refusal is enough (each would be reported).
    if ('md5' in reply && reply.implementation === 'spark-md5' && !options.createWorker) wasm = false;
    if ('md5' in reply) job.resolve(reply);
    else if ('error' in reply) job.reject(new Error(reply.error));
    // `canceled` replies were already rejected with an AbortError when the signal fired.
  };

  const schedule = () => {
    while (waiting.length > 0) {
      let worker = idle.pop();
      if (!worker && workerCount < size) {
        worker = createWorker();
        workerCount += 1;
        const w = worker;
        w.addEventListener('message', onMessage(w));
        w.addEventListener('error', (event) => {
          const job = busy.get(w);
          if (job) {
            finish(w, job);
            job.reject(new Error(`The hashing worker failed: ${event.message || 'could not start'}`));
          }
        });
      }
      if (!worker) break; // the others wait for one
      const job = waiting.shift()!;
      busy.set(worker, job);
      const from = job.blob.size >= readerMinBytes ? startReader() : null;
      const request = {
        type: 'hash',
        id: job.id,
        blob: job.blob,
        sliceSize,
        edges: job.edges,
        sha256: job.sha256,
        wasm,
      } satisfies HashRequest;
      if (from) {
        const { port1, port2 } = new MessageChannel();
        job.viaReader = true;
        from.postMessage({ type: 'read', id: job.id, blob: job.blob, sliceSize, port: port1 } satisfies ReadRequest, [port1]);
        const { pace } = job;
        const allowed = pace?.allowed() ?? Infinity;
        worker.postMessage({ ...request, port: port2, readAhead, allowed } satisfies HashRequest, [port2]);
        if (pace && allowed !== Infinity) {
          const w = worker;
          const off = pace.onChange(() => w.postMessage({ type: 'allow', id: job.id, bytes: pace.allowed() } satisfies HashRequest));
          job.unpace = () => {
            job.unpace = undefined;
            off();
          };
        }
      } else {
        worker.postMessage(request);
      }
    }
    // Files wait for a worker: a paced one would hold its worker while they wait, and their
    // hashing would trail the PUTs. The running ones go at full speed until the queue is empty.
    if (waiting.length > 0) {
      for (const [worker, job] of busy) {
        if (!job.unpace) continue;
        job.unpace();
        worker.postMessage({ type: 'allow', id: job.id, bytes: Infinity } satisfies HashRequest);
      }
    }
  };

  /** Queues `blob` for a hashing worker; resolves with its reply. */
  const run = (blob: Blob, edges: boolean, sha256: boolean, signal: AbortSignal | undefined, pace?: HashPace) =>
    new Promise<Digests>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason ?? new DOMException('Hashing was canceled.', 'AbortError'));
        return;
      }
      const job: Job = { id: nextId++, blob, edges, sha256, resolve, reject, signal, pace };
      if (signal) {
        job.onAbort = () => {
          job.unpace?.();
          const queued = waiting.indexOf(job);
          if (queued >= 0) waiting.splice(queued, 1);
          for (const [worker, running] of busy) {
            if (running === job) worker.postMessage({ type: 'cancel', id: job.id } satisfies HashRequest);
          }
          if (job.viaReader) reader?.postMessage({ type: 'cancel', id: job.id } satisfies ReadRequest);
          reject(new DOMException('Hashing was canceled.', 'AbortError'));
        };
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      waiting.push(job);
      schedule();
    });

  return {
    supportsSha256: !options.createWorker,
    md5: async (blob, { signal } = {}) => (await run(blob, false, false, signal)).md5,
    async hash(file, relativePath, { signal, sha256 = false, pace } = {}) {
      const reply = await run(file, true, sha256, signal, pace);
      return {
        md5: reply.md5,
        fingerprint: reply.edges === undefined ? undefined : fingerprintOf(file, relativePath, reply.edges),
        ...(reply.sha256 === undefined ? {} : { sha256: reply.sha256 }),
        ...(reply.implementation === undefined ? {} : { implementation: reply.implementation }),
      };
    },
    fingerprint(file, relativePath) {
      const from = startReader();
      if (!from) return fingerprint(file, relativePath);
      return new Promise<string>((resolve, reject) => {
        const id = nextId++;
        // The reader could not (or went away): the same function, on this thread.
        const fallback = () => fingerprint(file, relativePath).then(resolve, reject);
        fingerprints.set(id, { resolve, fallback });
        from.postMessage({ type: 'fingerprint', id, file, relativePath } satisfies ReadRequest);
      });
    },
    dispose() {
      for (const job of busy.values()) job.unpace?.();
      for (const worker of [...idle, ...busy.keys()]) worker.terminate();
      reader?.terminate();
      reader = undefined;
      for (const job of [...waiting, ...busy.values()]) job.reject(new DOMException('The hasher was disposed.', 'AbortError'));
      for (const pending of fingerprints.values()) pending.fallback();
      fingerprints.clear();
      idle.length = 0;
      busy.clear();
      waiting.length = 0;
      workerCount = 0;
    },
  };
}
