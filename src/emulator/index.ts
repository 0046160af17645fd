/**
 * A local Mixpeek-compatible bucket-upload API with real S3-compatible object storage, for the
 * demo and the tests. Start it with {@link startEmulator}; `npm run emulator` runs it from the
 * command line (src/emulator/cli.ts).
 *
 * The wire protocol follows Mixpeek's public OpenAPI document, API version 0.81 (upload routes
 * under `/v1/buckets/{bucket_identifier}/uploads…` and `GET /v1/tasks/{task_id}`). Presigned
 * URLs are real SigV4 URLs for an in-process s3rver, and the storage front verifies them.
 *
 * Faults (429s, failing or cut PUTs, short-lived URLs, task outcomes, a missing ETag, corrupted
 * objects, latency, a lost network) are switched on with {@link Emulator.setFaults}, the
 * `faults` option or `POST /_emulator/faults`; see {@link Faults}.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMULATOR_DEFAULTS } from './defaults.ts';
import { FaultInjector } from './fault-injector.ts';
import { parseFaults, type Faults, type FaultsState } from './faults.ts';
import { startApiServer } from './server.ts';
import { startStorage } from './storage.ts';
import { UploadStore } from './store.ts';
import type { EmulatorRequestLogEntry } from './types.ts';

export type { EmulatorRequestLogEntry } from './types.ts';
export type {
  FaultName,
  Faults,
  FaultsState,
  ForcedTaskStatus,
  LatencyFault,
  OfflineFault,
  PutFailureMode,
  PutFailuresFault,
  RateLimitFault,
  RateLimitRoute,
  TaskOutcomeFault,
} from './faults.ts';
export { EMULATOR_DEFAULTS } from './defaults.ts';
export { FaultsValidationError } from './faults.ts';

/** Options of {@link startEmulator}; every field is optional. */
export interface EmulatorOptions {
  /** Interface to listen on. Default `'127.0.0.1'`. */
  host?: string;
  /** API port; default 0 (an ephemeral port). */
  port?: number;
  /** Storage port; default 0 (an ephemeral port). */
  storagePort?: number;
  /** The only accepted `Authorization: Bearer` token. Default `'sk_emulator_local_key'`. */
  apiKey?: string;
  /** The required `X-Namespace` value on bucket routes. Default `'demo'`. */
  namespace?: string;
  /** Bucket identifiers that exist; others are 404. Default `['demo']`. */
  buckets?: string[];
  /** Origins the API answers CORS for (the Origin is reflected), or `'*'` for any. Default `'*'`. */
  corsOrigins?: string[] | '*';
  /**
   * Plan size limit in bytes, enforced at create (declared size) and at confirm (stored size).
   * Default 5 GiB (5368709120), Mixpeek's "pro" tier limit (Mixpeek OpenAPI 0.81,
   * `CreateUploadRequest.file_size_bytes`: 100 MB free / 5 GB pro / 50 GB enterprise).
   */
  maxFileSizeBytes?: number;
  /**
   * Stored size in bytes from which a single (non-batch) confirm runs asynchronously even
   * without `?async=true`. Default 100 MiB (104857600): Mixpeek OpenAPI 0.81, confirm route,
   * "files ≥ 100MB" run asynchronously (whether MB means 10^6 or 2^20 is not stated).
   */
  asyncConfirmThresholdBytes?: number;
  /**
   * Unique keys by bucket id: the `object_metadata` fields whose values name one object (Mixpeek
   * OpenAPI 0.81, `UniqueKeyConfig`). A create whose `object_metadata` has values for all of them
   * equal to those of a COMPLETED upload's object answers `skipped_unique_key: true`,
   * `existing_object_id` and no presigned URL. Default: none.
   */
  uniqueKeys?: Record<string, string[]>;
  /** ms per task state step, PENDING → PROCESSING → terminal. Default 300. */
  taskStepMs?: number;
  /** ms a synchronous confirm spends processing before it answers, as Mixpeek's "about 100 ms". Default 0. */
  syncConfirmMs?: number;
  /** Directory for stored objects. Default: a fresh temporary directory, removed on close. */
  storageDir?: string;
  /** Current time in ms since the Unix epoch; override to test expiry. Default `Date.now`. */
  clock?: () => number;
  /** Receives one line per request (`METHOD path status ms`). Default: silent. */
  log?: (line: string) => void;
  /**
   * Faults in force from the start (an `offline` window starts when the servers do). Default:
   * none. Validated like {@link Emulator.setFaults}.
   */
  faults?: Faults;
  /**
   * A secret the `/_emulator/*` control routes then require in the `X-Emulator-Token` header.
   * Default: none. Either way they answer only pages on loopback origins (`localhost`,
   * `127.0.0.1`, `[::1]`), never with credentials.
   */
  controlToken?: string;
}

