import type { WorkerHasherOptions } from '../../src/hash/hasher.ts';

/** What the bench page (bench.ts) offers the driver (run.ts) as `window.bench`. Times in ms. */

/** The emulator the page talks to (directly, with the local key). */
export interface BenchEnv {
  apiUrl: string;
  bucket: string;
  namespace: string;
  apiKey: string;
}

export interface HashResult {
  ms: number;
  md5: string;
}

/** Moments of one run, ms since the Unix epoch (the page's clock, `performance.timeOrigin + now`). */
export interface RunMarks {
  /** Just before the first request of the run. */
  started: number;
  /** The last `mixpeek-file-uploaded` event (a file stored and its MD5 known); the element only. */
  lastMd5?: number;
  /** The last confirm answered (the element: its last `mixpeek-batch-confirmed`); none for the bare page. */
  lastConfirm?: number;
  /** The element's `mixpeek-uploads-confirmed` event (every file confirmed, processing left), if it fired. */
  uploadsConfirmed?: number;
  /** The run is done: every file confirmed and processed (bare page: every PUT answered). */
  ended: number;
}

/** One run of a link case's contender (the bare page, the Uppy glue). */
export interface LinkRunResult {
  /** From the first request to the end (`marks.ended - marks.started`). */
  ms: number;
  /** Files confirmed (the glue), 0 for the bare page. */
  confirmed: number;
  errors: string[];
  marks: RunMarks;
}

/** The 100,000-file case: `addFiles` until every file is in the list and the page is quiet. */
export interface ManyFilesResult {
  /** From `addFiles` to the first file's row on screen; NaN when it never came. */
  firstRowMs: number;
  /** From `addFiles` to every file counted in `engine.totals.files`. */
  listedMs: number;
  /** From `addFiles` until the page had gone a second without a long task (the window watched). */
  watchedMs: number;
  /** Longest Long Tasks API entry in the window, 0 when none (≥ 50 ms only). */
  longestTask: number;
  longTasks: number;
  /** Largest delay of a 20 ms timer beyond its period in the window. */
  maxTimerLag: number;
  longestFrame?: string | undefined;
  /** Files in the list at the end. */
  files: number;
}

export interface UploadResult {
  /** From `upload()` to the moment every file's confirmation was accepted (upload + confirm). */
  ms: number;
  /** From `upload()` to `mixpeek-complete` (task polling included). */
  completeMs: number;
  confirmed: number;
  failed: number;
  /** Files Mixpeek already had (`skip-duplicates`), never sent. */
  skipped: number;
  /** The element's parallel PUTs (the baseline uses the same). */
  concurrency: number;
  errors: string[];
  /** Longest Long Tasks API entry during the upload, 0 when there was none (≥ 50 ms only). */
  longestTask: number;
  longTasks: number;
  /** Largest delay of a 20 ms timer during the upload beyond its period: the page's worst stall. */
  maxTimerLag: number;
  /** The scripts of the longest animation frame during the upload (Long Animation Frames API), if one was long. */
  longestFrame?: string;
  /** The run's moments; `ended` is when `upload()` resolved (`completeMs`). */
  marks: RunMarks;
}

export interface BenchApi {
  /** Number of files in the page's file input. */
  fileCount(): number;
  /** MD5 of input file `index` by one worker of the element's pool, reading the `File` in slices. */
  hashWorker(index: number, sliceSize?: number): Promise<HashResult>;
  /** spark-md5 over the bytes of input file `index` already in memory, timed in its worker. */
  hashMemory(index: number): Promise<HashResult>;
  /** Reads input file `index` in a worker the way the pool's reading worker does, hashing nothing. */
  readFile(index: number): Promise<{ ms: number; bytes: number }>;
  /** Input files `indices`, all at once, through a pool (default size: the element's default). */
  hashPool(
    indices: number[],
    workers?: number,
    options?: Omit<WorkerHasherOptions, 'workers'>,
  ): Promise<{ ms: number; workers: number; bytes: number; md5s: string[] }>;
  /**
   * spark-md5 over input files `indices` already in memory, spread over `workers` workers
   * (each hashes its share one after another): the most any pool could get from the machine.
   */
  hashMemoryWorkers(indices: number[], workers: number): Promise<{ ms: number; md5s: string[] }>;
  /** Input file `index` through one hash-wasm worker (the README's adapter), reading the `File`. */
  hashWasm(index: number): Promise<HashResult>;
  /** Starts the element's default pool and warms it (so the driver can take a heap baseline). */
  prepareHasher(): Promise<number>;
  /** Hashes input file `index` with the prepared pool. */
  runHasher(index: number): Promise<HashResult>;
  /**
   * `<mixpeek-uploader>` from dist/ uploads every input file; `wasm` plugs the hash-wasm adapter
   * in; `instantMd5` a hasher that answers that MD5 at once (every input file must have it),
   * reading each file only for its fingerprint, to time the engine without hashing;
   * `skipDuplicates` sets the element's `skip-duplicates` (default: the element's, `auto`).
   */
  elementUpload(
    env: BenchEnv,
    options?: { wasm?: boolean; instantMd5?: string; skipDuplicates?: 'auto' | 'always' | 'never' },
  ): Promise<UploadResult>;
  /**
   * The baseline: bare `fetch` PUTs of the input files to fresh presigned URLs; no hashing, no
   * confirm. With `hash`, the element's default worker pool also hashes every file meanwhile
   * (started with the PUTs, warmed before), and `ms` runs until both are done: the same work as
   * the element's, without its engine; what the machine allows any uploader that hashes.
   */
  bareUpload(env: BenchEnv, concurrency: number, options?: { hash?: boolean }): Promise<{ ms: number; concurrency: number }>;
  /** `addFiles` of `count` files, until the first file's row is on screen. */
  renderList(env: BenchEnv, count: number): Promise<{ ms: number; rendered: boolean }>;
  /** Puts the element on the page, loads its chunks and makes `count` in-memory files for {@link addManyFiles}. */
  prepareManyFiles(env: BenchEnv, count: number): Promise<void>;
  /**
   * `addFiles` of the prepared files on the idle page: the first row, every file listed, and
   * the long tasks until the page is quiet (see the result).
   */
  addManyFiles(): Promise<ManyFilesResult>;
  /** The link cases' baseline (bare-link.ts) over every input file. */
  bareLinkUpload(env: BenchEnv, concurrency: number): Promise<LinkRunResult>;
  /** The link cases' peer, `@uppy/core` + `@uppy/aws-s3` with per-file create and confirm (uppy-glue.ts). */
  uppyGlueUpload(env: BenchEnv, concurrency: number): Promise<LinkRunResult>;
}

declare global {
  interface Window {
    bench: BenchApi;
  }
}
