/**
 * Progress: bytes stored per file and in all, reported as `mixpeek-upload-progress` at most
 * every `progressInterval` ms per file. Bytes never decrease.
 */
import type { MixpeekEventDetails } from '../events.ts';
import type { Entry } from './entry.ts';
import type { FileTable } from './file-table.ts';

/** Per-file and total bytes stored, emitted as throttled `mixpeek-upload-progress` events. */
export class Progress {
  readonly #dirty = new Set<Entry>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #table: FileTable;
  readonly #interval: () => number;
  readonly #emit: (detail: MixpeekEventDetails['mixpeek-upload-progress']) => void;
  readonly #changed: () => void;

  constructor(
    table: FileTable,
    interval: () => number,
    emit: (detail: MixpeekEventDetails['mixpeek-upload-progress']) => void,
    changed: () => void,
  ) {
    this.#table = table;
    this.#interval = interval;
    this.#emit = emit;
    this.#changed = changed;
  }

  /**
   * The file's current PUT has sent `bytes` (clamped to its size): `bytesSent` follows it;
   * `bytesUploaded` and the totals only grow.
   */
  set(entry: Entry, bytes: number): void {
    const clamped = Math.min(Math.max(bytes, 0), entry.info.size);
    if (entry.info.bytesSent !== clamped) {
      entry.info.bytesSent = clamped;
      this.#table.touch(entry);
      // Below what was stored before (a PUT redone from the start): no progress event, a view change.
      if (clamped <= entry.info.bytesUploaded) this.#changed();
    }
    if (clamped <= entry.info.bytesUploaded) return;
    entry.info.bytesUploaded = clamped;
    this.#table.touch(entry);
    this.#dirty.add(entry);
    this.#timer ??= setTimeout(() => this.flush(), this.#interval());
  }

  /** Emits pending progress events (of one file, or all). */
  flush(only?: Entry): void {
    const entries = only ? (this.#dirty.has(only) ? [only] : []) : [...this.#dirty];
    if (!only) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    for (const entry of entries) {
      this.#dirty.delete(entry);
      this.#table.report(entry);
      const { reported, total } = this.#table.bytes;
      this.#emit({
        fileId: entry.info.fileId,
        bytesUploaded: entry.reported,
        bytesTotal: entry.info.size,
        totalBytesUploaded: reported,
        totalBytes: total,
      });
    }
    if (entries.length > 0) this.#changed();
  }

  /** Drops a file's pending event (it left the table). */
  forget(entry: Entry): void {
    this.#dirty.delete(entry);
  }
}
