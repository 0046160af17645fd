/**
 * Fault injection for the emulator: the {@link Faults} a test can switch on (over HTTP with
 * `POST /_emulator/faults`, or with `emulator.setFaults()`), and their validation.
 *
 * Not Mixpeek: Mixpeek has no such switches. The faults model what a browser uploader meets in
 * the field: rate limits, failing or cut PUTs, expired URLs, partial task failures, a CORS
 * setup that hides the ETag, corrupted objects, latency and a lost network.
 */

/**
 * API routes a rate-limit fault can target: `create` = single and batch create, `confirm` =
 * single and batch confirm, `task` = `GET /v1/tasks/{id}`, `get` = `GET` one upload, `delete` =
 * `DELETE` one upload, `list` = `POST …/uploads/list`, `any` = each of those.
 */
export type RateLimitRoute = 'create' | 'confirm' | 'task' | 'get' | 'delete' | 'list' | 'any';

/** An API route as classified for rate limiting (every {@link RateLimitRoute} but `any`). */
export type ApiRoute = Exclude<RateLimitRoute, 'any'>;

/** The next `times` calls of `route` answer 429 `TooManyRequestsError`. */
export interface RateLimitFault {
  route: RateLimitRoute;
  /** How many calls are refused (a count, ≥ 0). */
  times: number;
  /**
   * Seconds sent in the `Retry-After` header and in `error.details.retry_after` (a whole number
   * ≥ 0). Null or absent: no `Retry-After` header, and `details.retry_after` is null.
   */
  retryAfter?: number | null;
}

/** How a failing storage PUT fails: `'500'` answers S3's `InternalError`, `'cut'` drops the connection midway. */
export type PutFailureMode = '500' | 'cut';

/** The next `times` valid, signed storage PUTs fail without storing anything. */
export interface PutFailuresFault {
  /** How many PUTs fail (a count, ≥ 0). */
  times: number;
  mode: PutFailureMode;
}

/** Terminal statuses a batch-confirm task can be forced into. */
export type ForcedTaskStatus = 'FAILED' | 'COMPLETED_WITH_ERRORS' | 'CANCELED';

/** How batch-confirm tasks end (captured when each task is accepted). */
export interface TaskOutcomeFault {
  /** Uploads whose `upload_id` or `filename` is a key fail with the value as their reason. */
  fail?: Record<string, string>;
  /**
   * Forces the terminal status of every batch-confirm task. `FAILED`: every item fails.
   * `CANCELED`: no item is confirmed; the uploads go back to PENDING and may be confirmed again.
   * `COMPLETED_WITH_ERRORS`: items are checked as usual, only the status is forced.
   */
  status?: ForcedTaskStatus;
  /** Leaves `outputs` null and `additional_data.errors` empty even when the task is terminal. */
  omitOutputs?: boolean;
  /**
   * Keeps confirm tasks (batch and async single confirms) PROCESSING, and their uploads
   * PROCESSING, for as long as the fault set in force says `hold: true`: unlike the other
   * fields, it is read at each task step, not captured at acceptance. Tasks end as usual once
   * the fault set is replaced by one without it. Stands for Mixpeek processing that outlasts a
   * page.
   */
  hold?: boolean;
}

/** Extra delay before each response, in ms. */
export interface LatencyFault {
  /** ms before each API response (not the `/_emulator/*` control routes). */
  api?: number;
  /** ms before each storage response. */
  storage?: number;
}

/** The network goes away: every connection to both servers is dropped for `forMs`. */
export interface OfflineFault {
  /** How long, in ms of real time, from when the fault is set. */
  forMs: number;
}

/**
 * A fault set; every field is optional, and setting a fault set replaces the previous one
 * (`{}` clears all). Body of `POST /_emulator/faults`.
 */
