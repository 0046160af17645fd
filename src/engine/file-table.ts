/**
 * The file table: every file in the engine, the duplicate index, counts per status, byte totals,
 * and the one place where a file's status changes.
 */
import type { UploadFileInfo } from '../events.ts';
import { type Entry, snapshotOf } from './entry.ts';
import { duplicateKey } from './file-rules.ts';
import { type FileStatus, canTransition } from './status.ts';

/** Called after a file's status changed (journal writes, hashing stops…). */
export type StatusListener = (entry: Entry, from: FileStatus, to: FileStatus) => void;

/** The files of one engine, indexed by id and duplicate key, with counts per status and byte totals. */
export class FileTable {
  readonly #entries = new Map<string, Entry>();
  /** The files by {@link duplicateKey} (several only when their bytes differ). */
  readonly #listed = new Map<string, Set<Entry>>();
  readonly #counts = new Map<FileStatus, number>();
  #bytesTotal = 0;
  #bytesReported = 0;
  /** Bytes of `skipped` files: never sent, so out of the totals to send. */
  #bytesSkipped = 0;
  #onStatus: StatusListener;

  constructor(onStatus: StatusListener) {
    this.#onStatus = onStatus;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(fileId: string): Entry | undefined {
    return this.#entries.get(fileId);
  }

  values(): IterableIterator<Entry> {
    return this.#entries.values();
  }

  /** Frozen snapshots of every file, in the order they were added. */
  snapshots(): Readonly<UploadFileInfo>[] {
    return Array.from(this.#entries.values(), snapshotOf);
  }

  /** The files listed under a duplicate key (a `has()` for `checkFile`). */
  readonly listed = {
    has: (key: string): boolean => this.#listed.has(key),
    get: (key: string): ReadonlySet<Entry> => this.#listed.get(key) ?? new Set(),
  };

  /** Puts a file in the table, counted under its current status; `reported` bytes count as stored. */
  add(entry: Entry): void {
    this.#entries.set(entry.info.fileId, entry);
    const key = duplicateKey(entry.info);
    const set = this.#listed.get(key);
    if (set) set.add(entry);
    else this.#listed.set(key, new Set([entry]));
    this.#bump(entry.info.status, 1);
    this.#bytesTotal += entry.info.size;
    this.#bytesReported += entry.reported;
  }

  /** Takes a file out of the table, its counts and totals with it. */
  delete(entry: Entry): void {
    if (!this.#entries.delete(entry.info.fileId)) return;
    const key = duplicateKey(entry.info);
    const set = this.#listed.get(key);
    if (set?.delete(entry) && set.size === 0) this.#listed.delete(key);
    this.#bump(entry.info.status, -1);
    this.#bytesTotal -= entry.info.size;
    this.#bytesReported -= entry.reported;
    if (entry.info.status === 'skipped') this.#bytesSkipped -= entry.info.size;
  }

  count(status: FileStatus): number {
    return this.#counts.get(status) ?? 0;
  }

  /**
   * Bytes to send (of all files but `skipped` ones), bytes counted as stored so far, and bytes
   * of `skipped` files (Mixpeek had them: not sent).
   */
  get bytes(): { reported: number; total: number; skipped: number } {
    return { reported: this.#bytesReported, total: this.#bytesTotal - this.#bytesSkipped, skipped: this.#bytesSkipped };
  }

  /** Moves a file to `status` (an error if the move is not allowed); no-op when it is there. */
  setStatus(entry: Entry, status: FileStatus): void {
    const from = entry.info.status;
    if (from === status) return;
    if (!canTransition(from, status)) {
      throw new Error(`Internal error: ${entry.info.fileId} cannot go from ${from} to ${status}.`);
    }
    this.#bump(from, -1);
    this.#bump(status, 1);
    entry.info.status = status;
    if (status === 'skipped') this.#bytesSkipped += entry.info.size;
    this.touch(entry);
    this.#onStatus(entry, from, status);
  }

  /** Counts the file's progress (`info.bytesUploaded`) in the totals; returns the bytes newly counted. */
  report(entry: Entry): number {
    const added = entry.info.bytesUploaded - entry.reported;
    this.#bytesReported += added;
    entry.reported = entry.info.bytesUploaded;
    return added;
  }

  /** Marks a file's `info` as changed (its next snapshot is made anew). */
  touch(entry: Entry): void {
    entry.version += 1;
  }

  #bump(status: FileStatus, by: number): void {
    this.#counts.set(status, this.count(status) + by);
  }
}
