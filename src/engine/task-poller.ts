/**
 * Follows one Mixpeek task (`GET /v1/tasks/{task_id}`) until it ends: the first poll soon after
 * the confirm is accepted, then waits doubling up to a ceiling (Mixpeek's task docs ask for
 * backoff). Cancellable.
 */
import { TERMINAL_TASK_STATUSES, type TaskResponse } from '../api/types.ts';
import { sleep } from '../sleep.ts';

export interface PollOptions {
  /** Wait before the first poll, ms. */
  first: number;
  /** Longest wait between two polls, ms. */
  max: number;
  /** Growth of the wait per poll. Default 2. */
  factor?: number | undefined;
  /** Stops polling: the promise rejects with an `AbortError`. */
  signal?: AbortSignal | undefined;
  /** Called with every status read that differs from the last one. */
  onStatus?: ((status: string) => void) | undefined;
}

/** The waits before each poll, ms: `first`, then ×`factor` up to `max`. */
export function* pollDelays({ first, max, factor = 2 }: Pick<PollOptions, 'first' | 'max' | 'factor'>): Generator<number> {
  let delay = Math.max(0, first);
  for (;;) {
    yield delay;
    delay = Math.min(Math.max(delay * factor, 1), max);
  }
}

/**
 * Polls `get(taskId)` until the task reaches a terminal status (`TERMINAL_TASK_STATUSES`:
 * COMPLETED, COMPLETED_WITH_ERRORS, FAILED, CANCELED, SKIPPED) and resolves with it. Rejects
 * with what `get` throws (a task Mixpeek no longer has answers 404), or an `AbortError`.
 */
export async function pollTask(
  get: (taskId: string, signal?: AbortSignal) => Promise<TaskResponse>,
  taskId: string,
  options: PollOptions,
): Promise<TaskResponse> {
  let last: string | undefined;
  for (const delay of pollDelays(options)) {
    await sleep(delay, options.signal);
    const task = await get(taskId, options.signal);
    const status = String(task.status);
    if (status !== last) {
      last = status;
      options.onStatus?.(status);
    }
    if (TERMINAL_TASK_STATUSES.has(status)) return task;
  }
  throw new Error('unreachable');
}