export interface Faults {
  /** 429s for the next calls of some routes; entries are used in order, first match first. */
  rateLimit?: RateLimitFault[];
  /** The next storage PUTs fail. */
  putFailures?: PutFailuresFault;
  /**
   * Seconds presigned URLs issued from now on live (a whole number, 1–604800), overriding the
   * requested `presigned_url_expiration` (and may be below Mixpeek's 60 s minimum). As for every
   * URL, the lifetime counts from the whole second of issue (SigV4 dates have 1 s resolution).
   */
  presignedUrlTtlSeconds?: number;
  /** How batch-confirm tasks end. */
  taskOutcome?: TaskOutcomeFault;
  /** Storage PUT responses carry no `ETag` header. */
  omitEtag?: boolean;
  /**
   * Upload filenames whose stored bytes are altered after a successful PUT (the first byte is
   * inverted; an empty object gains one byte). The PUT answers the ETag of the bytes received;
   * a confirm with that ETag then fails with an ETag mismatch. Applies to every matching PUT
   * until the fault set is replaced.
   */
  corrupt?: string[];
  /** Extra delay per response. */
  latencyMs?: LatencyFault;
  /** The network goes away for a while. */
  offline?: OfflineFault;
  /**
   * Creates answer as if no upload had the `file_hash` they send: a new upload with a presigned
   * URL, never `is_duplicate` (a Mixpeek that does not find, or does not check, the hash).
   */
  unknownFileHash?: boolean;
  /**
   * Bytes per second that all storage PUTs together receive at most, as over one uplink
   * (100 Mbit/s = 12500000). For the bench: sending time that depends on bytes, not on loopback.
   */
  uplinkBytesPerSecond?: number;
}

/**
 * The current fault set, as `GET /_emulator/faults` answers it: a {@link Faults} whose `times`
 * are what is left (0 once used up), and whose `offline` also tells the ms left of the window.
 */
export interface FaultsState extends Omit<Faults, 'offline'> {
  offline?: OfflineFault & {
    /** ms of real time left in the offline window (0 once it is over). */
    remainingMs: number;
  };
}

/**
 * Which fault shaped a request, as the request log's `fault` field tells: `rateLimit` (a 429),
 * `putFailure` (a PUT answered 500 or cut), `omitEtag` (a PUT answered without `ETag`),
 * `corrupt` (a PUT whose stored bytes were altered), `offline` (a connection dropped).
 */
export type FaultName = 'rateLimit' | 'putFailure' | 'omitEtag' | 'corrupt' | 'offline';

/** A fault set that does not validate; `message` names the field. */
export class FaultsValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultsValidationError';
  }
}

const RATE_LIMIT_ROUTES: readonly RateLimitRoute[] = ['create', 'confirm', 'task', 'get', 'delete', 'list', 'any'];
const PUT_FAILURE_MODES: readonly PutFailureMode[] = ['500', 'cut'];
const FORCED_STATUSES: readonly ForcedTaskStatus[] = ['FAILED', 'COMPLETED_WITH_ERRORS', 'CANCELED'];
/** Largest SigV4 query-string lifetime, s (X-Amz-Expires ≤ 604800, one week). */
const MAX_TTL_S = 604800;
/** Fastest uplink accepted, bytes per second (100 Gbit/s; emulator's choice). */
const MAX_UPLINK_BYTES_PER_SECOND = 12_500_000_000;
/** Largest latency or offline window accepted, ms (one hour; emulator's choice). */
const MAX_MS = 3_600_000;

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The object at `where`, with only `allowed` keys; throws otherwise. */
function object(value: unknown, where: string, allowed: readonly string[]): Obj {
  if (!isObject(value)) throw new FaultsValidationError(`${where} must be an object`);
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new FaultsValidationError(`${where} has an unknown field '${key}' (known: ${allowed.join(', ')})`);
  }
  return value;
}

