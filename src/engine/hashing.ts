/**
 * Hashing: each file's MD5 (the ETag its confirmation carries) computed beside its transfer, at its pace
 * (or before its create, with its SHA-256, when duplicates are skipped: see duplicates.ts),
 * and its journal fingerprint (size, first and last 64 KiB) from the same reading when the
 * hasher can, else read apart. A file whose bytes changed since it was selected fails here.
 */
import { MixpeekUploaderError, isAbortError } from '../errors.ts';
import { fingerprint } from '../hash/fingerprint.ts';
import { uploaded } from './confirm-batches.ts';
import type { EngineContext } from './context.ts';
import { DeferredLoadError } from './deferred.ts';
import { type PutPace, putPace } from './hash-pace.ts';
import type { Entry } from './entry.ts';
import { normalizeEtag } from './etag.ts';
import { unreadable } from './file-errors.ts';
import { isFinal } from './status.ts';

/**
 * Computes the file's MD5 (once; stopped when the file ends or the session does), and with
 * `sha256` its SHA-256 from the same reading (`entry.sha256`, when the hasher gives one).
 * Resolves when done, failed (the file then failed) or stopped; never rejects.
 */
export async function hash(ctx: EngineContext, entry: Entry, { sha256 = false } = {}): Promise<void> {
  if (entry.hashing || isFinal(entry.info.status)) return;
  if (entry.info.etag !== undefined && (!sha256 || entry.sha256 !== undefined)) return;
  const controller = new AbortController();
  entry.hashing = controller;
  const session = ctx.session.signal;
  const stop = () => controller.abort();
  if (session.aborted) stop();
  session.addEventListener('abort', stop, { once: true });
  const { info } = entry;
  try {
    // The MD5 is the file's, whatever upload it ends up in: a renewal while hashing keeps it.
    const hasher = ctx.hasher();
    const { signal } = controller;
    // Hashed for its confirm, the MD5 keeps pace with the file's PUT (hash-pace.ts); hashed
    // before its create (for its SHA-256), it goes at full speed.
    let pace: PutPace | undefined;
    if (!sha256) {
      entry.pace ??= putPace();
      pace = entry.pace;
      if (entry.stored) pace.release();
    }
    const {
      md5: answer,
      fingerprint: read,
      sha256: sha,
    } = hasher.hash
      ? await hasher.hash(info.file!, info.relativePath, { signal, sha256, pace })
      : { md5: await hasher.md5(info.file!, { signal }), fingerprint: undefined, sha256: undefined };
    const md5 = normalizeEtag(answer);
    if (isFinal(info.status)) return;
    if (!/^[0-9a-f]{32}$/.test(md5))
      throw new MixpeekUploaderError('hash-failed', `the hasher answered ${JSON.stringify(md5)}, not an MD5`);
    // The bytes hashed must be the bytes fingerprinted at create, when that was read apart.
    const first = await entry.fingerprint?.catch(() => undefined);
    const now = read ?? (first && (await fingerprintOf(ctx, info.file!, info.relativePath)));
    if (first && now !== first) throw new MixpeekUploaderError('hash-failed', 'it changed since it was selected');
    if (sha !== undefined && !/^[0-9a-f]{64}$/.test(sha))
      throw new MixpeekUploaderError('hash-failed', `the hasher answered ${JSON.stringify(sha)}, not a SHA-256`);
    // A second reading (MD5 kept from the first, SHA-256 asked now) must be of the same bytes.
    if (info.etag !== undefined && md5 !== info.etag) throw new MixpeekUploaderError('hash-failed', 'it changed since it was hashed');
    if (sha !== undefined) entry.sha256 = sha;
    if (read) keyed(ctx, entry, read);
    else if (!entry.fingerprint) void keyLater(ctx, entry); // the hasher gave none: read it apart
    ctx.update(entry, { etag: md5 });
    if (entry.stored && info.status === 'hashing') uploaded(ctx, entry);
  } catch (error) {
    if (!isAbortError(error) && !isFinal(info.status)) {
      entry.controller?.abort();
      if (error instanceof DeferredLoadError) ctx.fail(entry, 'upload-failed', error);
      else ctx.fail(entry, 'hash-failed', unreadable(info.name, error, 'hash-failed'));
    }
  } finally {
    session.removeEventListener('abort', stop);
    if (entry.hashing === controller) entry.hashing = undefined;
    ctx.changed();
    ctx.pump();
  }
}

/** The file's journal fingerprint, off the main thread when the hasher can (see `Hasher.fingerprint`). */
export function fingerprintOf(ctx: EngineContext, file: File, relativePath: string): Promise<string> {
  const hasher = ctx.hasher();
  return hasher.fingerprint ? hasher.fingerprint(file, relativePath) : fingerprint(file, relativePath);
}

/** The file's first fingerprint, read once (apart from its hash). */
export function firstFingerprint(ctx: EngineContext, entry: Entry): Promise<string> {
  entry.fingerprint ??= fingerprintOf(ctx, entry.info.file!, entry.info.relativePath);
  return entry.fingerprint;
}

/**
 * Files smaller than this (bytes) get their journal fingerprint from their hash, which starts
 * with their create, rather than from a reading of their own: opening a small file costs about
 * as much as reading it.
 */
const KEY_FROM_HASH_BELOW = 8 * 1024 * 1024;

/**
 * Starts reading the fingerprints that do not come with a hash: a small file's comes with its
 * hash, from the same reading (see `Hasher.hash`); a larger file's, or every file's when the
 * hasher gives none, is read apart. Files already keyed (or being read) are left as they are.
 */
export function keyApart(ctx: EngineContext, entries: readonly Entry[]): void {
  if (!ctx.journal.journal) return; // no journal: no key needed
  const fromHash = ctx.hasher().hash !== undefined;
  for (const entry of entries) {
    if (entry.key || entry.fingerprint || (fromHash && entry.info.size < KEY_FROM_HASH_BELOW)) continue;
    void keyLater(ctx, entry);
  }
}

/** Reads a file's fingerprint beside its upload, then takes it as its journal key (see {@link keyed}). */
export async function keyLater(ctx: EngineContext, entry: Entry): Promise<void> {
  let read: string;
  try {
    read = await firstFingerprint(ctx, entry);
  } catch {
    return; // unreadable: its hash fails with the reason
  }
  keyed(ctx, entry, read);
}

/** Takes a file's fingerprint, once known, as its journal key; journals the state it has reached by then. */
export function keyed(ctx: EngineContext, entry: Entry, read: string): void {
  entry.fingerprint ??= Promise.resolve(read);
  if (entry.key) return;
  entry.key = ctx.journal.keyFor(read);
  ctx.journal.recordStatus(entry);
}