/** A running emulator. */
export interface Emulator {
  /** API base URL, e.g. `http://127.0.0.1:8787`. */
  apiUrl: string;
  /** Storage base URL (presigned URLs point here), e.g. `http://127.0.0.1:8788`. */
  storageUrl: string;
  apiKey: string;
  namespace: string;
  buckets: string[];
  /** Every API, storage and control request, in order of completion (a live array). */
  requests: EmulatorRequestLogEntry[];
  /** Forgets uploads, tasks, stored objects, the request log and the faults (buckets stay). */
  reset(): void;
  /**
   * Replaces the fault set (`{}` clears all) and returns the new state; same as
   * `POST /_emulator/faults`. Throws `FaultsValidationError` naming a bad field.
   */
  setFaults(faults: Faults): FaultsState;
  /** The current fault set with the counters left; same as `GET /_emulator/faults`. */
  faults(): FaultsState;
  /** Stops both servers and removes the temporary storage directory, if it made one. */
  close(): Promise<void>;
}

/** Formats a log entry as one line: `METHOD path status ms`. */
export function formatLogLine(entry: EmulatorRequestLogEntry): string {
  return `${entry.method} ${entry.path} ${entry.status} ${Math.round(entry.durationMs)}ms`;
}

/** Starts the storage and API servers. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? EMULATOR_DEFAULTS.host;
  const apiKey = options.apiKey ?? EMULATOR_DEFAULTS.apiKey;
  const namespace = options.namespace ?? EMULATOR_DEFAULTS.namespace;
  const buckets = [...(options.buckets ?? EMULATOR_DEFAULTS.buckets)];
  const clock = options.clock ?? Date.now;
  for (const [bucket, fields] of Object.entries(options.uniqueKeys ?? {})) {
    if (!buckets.includes(bucket))
      throw new Error(`uniqueKeys names bucket '${bucket}', which is not one of the emulator's buckets (${buckets.join(', ')})`);
    if (fields.length === 0) throw new Error(`uniqueKeys['${bucket}'] names no field`);
  }
  // Validated before anything starts, switched on once both servers listen.
  const initialFaults = options.faults === undefined ? undefined : parseFaults(options.faults);
  let store: UploadStore | undefined;
  const faults = new FaultInjector({ filenameOf: (uploadId) => store?.findUpload(uploadId)?.filename });
  const ownsDir = options.storageDir === undefined;
  const directory = options.storageDir ?? (await mkdtemp(join(tmpdir(), 'mixpeek-emulator-')));

  const requests: EmulatorRequestLogEntry[] = [];
  let seq = 0;
  const onRequest = (entry: Omit<EmulatorRequestLogEntry, 'seq'>): void => {
    const full: EmulatorRequestLogEntry = { seq: ++seq, ...entry };
    requests.push(full);
    options.log?.(formatLogLine(full));
  };

  let storage: Awaited<ReturnType<typeof startStorage>>;
  try {
    storage = await startStorage({ host, port: options.storagePort ?? 0, directory, clock, onRequest, faults });
  } catch (err) {
    if (ownsDir) await rm(directory, { recursive: true, force: true });
    throw err;
  }
  const uploads = new UploadStore({
    storage,
    namespace,
    clock,
    taskStepMs: options.taskStepMs ?? EMULATOR_DEFAULTS.taskStepMs,
    syncConfirmMs: options.syncConfirmMs ?? EMULATOR_DEFAULTS.syncConfirmMs,
    maxFileSizeBytes: options.maxFileSizeBytes ?? EMULATOR_DEFAULTS.maxFileSizeBytes,
    asyncConfirmThresholdBytes: options.asyncConfirmThresholdBytes ?? EMULATOR_DEFAULTS.asyncConfirmThresholdBytes,
    faults,
    uniqueKeys: structuredClone(options.uniqueKeys ?? {}),
  });
  store = uploads;
  const reset = (): void => {
    uploads.reset();
    storage.clear();
    faults.clear();
    requests.length = 0;
    seq = 0;
  };

  let api: Awaited<ReturnType<typeof startApiServer>>;
  try {
    api = await startApiServer({
      host,
      port: options.port ?? 0,
      apiKey,
      namespace,
      buckets,
      corsOrigins: options.corsOrigins ?? '*',
      store: uploads,
      clock,
      storageUrl: storage.url,
      requests: () => requests,
      reset,
      faults,
      onRequest,
      controlToken: options.controlToken,
    });
  } catch (err) {
    await storage.close();
    if (ownsDir) await rm(directory, { recursive: true, force: true });
    throw err;
  }
  const apiServer = api;
  if (initialFaults) faults.set(initialFaults);

  let closed = false;
  return {
    apiUrl: apiServer.url,
    storageUrl: storage.url,
    apiKey,
    namespace,
    buckets,
    requests,
    reset,
    setFaults: (next) => faults.set(next),
    faults: () => faults.state(),
    async close() {
      if (closed) return;
      closed = true;
      faults.clear();
      uploads.close();
      await Promise.all([apiServer.close(), storage.close()]);
      if (ownsDir) await rm(directory, { recursive: true, force: true });
    },
  };
}