function integer(value: unknown, where: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new FaultsValidationError(`${where} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function millis(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_MS) {
    throw new FaultsValidationError(`${where} must be a number of ms from 0 to ${MAX_MS}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function oneOf<T extends string>(value: unknown, where: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new FaultsValidationError(`${where} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

function boolean(value: unknown, where: string): boolean {
  if (typeof value !== 'boolean') throw new FaultsValidationError(`${where} must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

/** Present and not null. */
const given = (o: Obj, key: string): boolean => o[key] !== undefined && o[key] !== null;

function parseRateLimit(value: unknown): RateLimitFault[] {
  if (!Array.isArray(value)) throw new FaultsValidationError('rateLimit must be an array');
  return value.map((raw, i) => {
    const where = `rateLimit[${i}]`;
    const o = object(raw, where, ['route', 'times', 'retryAfter']);
    return {
      route: oneOf(o.route, `${where}.route`, RATE_LIMIT_ROUTES),
      times: integer(o.times, `${where}.times`, 0, Number.MAX_SAFE_INTEGER),
      retryAfter: given(o, 'retryAfter') ? integer(o.retryAfter, `${where}.retryAfter`, 0, 86400) : null,
    };
  });
}

function parseTaskOutcome(value: unknown): TaskOutcomeFault {
  const o = object(value, 'taskOutcome', ['fail', 'status', 'omitOutputs', 'hold']);
  const out: TaskOutcomeFault = {};
  if (given(o, 'fail')) {
    const fail = object(o.fail, 'taskOutcome.fail', Object.keys(o.fail as Obj));
    out.fail = {};
    for (const [key, reason] of Object.entries(fail)) {
      if (typeof reason !== 'string') throw new FaultsValidationError(`taskOutcome.fail['${key}'] must be a string (the failure reason)`);
      out.fail[key] = reason;
    }
  }
  if (given(o, 'status')) out.status = oneOf(o.status, 'taskOutcome.status', FORCED_STATUSES);
  if (given(o, 'omitOutputs')) out.omitOutputs = boolean(o.omitOutputs, 'taskOutcome.omitOutputs');
  if (given(o, 'hold')) out.hold = boolean(o.hold, 'taskOutcome.hold');
  return out;
}

/**
 * Validates a fault set (the body of `POST /_emulator/faults`) and returns a copy of it.
 * `undefined` is the empty set; a field that is null counts as absent; unknown fields are
 * refused. Throws {@link FaultsValidationError} naming the first bad field.
 */
export function parseFaults(input: unknown): Faults {
  if (input === undefined || input === null) return {};
  const o = object(input, 'faults', [
    'rateLimit',
    'putFailures',
    'presignedUrlTtlSeconds',
    'taskOutcome',
    'omitEtag',
    'corrupt',
    'latencyMs',
    'offline',
    'unknownFileHash',
    'uplinkBytesPerSecond',
  ]);
  const faults: Faults = {};
  if (given(o, 'rateLimit')) faults.rateLimit = parseRateLimit(o.rateLimit);
  if (given(o, 'putFailures')) {
    const p = object(o.putFailures, 'putFailures', ['times', 'mode']);
    faults.putFailures = {
      times: integer(p.times, 'putFailures.times', 0, Number.MAX_SAFE_INTEGER),
      // A bare number 500 is accepted for '500'.
      mode: oneOf(p.mode === 500 ? '500' : p.mode, 'putFailures.mode', PUT_FAILURE_MODES),
    };
  }
  if (given(o, 'presignedUrlTtlSeconds')) {
    faults.presignedUrlTtlSeconds = integer(o.presignedUrlTtlSeconds, 'presignedUrlTtlSeconds', 1, MAX_TTL_S);
  }
  if (given(o, 'taskOutcome')) faults.taskOutcome = parseTaskOutcome(o.taskOutcome);
  if (given(o, 'omitEtag')) faults.omitEtag = boolean(o.omitEtag, 'omitEtag');
  if (given(o, 'corrupt')) {
    if (!Array.isArray(o.corrupt) || !o.corrupt.every((f) => typeof f === 'string')) {
      throw new FaultsValidationError('corrupt must be an array of filenames (strings)');
    }
    faults.corrupt = [...(o.corrupt as string[])];
  }
  if (given(o, 'latencyMs')) {
    const l = object(o.latencyMs, 'latencyMs', ['api', 'storage']);
    faults.latencyMs = {};
    if (given(l, 'api')) faults.latencyMs.api = millis(l.api, 'latencyMs.api');
    if (given(l, 'storage')) faults.latencyMs.storage = millis(l.storage, 'latencyMs.storage');
  }
  if (given(o, 'uplinkBytesPerSecond')) {
    faults.uplinkBytesPerSecond = integer(o.uplinkBytesPerSecond, 'uplinkBytesPerSecond', 1, MAX_UPLINK_BYTES_PER_SECOND);
  }
  if (given(o, 'unknownFileHash')) faults.unknownFileHash = boolean(o.unknownFileHash, 'unknownFileHash');
  if (given(o, 'offline')) {
    const off = object(o.offline, 'offline', ['forMs']);
    faults.offline = { forMs: millis(off.forMs, 'offline.forMs') };
  }
  return faults;
}
