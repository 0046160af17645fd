/**
 * Image previews for the rows on screen. Each is decoded and shrunk by `createImageBitmap` with
 * a resize (Chromium and Firefox decode a `Blob` off the main thread), started in idle time, a
 * few at once, newest request first (the rows just scrolled to); the results are kept in a
 * bounded cache (least recently used out), so scrolling back costs nothing and 10,000 images
 * never hold 10,000 bitmaps. A request whose row left the screen before it started is dropped.
 */

/** Width of a preview, device pixels (a 2.5rem cell at 2× with room to spare). */
export const PREVIEW_WIDTH = 96;

export { canPreview } from './previewable.ts';

/** A preview asked for: by every row that wants it (it is dropped when all of them have left). */
interface Job {
  file: File;
  signals: AbortSignal[];
  made: Promise<ImageBitmap | null>;
  resolve: (bitmap: ImageBitmap | null) => void;
}

/** Counters for tests and the curious. */
export interface PreviewStats {
  /** Bitmaps made (decodes started). */
  made: number;
  /** Most decodes at once so far. */
  mostAtOnce: number;
}

/** The preview queue and its bounded cache (see the module's comment); one shared instance, {@link previews}. */
export class Previews {
  readonly stats: PreviewStats = { made: 0, mostAtOnce: 0 };
  /** File → bitmap (`null`: the browser cannot decode it). Map order is recency. */
  readonly #cache = new Map<File, ImageBitmap | null>();
  /** Jobs not started yet, by file; the order of `#waiting` is the order asked. */
  readonly #queued = new Map<File, Job>();
  /** Decodes under way, by file. */
  readonly #started = new Map<File, Promise<ImageBitmap | null>>();
  #waiting: Job[] = [];
  #active = 0;
  #scheduled = false;

  constructor(
    /** Bitmaps kept (about 30 kB each). */
    readonly capacity = 400,
    /** Decodes at once. */
    readonly parallel = 3,
  ) {}

  /** The cached preview: a bitmap, `null` if it cannot be made, `undefined` if not made yet. */
  get(file: File): ImageBitmap | null | undefined {
    const found = this.#cache.get(file);
    if (found !== undefined) {
      this.#cache.delete(file); // most recently used last
      this.#cache.set(file, found);
    }
    return found;
  }

  /** A preview of `file`; resolves `null` when it cannot be made, or when every `signal` asking for it aborts before it starts. */
  request(file: File, signal: AbortSignal): Promise<ImageBitmap | null> {
    const cached = this.get(file);
    if (cached !== undefined) return Promise.resolve(cached);
    const started = this.#started.get(file);
    if (started) return started;
    let job = this.#queued.get(file);
    if (job) {
      job.signals.push(signal);
      // Asked again: to the end of the queue, which is started first.
      this.#waiting = this.#waiting.filter((j) => j !== job);
      this.#waiting.push(job);
    } else {
      let resolve!: (bitmap: ImageBitmap | null) => void;
      const made = new Promise<ImageBitmap | null>((r) => (resolve = r));
      job = { file, signals: [signal], made, resolve };
      this.#queued.set(file, job);
      this.#waiting.push(job);
    }
    this.#schedule();
    return job.made;
  }

  #schedule(): void {
    if (this.#scheduled || this.#waiting.length === 0 || this.#active >= this.parallel) return;
    this.#scheduled = true;
    const run = () => {
      this.#scheduled = false;
      this.#start();
    };
    if (typeof globalThis.requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 250 });
    else setTimeout(run, 16);
  }

  #start(): void {
    while (this.#active < this.parallel && this.#waiting.length > 0) {
      const job = this.#waiting.pop()!; // newest first: the rows on screen now
      this.#queued.delete(job.file);
      if (job.signals.every((signal) => signal.aborted)) {
        job.resolve(null); // every row asking for it left the screen first
        continue;
      }
      this.#active += 1;
      this.#started.set(job.file, job.made);
      this.stats.made += 1;
      this.stats.mostAtOnce = Math.max(this.stats.mostAtOnce, this.#active);
      createImageBitmap(job.file, { resizeWidth: PREVIEW_WIDTH, resizeQuality: 'medium' })
        .then(
          (bitmap) => bitmap,
          () => null,
        )
        .then((bitmap) => {
          this.#active -= 1;
          this.#started.delete(job.file);
          this.#keep(job.file, bitmap);
          job.resolve(bitmap);
          this.#schedule();
        });
    }
  }

  #keep(file: File, bitmap: ImageBitmap | null): void {
    this.#cache.set(file, bitmap);
    while (this.#cache.size > this.capacity) {
      const [oldest, old] = this.#cache.entries().next().value as [File, ImageBitmap | null];
      this.#cache.delete(oldest);
      old?.close();
    }
  }
}

/** The previews every element on the page shares. */
export const previews = new Previews();
