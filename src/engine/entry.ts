/**
 * A file in the engine: what views see (`info`) and the engine's own bookkeeping beside it.
 */
import type { PutPace } from './hash-pace.ts';
import type { UploadFileInfo } from '../events.ts';
import type { JournalRecord } from './journal.ts';

/** A file with the engine's private bookkeeping. */
export interface Entry {
  info: UploadFileInfo;
  url?: string | undefined;
  /** When the presigned URL stops working, ms since epoch. */
  expiresAt?: number | undefined;
  /** Margin before `expiresAt` from which the URL is not used any more, ms. */
  expiryMargin?: number | undefined;
  /** How long its URL lived when Mixpeek gave it, ms. */
  lifetime?: number | undefined;
  /** When its current PUT's request started, ms since epoch. */
  putStartedAt?: number | undefined;
  /**
   * When its confirmation must be sent, ms since epoch: a quarter of the upload's lifetime
   * before `expiresAt`, since Mixpeek fails uploads not confirmed by then.
   */
  confirmBy?: number | undefined;
  /** Its bytes are stored under the current upload. */
  stored: boolean;
  /** Bytes counted in the totals so far. */
  reported: number;
  /** Aborts its PUT in flight. */
  controller?: AbortController | undefined;
  /** Failed PUT tries of the current upload. */
  putFailures: number;
  /** Fresh uploads made because its upload expired during its own PUT, or before its confirm. */
  renewals: number;
  /** Fresh uploads made because a URL expired while the file waited on our side. */
  waitRenewals: number;
  /** Journal key: target + fingerprint (set once the fingerprint is known). */
  key?: string | undefined;
  /** Journal key of its `queued` record, until the upload is created. */
  queuedKey?: string | undefined;
  /**
   * The file's first fingerprint (read apart at create, or from its hash), to notice a file
   * that changed since it was selected.
   */
  fingerprint?: Promise<string> | undefined;
  /** Lowercase 64-hex SHA-256 of its bytes, once computed (sent as `file_hash`). */
  sha256?: string | undefined;
  /** Its MD5 being computed; aborted when the file ends. */
  hashing?: AbortController | undefined;
  /** How far its MD5 may read ahead of its PUT (see hash-pace.ts); made when its hashing starts. */
  pace?: PutPace | undefined;
  /**
   * The `created` record from before a reload that this file was added again in place of
   * (same path, size and date), until its own journal key is known at create.
   */
  replaces?: JournalRecord | undefined;
  /** Bumped at every change of `info`, so that snapshots are made again only when needed. */
  version: number;
  /** The last snapshot handed out and the version it was made at. */
  snapshot?: { version: number; info: Readonly<UploadFileInfo> } | undefined;
}

let nextFileId = 1;

/** True while the file is in a create batch being prepared (not canceled or failed meanwhile). */
export const creatingNow = (e: Entry): boolean => e.info.status === 'creating';

/** A new engine-wide file id (`f1`, `f2`, …). */
export const newFileId = (): string => `f${nextFileId++}`;

/** A new entry for `info`, with nothing done yet. */
export function newEntry(info: UploadFileInfo): Entry {
  return { info, stored: false, reported: 0, putFailures: 0, renewals: 0, waitRenewals: 0, version: 0 };
}

/** A frozen copy of the entry's `info` (made again only after it changed). */
export function snapshotOf(entry: Entry): Readonly<UploadFileInfo> {
  if (entry.snapshot?.version !== entry.version) {
    const info = { ...entry.info };
    if (info.error) info.error = Object.freeze({ ...info.error });
    entry.snapshot = { version: entry.version, info: Object.freeze(info) };
  }
  return entry.snapshot.info;
}
