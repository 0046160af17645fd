/**
 * Journal writes: each file's state as it moves, so that a reload finds it (see restore.ts for
 * the reading side). Keyed by the file's fingerprint once known, before that by page and
 * duplicate key. No-ops without a journal.
 */
import type { Entry } from './entry.ts';
import { duplicateKey } from './file-rules.ts';
import {
  type Journal,
  type JournalRecord,
  type JournalState,
  createIdbJournal,
  createMemoryJournal,
  holdPageLock,
  pageSession,
} from './journal.ts';
import type { FileStatus } from './status.ts';

/** The journal state of a file in each status (statuses without one are not journaled). */
export const journalStates: Partial<Record<FileStatus, JournalState>> = {
  uploading: 'created',
  hashing: 'created',
  uploaded: 'stored',
  confirming: 'confirming',
  processing: 'processing',
  done: 'confirmed',
};

/**
 * The key of a file's record before its fingerprint is known: target, page and duplicate key. The
 * page keeps a new page's records of files added again apart from the old page's, which the new
 * page must still read (to reuse or cancel the uploads they name).
 */
const queuedKey = (target: string, entry: Entry): string => `${target}#queued#${pageSession}#${duplicateKey(entry.info)}`;

/** Writes files' states to the journal (made at first use from the `journal` option) for one engine. */
export class JournalSync {
  #store: Journal | false | undefined;
  readonly #option: () => Journal | false | undefined;
  readonly #target: () => string | undefined;

  /**
   * @param option the `journal` option (read once, at first use)
   * @param target the upload target, or `undefined` while the options name none
   */
  constructor(option: () => Journal | false | undefined, target: () => string | undefined) {
    this.#option = option;
    this.#target = target;
  }

  /** The journal, made at first use; `undefined` when journaling is off. */
  get journal(): Journal | undefined {
    if (this.#store === undefined) {
      const option = this.#option();
      this.#store = option === false ? false : (option ?? (typeof indexedDB !== 'undefined' ? createIdbJournal() : createMemoryJournal()));
    }
    return this.#store || undefined;
  }

  /** The journal key of a file with this fingerprint at the current target. */
  keyFor(fingerprint: string): string {
    return `${this.#target()}#${fingerprint}`;
  }

  /**
   * Writes a file's state once its upload exists. Keyed by its fingerprint when known (replacing
   * its `queued` record); before that, under its `queued` key, so that a reload still finds the
   * upload (to cancel it: without a fingerprint, the file added again is not known to be the same).
   */
  record(entry: Entry, state: JournalState): void {
    const journal = this.journal;
    const target = this.#target();
    const { info } = entry;
    if (!journal || !target || !info.uploadId) return;
    let key = entry.key;
    if (key) this.unrecordQueued(entry);
    else key = entry.queuedKey ??= queuedKey(target, entry);
    holdPageLock();
    journal.put({
      key,
      target,
      name: info.name,
      relativePath: info.relativePath,
      size: info.size,
      lastModified: info.lastModified,
      state,
      uploadId: info.uploadId,
      url: state === 'created' ? entry.url : undefined,
      expiresAt: state === 'created' ? entry.expiresAt : undefined,
      contentType: info.contentType,
      etag: info.etag,
      sha256: entry.sha256,
      taskId: info.taskId,
      updatedAt: Date.now(),
      owner: pageSession,
    });
  }

  /** Writes the state the file has reached, if its status has one (once its key is known). */
  recordStatus(entry: Entry): void {
    const state = journalStates[entry.info.status];
    if (state) this.record(entry, state);
  }

  /** Journals newly accepted files as `queued` (or `creating`: their create is about to be sent), so that a reload can name those that never started. */
  recordQueued(entries: Iterable<Entry>, state: 'queued' | 'creating' = 'queued'): void {
    const journal = this.journal;
    const target = this.#target();
    if (!journal || !target) return;
    holdPageLock();
    const updatedAt = Date.now();
    for (const entry of entries) {
      const { info } = entry;
      entry.queuedKey = queuedKey(target, entry);
      journal.put({
        key: entry.queuedKey,
        target,
        name: info.name,
        relativePath: info.relativePath,
        size: info.size,
        lastModified: info.lastModified,
        state,
        uploadId: '',
        updatedAt,
        owner: pageSession,
      });
    }
  }

  unrecordQueued(entry: Entry): void {
    if (!entry.queuedKey) return;
    this.journal?.remove(entry.queuedKey);
    entry.queuedKey = undefined;
  }

  /** Forgets the file (failed or canceled: a new upload if it is added again). */
  forget(entry: Entry): void {
    if (entry.key) this.journal?.remove(entry.key);
    this.unrecordQueued(entry);
  }

  remove(record: Pick<JournalRecord, 'key'>): void {
    this.journal?.remove(record.key);
  }
}
