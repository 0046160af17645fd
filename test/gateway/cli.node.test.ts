/**
 * The `mixpeek-gateway` command: each expected failure is one line on stderr saying what
 * happened and what to do, with a non-zero exit code; `--help` lists the flags; a started
 * gateway answers only its own host names. Each case spawns the real CLI.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';

let emulator: Emulator;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to its exit (or until `until` matches stdout, then stops it). */
function run(args: string[], env: Record<string, string | undefined> = {}, until?: RegExp, extraNode: string[] = []): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...extraNode, 'src/gateway/cli.ts', ...args], {
    env: {
      ...process.env,
      MIXPEEK_API_KEY: emulator.apiKey,
      MIXPEEK_API_URL: emulator.apiUrl,
      MIXPEEK_BUCKETS: 'demo',
      MIXPEEK_NAMESPACE: emulator.namespace,
      PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
    if (until?.test(stdout)) child.kill('SIGTERM');
  });
  child.stderr.on('data', (d) => (stderr += d));
  return once(child, 'exit').then(([code]) => ({ code: code as number | null, stdout, stderr }));
}

/** One line on stderr, matching `pattern`, and a non-zero exit. */
function oneLine(result: Run, pattern: RegExp) {
  assert.notEqual(result.code, 0);
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${result.stderr}`);
  assert.match(lines[0]!, /^mixpeek-gateway: /);
  assert.match(lines[0]!, pattern);
  assert.ok(!/\n\s+at /.test(result.stderr), 'a stack trace was printed');
}

describe('mixpeek-gateway CLI', () => {
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => {
    await emulator.close();
  });

  it('--help lists the flags, including --allowed-host, and exits 0', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    for (const flag of ['--port', '--bucket', '--allowed-host', '--allowed-origin', '--max-file-size', '--trust-proxy']) {
      assert.ok(r.stdout.includes(flag), flag);
    }
  });

  it('an unknown flag: one line pointing to --help, exit 2', async () => {
    const r = await run(['--buckt', 'demo']);
    oneLine(r, /--buckt.*--help/);
    assert.equal(r.code, 2);
  });

  it('a bad flag value: one line naming the flag', async () => {
    oneLine(await run(['--port', 'eighty']), /--port must be a whole number/);
    oneLine(await run(['--max-file-size', '-5']), /--max-file-size/);
    oneLine(await run(['--api-url', 'ftp://x']), /--api-url must be an http\(s\) URL/);
  });

  it('no key: one line naming MIXPEEK_API_KEY', async () => {
    oneLine(await run([], { MIXPEEK_API_KEY: undefined }), /MIXPEEK_API_KEY/);
  });

  it('no bucket: one line naming MIXPEEK_BUCKETS and --bucket', async () => {
    oneLine(await run([], { MIXPEEK_BUCKETS: undefined }), /MIXPEEK_BUCKETS.*--bucket/);
  });

  it('an unreachable upstream: one line naming the URL and what to check', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    oneLine(await run([], { MIXPEEK_API_URL: `http://127.0.0.1:${port}` }), new RegExp(`cannot reach http://127.0.0.1:${port}.*--api-url`));
  });

  it('a busy port: one line saying so and how to pick another', async () => {
    const busy: Server = createServer();
    busy.listen(0, '127.0.0.1');
    await once(busy, 'listening');
    try {
      const { port } = busy.address() as { port: number };
      oneLine(await run(['--port', String(port)]), new RegExp(`port ${port} is already in use.*--port`));
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it('@hono/node-server missing: one line with the npm install command', async () => {
    const r = await run([], { HIDE_PACKAGES: '@hono/node-server' }, undefined, ['--import', './test/gateway/support/hide-package.mjs']);
    oneLine(r, /npm install @hono\/node-server/);
  });

  it('starts, and answers its own host names only (DNS rebinding)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/gateway/cli.ts', '--quiet'], {
      env: {
        ...process.env,
        MIXPEEK_API_KEY: emulator.apiKey,
        MIXPEEK_API_URL: emulator.apiUrl,
        MIXPEEK_BUCKETS: 'demo',
        MIXPEEK_NAMESPACE: emulator.namespace,
        PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const url = await new Promise<string>((resolve) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const m = /on (http:\/\/\S+) /.exec(out);
          if (m) resolve(m[1]!);
        });
      });
      const own = await fetch(`${url}/v1/tasks/tsk_none`);
      assert.equal(own.status, 404); // the emulator's answer: the request went through
      const local = await fetch(`${url.replace('127.0.0.1', 'localhost')}/v1/tasks/tsk_none`);
      assert.equal(local.status, 404);
      const { port } = new URL(url);
      const { request } = await import('node:http');
      const rebound = await new Promise<number>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path: '/v1/tasks/tsk_none', headers: { host: `evil.test:${port}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
      assert.equal(rebound, 403);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
