/**
 * Intake: files offered by `addFiles` are checked (empty, too large, not accepted, too many,
 * duplicate, already uploaded) and accepted into the file table or refused with a reason. Large
 * offers are taken in slices between frames; same-named files without a folder path are
 * compared by content first.
 */
import type { UploadFileInfo } from '../events.ts';
import { contentTypeFor } from '../transfer/content-type.ts';
import type { EngineContext } from './context.ts';
import { type Entry, newEntry, newFileId, snapshotOf } from './entry.ts';
import { type Candidate, type Rejection, checkFile, duplicateKey } from './file-rules.ts';
import { fingerprintOf } from './hashing.ts';
import type { FileWithPath } from './options.ts';
import { alreadyUploaded } from './restore.ts';

/** Files taken in one go; the rest of a large offer follows in later tasks, so the page stays responsive. */
export const INTAKE_SLICE = 1000;

/**
 * Takes `files`: up to {@link INTAKE_SLICE} now, the rest in slices between frames (each with
 * its events), after any offer still being taken (`ctx.offered`). `ctx.onAdded` runs after each
 * slice that accepted files. Returns the files accepted now (frozen snapshots).
 */
export function offer(ctx: EngineContext, files: Iterable<File | FileWithPath>): Readonly<UploadFileInfo>[] {
  if (ctx.offered) {
    for (const f of files) ctx.offered.push(f);
    return [];
  }
  const items = Array.from(files);
  const accepted = take(ctx, items.slice(0, INTAKE_SLICE));
  if (items.length > INTAKE_SLICE) {
    const rest = items.slice(INTAKE_SLICE);
    ctx.offered = rest;
    const next = () => {
      if (ctx.offered !== rest) return; // dropped by cancel()
      const slice = rest.splice(0, INTAKE_SLICE);
      if (rest.length === 0) ctx.offered = undefined;
      take(ctx, slice);
      if (ctx.offered === rest) setTimeout(next, 0);
      else ctx.pump(); // a run may have waited for the last slice
    };
    setTimeout(next, 0);
  }
  return accepted.map(snapshotOf);
}

/** Checks and accepts one slice of files; journals the accepted ones as `queued` in one batch. */
function take(ctx: EngineContext, items: (File | FileWithPath)[]): Entry[] {
  const added: Entry[] = [];
  for (const item of items) {
    // Not `instanceof Blob`: a File from another frame is a Blob of another realm.
    const wrapped = 'file' in item && typeof item.relativePath === 'string';
    const file = wrapped ? item.file : (item as File);
    // A folder's path: given with the file (drops), or the picker's `webkitRelativePath`.
    const relativePath = (wrapped ? item.relativePath : '') || file.webkitRelativePath || file.name;
    const candidate: Candidate = {
      name: file.name,
      size: file.size,
      contentType: contentTypeFor(file),
      relativePath,
      lastModified: file.lastModified,
    };
    const rejection = check(ctx, candidate, ctx.table.listed);
    if (rejection?.code === 'duplicate' && !relativePath.includes('/') && compareContent(ctx, file, candidate)) continue;
    if (rejection) {
      ctx.emit('mixpeek-file-rejected', { name: file.name, size: file.size, ...rejection });
      continue;
    }
    added.push(accept(ctx, file, candidate));
  }
  ctx.journal.recordQueued(added);
  ctx.changed();
  if (added.length > 0) ctx.onAdded();
  return added;
}

function check(ctx: EngineContext, candidate: Candidate, seen: { has(key: string): boolean }): Rejection | null {
  const { accept, maxFileSize, maxFiles } = ctx.options;
  return checkFile(candidate, { accept, maxFileSize, maxFiles }, ctx.table.size, seen) ?? alreadyUploaded(ctx, candidate);
}

/** Puts an accepted file in the table (status `queued`), with its `mixpeek-file-added` event. */
function accept(ctx: EngineContext, file: File, candidate: Candidate): Entry {
  const key = duplicateKey(candidate);
  const lost = ctx.recovered.lost.get(key);
  ctx.recovered.lost.delete(key);
  const info: UploadFileInfo = {
    fileId: newFileId(),
    name: file.name,
    relativePath: candidate.relativePath,
    size: file.size,
    lastModified: file.lastModified,
    contentType: candidate.contentType,
    status: 'queued',
    bytesUploaded: 0,
    file,
  };
  const entry = newEntry(info);
  if (lost?.state === 'created') entry.replaces = lost;
  else if (lost) ctx.journal.remove(lost); // this page's own record of the file takes over
  ctx.table.add(entry);
  ctx.toCreate.push(entry);
  ctx.emit('mixpeek-file-added', { file: snapshotOf(entry) });
  return entry;
}

/**
 * A file picked without a folder path whose name, size and date are those of a file in the
 * list: two picks from two folders give exactly that, so it is a duplicate only if its bytes
 * are the same too, as far as its journal fingerprint (size, first and last 64 KiB) tells.
 * Added or refused once that is read (a run under way waits for it); an unreadable file is
 * added, and fails with the reason when its upload reads it.
 * Returns false, checking nothing, when no file in the list has bytes to compare (an upload
 * from before a reload) or when this very `File` is in the list or being compared.
 */
function compareContent(ctx: EngineContext, file: File, candidate: Candidate): boolean {
  const key = duplicateKey(candidate);
  const listed = () => [...ctx.table.listed.get(key)].flatMap((e) => (e.info.file ? [e.info.file] : []));
  const comparing = () => [...(ctx.comparing.get(key) ?? [])]; // compared meanwhile: may join the list
  const fingerprints = new Map([...ctx.table.listed.get(key)].map((e) => [e.info.file, e.fingerprint]));
  const others = [...listed(), ...comparing()];
  // Nothing to compare with (an upload from before a reload), or this very File: refused at once.
  if (others.length === 0 || others.includes(file)) return false;
  const epoch = ctx.checkEpoch;
  const compared = (async () => {
    const read = (f: File) => fingerprintOf(ctx, f, candidate.relativePath).catch(() => undefined);
    const mine = await read(file);
    const theirs = await Promise.all(others.map((f) => fingerprints.get(f)?.catch(() => undefined) ?? read(f)));
    if (epoch !== ctx.checkEpoch) return; // cancel() or clear() meanwhile
    // Against the files still there now (some may have been removed meanwhile, or added again).
    const there = new Set([...listed(), ...comparing()]);
    const same = listed().includes(file) || others.some((f, i) => there.has(f) && mine !== undefined && theirs[i] === mine);
    const rejection = same
      ? { code: 'duplicate' as const, message: `"${candidate.relativePath}" is already in the list.` }
      : check(ctx, candidate, new Set());
    if (rejection) {
      ctx.emit('mixpeek-file-rejected', { name: file.name, size: file.size, ...rejection });
      return;
    }
    const entry = accept(ctx, file, candidate);
    ctx.journal.recordQueued([entry]);
    ctx.changed();
    ctx.onAdded();
  })();
  const set = ctx.comparing.get(key);
  if (set) set.add(file);
  else ctx.comparing.set(key, new Set([file]));
  void compared.finally(() => {
    const now = ctx.comparing.get(key);
    if (now?.delete(file) && now.size === 0) ctx.comparing.delete(key);
    ctx.pump(); // a run may have waited for it
  });
  return true;
}
