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

/**
 * Where a file got to. `queued`: accepted but no upload created yet (keyed by target and
 * duplicate key, with an empty `uploadId`), so that a reload can say which files to add again.
 */
export type JournalState = 'queued' | 'created' | 'stored' | 'confirming' | 'processing' | 'confirmed';

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

/** A journal in IndexedDB, database `dbName`, writing in batches at most every `delay` ms. */
export function createIdbJournal(dbName = 'mixpeek-uploader', delay = 100): Journal {
  let store: UseStore | undefined;
  const db = () => (store ??= createStore(dbName, 'journal'));
  const pending = new Map<string, JournalRecord | null>();
  let flushing: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const write = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.size === 0) return flushing;
    const batch = [...pending];
    pending.clear();
    const puts = batch.filter((e): e is [string, JournalRecord] => e[1] !== null);
    const dels = batch.filter(([, v]) => v === null).map(([k]) => k);
    flushing = flushing
      .then(() => Promise.all([puts.length ? setMany(puts, db()) : undefined, dels.length ? delMany(dels, db()) : undefined]))
      .then(() => undefined)
      .catch(() => undefined); // a journal that cannot write must not stop uploads
    return flushing;
  };
  const schedule = () => {
    timer ??= setTimeout(write, delay);
  };

  return {
    async list(target) {
      await write();
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
    flush: () => write(),
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
