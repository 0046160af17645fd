/**
 * The live fault set of one emulator: what the API server, the storage front and the upload
 * store ask before doing their normal work. Counters (`times`) go down as faults are used.
 */
import type { Socket } from 'node:net';
import { parseFaults, type ApiRoute, type Faults, type FaultsState, type PutFailureMode, type TaskOutcomeFault } from './faults.ts';
import { uploadIdFromKey } from './keys.ts';
import { OfflineSwitch } from './offline.ts';

/** A rate-limit hit: answer 429, with `Retry-After: retryAfter` (seconds) unless null. */
export interface RateLimitHit {
  /** Seconds, or null for no `Retry-After` header. */
  retryAfter: number | null;
}

/** Options of {@link FaultInjector}. */
export interface FaultInjectorOptions {
  /** The filename of an upload, by upload id (for `corrupt`, which names filenames). */
  filenameOf?: (uploadId: string) => string | undefined;
}

/** Holds the current {@link Faults} and hands them out. */
export class FaultInjector {
  /** Drops connections during an `offline` window; servers {@link OfflineSwitch.attach} to it. */
  readonly offline = new OfflineSwitch();
  private current: Faults = {};
  private readonly listeners: (() => void)[] = [];

  constructor(private readonly options: FaultInjectorOptions = {}) {}

  /**
   * Replaces the fault set (validated with {@link parseFaults}; throws
   * `FaultsValidationError`). An `offline` fault opens its window now; `spare` is a connection
   * not to drop before its pending response (the control request that set the faults).
   * Returns the new state.
   */
  set(faults: unknown, spare?: Socket): FaultsState {
    const parsed = parseFaults(faults);
    this.current = parsed;
    this.offline.stop();
    if (parsed.offline) this.offline.start(parsed.offline.forMs, spare);
    for (const listener of this.listeners) listener();
    return this.state();
  }

  /** Clears every fault (and ends an offline window). */
  clear(): void {
    this.set({});
  }

  /** Calls `listener` after every {@link set} and {@link clear}. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** The current fault set with what is left of its counters. */
  state(): FaultsState {
    const { offline: _offline, ...rest } = structuredClone(this.current);
    const state: FaultsState = rest;
    const window = this.offline.window();
    if (window) state.offline = window;
    return state;
  }

  /** Uses one matching rate-limit entry for a call of `route`, or returns null (no 429). */
  takeRateLimit(route: ApiRoute): RateLimitHit | null {
    const entry = this.current.rateLimit?.find((e) => e.times > 0 && (e.route === route || e.route === 'any'));
    if (!entry) return null;
    entry.times -= 1;
    return { retryAfter: entry.retryAfter ?? null };
  }

  /** Uses one storage-PUT failure, or returns null (the PUT proceeds). */
  takePutFailure(): PutFailureMode | null {
    const p = this.current.putFailures;
    if (!p || p.times <= 0) return null;
    p.times -= 1;
    return p.mode;
  }

  /**
   * True while a `'cut'` PUT failure is still to come. The storage then answers everything with
   * `Connection: close` and drops idle keep-alive connections, so the cut PUT travels on a fresh
   * connection: Chrome silently resends a request that fails on a reused keep-alive connection
   * before any response, which would hide the cut from the page.
   */
  cutArmed(): boolean {
    const p = this.current.putFailures;
    return p !== undefined && p.mode === 'cut' && p.times > 0;
  }

  /** Seconds new presigned URLs live, when overridden. */
  presignedUrlTtlSeconds(): number | undefined {
    return this.current.presignedUrlTtlSeconds;
  }

  /** A copy of the batch-confirm task outcome fault, if any (captured when a task is accepted). */
  taskOutcome(): TaskOutcomeFault | undefined {
    return this.current.taskOutcome === undefined ? undefined : structuredClone(this.current.taskOutcome);
  }

  /** True when creates must answer as if no upload had the `file_hash` they send. */
  unknownFileHash(): boolean {
    return this.current.unknownFileHash === true;
  }

  /** Bytes per second all storage PUTs together may receive, when limited. */
  uplinkBytesPerSecond(): number | undefined {
    return this.current.uplinkBytesPerSecond;
  }

  /** True when storage PUT responses must carry no `ETag`. */
  omitEtag(): boolean {
    return this.current.omitEtag === true;
  }

  /** True when the object at `key` (an object key or storage path) must be corrupted after its PUT. */
  corruptsKey(key: string): boolean {
    const list = this.current.corrupt;
    if (!list || list.length === 0) return false;
    const uploadId = uploadIdFromKey(key);
    const filename = uploadId === undefined ? undefined : this.options.filenameOf?.(uploadId);
    return filename !== undefined && list.includes(filename);
  }

  /** ms to wait before answering an API (`'api'`) or storage (`'storage'`) request. */
  latencyMs(side: 'api' | 'storage'): number {
    return this.current.latencyMs?.[side] ?? 0;
  }
}
