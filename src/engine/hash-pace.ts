/**
 * How far a file's MD5 may read while its PUT runs: {@link HASH_AHEAD_OF_PUT} past the bytes the
 * PUT has sent, and all of the file once it is stored. Hashing at full speed beside a PUT takes
 * the CPU the transfer needs at the same moment; paced, the MD5 still ends with the PUT
 * whenever hashing is faster than the link, and where it is slower the pace does not hold it
 * back while the PUT runs. A file whose PUT has not started is hashed 16 MiB in, no further.
 */
import type { HashPace } from '../hash/hasher.ts';

/**
 * Bytes the MD5 may run ahead of the PUT: more than a link of a few Gbit/s sends between two
 * upload progress events (about 50 ms apart in Chromium), so the hashing worker is not left
 * waiting for the next one.
 */
export const HASH_AHEAD_OF_PUT = 16 * 1024 * 1024;

/** A file's {@link HashPace}, moved on by its PUT's progress. */
export interface PutPace extends HashPace {
  /** The PUT has sent `bytes` (a PUT tried again starts from 0: the furthest it got counts). */
  sent(bytes: number): void;
  /** Nothing holds the hashing back any more (the file is stored). */
  release(): void;
}

/**
 * A new {@link PutPace}: {@link HASH_AHEAD_OF_PUT} bytes allowed, raised as its PUT reports bytes
 * sent (in steps of a quarter of the lead) and to `Infinity` by `release()`.
 */
export function putPace(): PutPace {
  let allowed = HASH_AHEAD_OF_PUT;
  const listeners = new Set<() => void>();
  const raise = (to: number) => {
    allowed = to;
    for (const listener of listeners) listener();
  };
  return {
    allowed: () => allowed,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    // Told only when it moves by a quarter of the lead: progress events come far more often.
    sent: (bytes) => bytes + HASH_AHEAD_OF_PUT >= allowed + HASH_AHEAD_OF_PUT / 4 && raise(bytes + HASH_AHEAD_OF_PUT),
    release: () => allowed < Infinity && raise(Infinity),
  };
}
