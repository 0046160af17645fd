/**
 * Command-line spellings of faults for `npm run emulator`: `--faults '<json>'` (the body of
 * `POST /_emulator/faults`) plus shorthand flags merged into it.
 */
import { FaultsValidationError, parseFaults, type Faults } from './faults.ts';

/** Fault flags as given on the command line (each optional). */
export interface FaultFlags {
  /** `--faults '<json>'`: a whole fault set. */
  faults?: string;
  /** `--fault-rate-limit ROUTE:TIMES[:RETRY_AFTER_S]`, repeatable; appended to `rateLimit`. */
  rateLimit?: string[];
  /** `--fault-put-failures TIMES:MODE` (MODE `500` or `cut`). */
  putFailures?: string;
  /** `--fault-latency-ms API_MS[:STORAGE_MS]` (one number: both). */
  latencyMs?: string;
}

const number = (text: string, flag: string): number => {
  if (!/^\d+(\.\d+)?$/.test(text)) throw new FaultsValidationError(`${flag}: '${text}' is not a non-negative number`);
  return Number(text);
};

/**
 * The fault set the flags describe, validated with {@link parseFaults}; undefined when no
 * fault flag was given. Throws {@link FaultsValidationError} on malformed input.
 */
export function faultsFromFlags(flags: FaultFlags): Faults | undefined {
  let raw: Record<string, unknown> = {};
  let any = false;
  if (flags.faults !== undefined) {
    any = true;
    try {
      raw = (JSON.parse(flags.faults) ?? {}) as Record<string, unknown>;
    } catch (err) {
      throw new FaultsValidationError(`--faults: not JSON (${(err as Error).message})`);
    }
    parseFaults(raw); // reject a non-object before merging into it
  }
  if (flags.rateLimit && flags.rateLimit.length > 0) {
    any = true;
    const entries = flags.rateLimit.map((spec) => {
      const [route, times, retryAfter, extra] = spec.split(':');
      if (!route || times === undefined || extra !== undefined) {
        throw new FaultsValidationError(`--fault-rate-limit: '${spec}' is not ROUTE:TIMES[:RETRY_AFTER_S]`);
      }
      return {
        route,
        times: number(times, '--fault-rate-limit'),
        retryAfter: retryAfter === undefined || retryAfter === '' ? null : number(retryAfter, '--fault-rate-limit'),
      };
    });
    raw.rateLimit = [...(Array.isArray(raw.rateLimit) ? raw.rateLimit : []), ...entries];
  }
  if (flags.putFailures !== undefined) {
    any = true;
    const [times, mode, extra] = flags.putFailures.split(':');
    if (times === undefined || mode === undefined || extra !== undefined) {
      throw new FaultsValidationError(`--fault-put-failures: '${flags.putFailures}' is not TIMES:MODE`);
    }
    raw.putFailures = { times: number(times, '--fault-put-failures'), mode };
  }
  if (flags.latencyMs !== undefined) {
    any = true;
    const [api, storage, extra] = flags.latencyMs.split(':');
    if (api === undefined || extra !== undefined) {
      throw new FaultsValidationError(`--fault-latency-ms: '${flags.latencyMs}' is not API_MS[:STORAGE_MS]`);
    }
    const apiMs = number(api, '--fault-latency-ms');
    raw.latencyMs = { api: apiMs, storage: storage === undefined ? apiMs : number(storage, '--fault-latency-ms') };
  }
  return any ? parseFaults(raw) : undefined;
}
