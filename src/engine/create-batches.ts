/**
 * Creating uploads, in order: for files whose turn is near (the scheduler sizes the batch; see
 * url-lifetime.ts), uploads from before a reload reused, 'auto''s question asked, files whose
 * `file_hash` goes with the create hashed first, then one batch create (create-request.ts),
 * with the other files' hashing started once it is sent.
 */
import { messageOf } from '../errors.ts';
import type { EngineContext } from './context.ts';
import { DeferredLoadError, loadCreateRequest, loadDuplicateCheck, loadUppyTransfer, loadWorkerHasher } from './deferred.ts';
import { creatingNow, type Entry } from './entry.ts';
import { hash } from './hashing.ts';
import { reuseLiveUploads } from './recovered.ts';

/** The first part loaded on demand (Uppy, the hashing pool, the duplicate check, the create request) that cannot be loaded, if any. */
export async function missingPart(ctx: EngineContext): Promise<DeferredLoadError | undefined> {
  const { createTransfer, hasher } = ctx.options;
  try {
    await Promise.all([
      createTransfer ? undefined : loadUppyTransfer(),
      hasher ? undefined : loadWorkerHasher(),
      loadDuplicateCheck(),
      loadCreateRequest(),
    ]);
    return undefined;
  } catch (error) {
    return error instanceof DeferredLoadError ? error : new DeferredLoadError(messageOf(error));
  }
}

/** Creates the uploads of `entries` (one batch) and queues each file for its PUT. */
export async function create(ctx: EngineContext, entries: Entry[]): Promise<void> {
  ctx.creating = true;
  for (const e of entries) ctx.setStatus(e, 'creating');
  try {
    const missing = await missingPart(ctx);
    if (missing) {
      // No upload is created for files whose transfer or hash cannot run (a chunk is missing).
      for (const e of entries) ctx.fail(e, 'upload-failed', missing);
      return;
    }
    const [{ askFirst, hashFirstRule, skipIfKnown }, { createBatch }] = await Promise.all([loadDuplicateCheck(), loadCreateRequest()]);
    entries = (await reuseLiveUploads(ctx, entries.filter(creatingNow))).filter(creatingNow);
    // 'auto' may first ask about a few files alone; the rest waits for that answer.
    entries = await askFirst(ctx, entries, (asking) => createBatch(ctx, asking, skipIfKnown));
    if (entries.length === 0) return;
    // Files whose SHA-256 goes with the create are hashed first (MD5 and SHA-256 in one
    // reading); the others start hashing once the create is sent, not with the PUT: the pool
    // works through the batch in order while URLs come and PUTs run, so the last hashes do not
    // trail the last PUTs. Not before it is sent: starting workers would hold the request up.
    const first = new Set(entries.filter(hashFirstRule(ctx)));
    if (first.size > 0) await Promise.all([...first].map((e) => hash(ctx, e, { sha256: true })));
    entries = entries.filter(creatingNow); // unreadable ones failed, canceled ones left
    if (entries.length === 0) return;
    await createBatch(ctx, entries, skipIfKnown, (sent) => {
      for (const e of sent) if (!first.has(e)) void hash(ctx, e);
    });
  } finally {
    ctx.creating = false;
    ctx.changed();
    ctx.pump();
  }
}
