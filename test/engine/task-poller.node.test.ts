import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TaskResponse } from '../../src/api/types.ts';
import { defaultOptions } from '../../src/engine/options.ts';
import { pollDelays, pollTask } from '../../src/engine/task-poller.ts';

/** A `getTask` answering the given statuses in turn (the last one again and again). */
function scripted(statuses: string[]) {
  const calls: string[] = [];
  let i = 0;
  const get = async (taskId: string): Promise<TaskResponse> => {
    calls.push(taskId);
    const status = statuses[Math.min(i, statuses.length - 1)]!;
    i += 1;
    return { task_id: taskId, status } as TaskResponse;
  };
  return { calls, get };
}

describe('task poller', () => {
  it('waits the first interval, then doubles each wait up to the ceiling', () => {
    const delays = pollDelays({ first: 100, max: 1000 });
    assert.deepEqual(
      Array.from({ length: 7 }, () => delays.next().value),
      [100, 200, 400, 800, 1000, 1000, 1000],
    );
  });

  it('with the default first wait (200 ms), a task of 45 s or more costs no more polls than a 1 s first wait growing ×1.5', () => {
    const count = (delays: Generator<number>, horizon: number) => {
      let t = 0;
      let n = 0;
      for (const d of delays) {
        t += d;
        if (t > horizon) return n;
        n += 1;
      }
      return n;
    };
    for (const horizon of [45_000, 60_000, 120_000, 600_000]) {
      const now = count(pollDelays({ first: defaultOptions.taskPollInterval, max: 30_000 }), horizon);
      const before = count(pollDelays({ first: 1000, max: 30_000, factor: 1.5 }), horizon);
      assert.ok(now <= before, `${now} polls instead of ${before} in ${horizon} ms`);
    }
  });

  for (const end of ['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELED', 'SKIPPED']) {
    it(`stops at the finished status ${end} and resolves with that task`, async () => {
      const { calls, get } = scripted(['PENDING', 'PROCESSING', end]);
      const task = await pollTask(get, 't1', { first: 1, max: 2 });
      assert.equal(task.status, end);
      assert.equal(calls.length, 3);
    });
  }

  it('reports each new status once', async () => {
    const { get } = scripted(['PENDING', 'PENDING', 'PROCESSING', 'PROCESSING', 'COMPLETED']);
    const seen: string[] = [];
    await pollTask(get, 't', { first: 1, max: 1, onStatus: (s) => seen.push(s) });
    assert.deepEqual(seen, ['PENDING', 'PROCESSING', 'COMPLETED']);
  });

  it('is canceled by its signal: rejects with an AbortError and polls no more', async () => {
    const { calls, get } = scripted(['PROCESSING']);
    const stop = new AbortController();
    const polling = pollTask(get, 't', { first: 1, max: 5, signal: stop.signal });
    while (calls.length < 2) await new Promise((r) => setTimeout(r, 1));
    stop.abort();
    await assert.rejects(polling, (e: Error) => e.name === 'AbortError');
    const after = calls.length;
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(calls.length, after);
  });

  it('passes on what getTask throws (a task Mixpeek no longer has)', async () => {
    const gone = Object.assign(new Error('Task not found'), { status: 404 });
    await assert.rejects(
      pollTask(
        async () => {
          throw gone;
        },
        't',
        { first: 1, max: 1 },
      ),
      (e) => e === gone,
    );
  });
});
