/**
 * The upload journal: what happened to each file, kept in IndexedDB (through `idb-keyval`) so
 * that a reload or a crash loses nothing. Mixpeek has no multipart upload (one presigned PUT per
 * file), so resuming works per file: what is stored stays stored and is confirmed once, what
 * was in flight is sent again.
 *
 * Records are keyed by the upload target (API URL, bucket, namespace) and the file's
 * fingerprint (name, size, lastModified and a hash of its first and last bytes), so the same
 * file added again after a reload is recognised, and a changed file is not.
 */
import { clear, createStore, delMany, entries, setMany, type UseStore } from 'idb-keyval';
import { sleep } from '../sleep.ts';

/**
 * Where a file got to. `queued`: accepted but no upload created yet (keyed by target and
 * duplicate key, with an empty `uploadId`), so that a reload can say which files to add again.
 * `creating`: like `queued`, but its create request was sent at `updatedAt` and its answer not
 * seen yet (an upload may exist that the page never learned of).
 */
export type JournalState = 'queued' | 'creating' | 'created' | 'stored' | 'confirming' | 'processing' | 'confirmed';

/** One file's record. Times in ms since epoch; sizes in bytes. */
export interface JournalRecord {
  /** Target + fingerprint (target + duplicate key while `queued`); the key. */
  key: string;
  /** `apiUrl|bucket|namespace`. */
  target: string;
  name: string;
  relativePath: string;
  size: number;
  /** `File.lastModified`, ms since epoch. */
  lastModified: number;
  state: JournalState;
  uploadId: string;
  /** The presigned PUT URL while it is alive (state `created`). */
  url?: string | undefined;
  expiresAt?: number | undefined;
  contentType?: string | undefined;
  /** Lowercase 32-hex MD5 (states `stored` and later). */
  etag?: string | undefined;
  /** The batch-confirm task (state `processing`). */
  taskId?: string | undefined;
  updatedAt: number;
  /**
   * The page that wrote it ({@link pageSession}). While that page lives (it holds a Web Lock
   * for its life), other pages leave its records alone; journals of older versions have none.
   */
  owner?: string | undefined;
}

/**
 * This page's id in the records it writes. Not a secret, only unique: `crypto.randomUUID` where
 * the page is a secure context, else a random string.
 */
export const pageSession: string = globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

const LOCK_PREFIX = 'mixpeek-uploader-page:';
let holdingLock = false;

/**
 * Takes this page's Web Lock (once; held until the page goes away), so that other pages see
 * its records as those of a live page. Without the Web Locks API (not a secure context, or an
 * old browser), pages only recognise their own records.
 */
export function holdPageLock(): void {
  if (holdingLock || typeof navigator === 'undefined' || !navigator.locks) return;
  holdingLock = true;
  navigator.locks.request(`${LOCK_PREFIX}${pageSession}`, () => new Promise<never>(() => undefined)).catch(() => undefined);
}

/**
 * The sessions of pages alive now, this one included: the holders of the pages' Web Locks.
 * A page going away may hold its lock a moment longer (its new document can already run):
 * `others` is asked again after `settle` ms while it names pages other than this one.
 */
export async function livePages(others: ReadonlySet<string> = new Set(), settle = 250, tries = 4): Promise<Set<string>> {
  for (let attempt = 1; ; attempt += 1) {
    const held = await (typeof navigator !== 'undefined' && navigator.locks ? navigator.locks.query() : undefined)?.catch(() => undefined);
    const names = new Set((held?.held ?? []).map((lock) => lock.name));
    const alive = [...others].filter((o) => o !== pageSession && names.has(`${LOCK_PREFIX}${o}`));
    if (alive.length === 0 || attempt >= tries) return new Set([pageSession, ...alive]);
    await sleep(settle);
  }
}

/** Storage for records (IndexedDB by default; a Map in tests or where IndexedDB is missing). */
export interface Journal {
  /** Records of one target. */
  list(target: string): Promise<JournalRecord[]>;
  /** Writes records (coalesced; see `flush`). */
  put(record: JournalRecord): void;
  /** Removes records by key. */
  remove(key: string): void;
  /** Resolves when every earlier `put` and `remove` is written. */
  flush(): Promise<void>;
  /** Forgets everything. */
  clear(): Promise<void>;
}

/** Records written in one IndexedDB transaction at most: more would block the page (about 23 µs each). */
const WRITE_SLICE = 1000;

/**
 * A journal in IndexedDB, database `dbName`, writing in batches at most every `delay` ms, at most
 * {@link WRITE_SLICE} records a transaction (the rest in the next task, so adding 100,000 files
 * never blocks the page for long).
 */
export function createIdbJournal(dbName = 'mixpeek-uploader', delay = 100): Journal {
  let store: UseStore | undefined;
  const db = () => (store ??= createStore(dbName, 'journal'));
  const pending = new Map<string, JournalRecord | null>();
  let flushing: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;

  /** Writes one slice of what is pending; schedules the next slice, if any. */
  const write = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.size === 0) return flushing;
    const batch: [string, JournalRecord | null][] = [];
    for (const entry of pending) {
      batch.push(entry);
      if (batch.length >= WRITE_SLICE) break;
    }
    for (const [key] of batch) pending.delete(key);
    const puts = batch.filter((e): e is [string, JournalRecord] => e[1] !== null);
    const dels = batch.filter(([, v]) => v === null).map(([k]) => k);
    flushing = flushing
      .then(() => Promise.all([puts.length ? setMany(puts, db()) : undefined, dels.length ? delMany(dels, db()) : undefined]))
      .then(() => undefined)
      .catch(() => undefined); // a journal that cannot write must not stop uploads
    if (pending.size > 0) timer = setTimeout(write, 0);
    return flushing;
  };
  const schedule = () => {
    timer ??= setTimeout(write, delay);
  };
  /** Writes everything pending, slice by slice. */
  const flush = async () => {
    while (pending.size > 0) await write();
    await flushing;
  };

  return {
    async list(target) {
      await flush();
      const all = await entries<string, JournalRecord>(db()).catch(() => []);
      return all.map(([, r]) => r).filter((r) => r.target === target);
    },
    put(record) {
      pending.set(record.key, record);
      schedule();
    },
    remove(key) {
      pending.set(key, null);
      schedule();
    },
    flush,
    async clear() {
      pending.clear();
      await flushing;
      await clear(db());
    },
  };
}

/** A journal in memory (no persistence): for tests, or pages that opt out of IndexedDB. */
export function createMemoryJournal(): Journal {
  const records = new Map<string, JournalRecord>();
  return {
    list: async (target) => [...records.values()].filter((r) => r.target === target).map((r) => ({ ...r })),
    put: (record) => void records.set(record.key, { ...record }),
    remove: (key) => void records.delete(key),
    flush: async () => undefined,
    clear: async () => records.clear(),
  };
}
