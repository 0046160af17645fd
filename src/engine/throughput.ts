/**
 * How fast PUTs finish, measured over the time at least one PUT was in flight (waiting for a
 * create is not slowness): files and bytes per second over the last finished PUTs. The engine
 * creates uploads only as far ahead as their URLs can be used at this pace (url-lifetime.ts).
 */

/** Finished PUTs the rates are measured over. */
const SAMPLES = 50;
/**
 * Bytes the measured PUTs must carry before their byte rate is believed: a few small files say
 * how many requests a second go through, not how fast bytes go (1 byte in 100 ms is no link).
 */
const BYTES_TO_TRUST = 8 * 1024 * 1024;

/** Measures how fast PUTs finish while any is in flight (see the module comment). */
export class ThroughputMeter {
  /** Finished PUTs: bytes, and the busy time since the previous one finished, ms. */
  #done: { bytes: number; busyMs: number }[] = [];
  #inFlight = 0;
  /** Start of the current busy stretch not yet handed to a finished PUT, ms. */
  #busySince = 0;
  /** Busy time not yet handed to a finished PUT, ms. */
  #busyMs = 0;
  readonly #now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** A PUT started. */
  started(): void {
    if (this.#inFlight++ === 0) this.#busySince = this.#now();
  }

  /** A PUT ended; `bytes` when it finished (stored), `undefined` when it failed or was aborted. */
  ended(bytes?: number): void {
    const now = this.#now();
    this.#busyMs += now - this.#busySince;
    this.#busySince = now;
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    if (bytes === undefined) return;
    this.#done.push({ bytes, busyMs: this.#busyMs });
    this.#busyMs = 0;
    if (this.#done.length > SAMPLES) this.#done.shift();
  }

  /**
   * Files and bytes finished per second of sending, or `undefined` before any PUT finished;
   * `bytes` is `undefined` until the samples carry enough bytes to say (8 MiB).
   */
  get rate(): { files: number; bytes: number | undefined } | undefined {
    if (this.#done.length === 0) return undefined;
    let bytes = 0;
    let busyMs = 0;
    for (const d of this.#done) {
      bytes += d.bytes;
      busyMs += d.busyMs;
    }
    const seconds = Math.max(0.001, busyMs / 1000);
    return { files: this.#done.length / seconds, bytes: bytes >= BYTES_TO_TRUST ? bytes / seconds : undefined };
  }

  /**
   * Seconds to send `files` files of `bytes` bytes in all at the measured pace (the slower of
   * the two readings: many small files are bound by requests, large ones by bytes), or
   * `undefined` before anything was measured.
   */
  secondsFor(files: number, bytes: number): number | undefined {
    const rate = this.rate;
    if (!rate) return undefined;
    return Math.max(files / rate.files, rate.bytes === undefined ? 0 : bytes / Math.max(1, rate.bytes));
  }
}
