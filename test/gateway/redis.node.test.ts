/**
 * A rate limit shared by every instance: two gateway processes on one Redis (Debian's
 * redis-server, started here on a free loopback port and stopped after) count one budget, so
 * a load balancer does not multiply it. Skipped, saying why, only when redis-server is absent.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
const why = hasRedis ? false : 'redis-server is not installed (apt-get install redis-server; .ci/run installs it)';

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves the first line a child prints on stdout. */
function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing`)));
  });
}

describe('a rate limit shared across gateway processes through Redis', { skip: why }, () => {
  let redis: ChildProcess;
  let emulator: Emulator;
  const gateways: ChildProcess[] = [];
  const urls: string[] = [];

  before(async () => {
    const port = await freePort();
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      redis.stdout!.on('data', (d) => {
        out += d;
        if (out.includes('Ready to accept connections')) resolve();
      });
      redis.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
    });
    emulator = await startEmulator();
    for (let i = 0; i < 2; i += 1) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/gateway/support/redis-gateway.ts'], {
        env: {
          ...process.env,
          REDIS_PORT: String(port),
          API_URL: emulator.apiUrl,
          API_KEY: emulator.apiKey,
          NAMESPACE: emulator.namespace,
          POINTS: '6',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      gateways.push(child);
      urls.push(await firstLine(child));
    }
  });
  after(async () => {
    for (const child of gateways) {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
    await emulator?.close();
    redis?.kill('SIGTERM');
    if (redis && redis.exitCode === null) await once(redis, 'exit');
  });

  it('two processes answer 6 requests in all for a budget of 6, then 429 on both', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const res = await fetch(`${urls[i % 2]}/v1/tasks/tsk_missing`);
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    assert.equal(statuses.filter((s) => s !== 429).length, 6, statuses.join(' '));
    assert.deepEqual(statuses.slice(6), [429, 429, 429, 429]);
    const refused = await fetch(`${urls[1]}/v1/tasks/tsk_missing`);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    assert.equal(emulator.requests.filter((r) => r.kind === 'api').length, 6, 'only the counted requests reached Mixpeek');
  });
});
