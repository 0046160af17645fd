/**
 * `npm run demo` (scripts/demo.ts) as a person runs it: `--help`, a busy port that moves to the
 * next free one, and every expected failure as one line on stderr with a non-zero exit code.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { assertOneLineFailure, busyPort, root, runCli, start, stop, waitForOutput } from '../support/cli.ts';

const script = 'scripts/demo.ts';
/** The demo against the emulator, whatever the environment says about a Mixpeek account. */
const noAccount = { MIXPEEK_API_KEY: '', MIXPEEK_NAMESPACE: '', MIXPEEK_BUCKET: '', MIXPEEK_BUCKETS: '', DEMO_PORT: '' };
const demo = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(script, args, { env: { ...noAccount, ...env } });

describe('npm run demo', () => {
  it('--help says what it runs and lists its flags, exit 0', async () => {
    const result = await demo(['--help']);
    assert.equal(result.code, 0);
    assert.equal(result.stderr, '');
    for (const text of ['npm run demo', '--port', '--host', 'MIXPEEK_API_KEY']) assert.ok(result.stdout.includes(text), text);
  });

  it('on a busy port, serves the page on the next free one and prints that URL; SIGTERM stops it with 0', async () => {
    const busy = await busyPort();
    try {
      const child = start(script, ['--port', String(busy.port)], { env: noAccount });
      const [, port] = await waitForOutput(child, /Open http:\/\/127\.0\.0\.1:(\d+)\//, 120_000);
      assert.notEqual(Number(port), busy.port);
      const page = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /mixpeek-uploader/);
      assert.equal(await stop(child), 0);
    } finally {
      await busy.close();
    }
  });

  it('an unknown flag: one line naming it, exit 2', async () => {
    assertOneLineFailure(await demo(['--prot', '5173']), 2, 'demo: ', /'--prot'/, /--help/);
  });

  it('a port that is not a number: one line, exit 2', async () => {
    assertOneLineFailure(await demo(['--port', 'high']), 2, 'demo: ', /--port must be a whole number/);
  });

  it('a Mixpeek key without namespace and bucket: one line naming both, exit 2', async () => {
    assertOneLineFailure(await demo([], { MIXPEEK_API_KEY: 'sk_test' }), 2, 'demo: ', /MIXPEEK_NAMESPACE and MIXPEEK_BUCKET/);
  });

  it('a Mixpeek API that does not answer: one line naming it and MIXPEEK_API_URL, exit 1', async () => {
    const closed = await busyPort();
    await closed.close(); // a port on loopback that nothing listens on now
    const apiUrl = `http://127.0.0.1:${closed.port}`;
    const account = { MIXPEEK_API_KEY: 'sk_test', MIXPEEK_NAMESPACE: 'ns_test', MIXPEEK_BUCKET: 'bkt_test', MIXPEEK_API_URL: apiUrl };
    assertOneLineFailure(
      await demo(['--port', '0'], account),
      1,
      'demo: ',
      new RegExp(`cannot reach ${apiUrl} \\(ECONNREFUSED\\)`),
      /MIXPEEK_API_URL/,
    );
  });

  it('a host that is not this machine: one line suggesting --host 127.0.0.1, exit 1', async () => {
    assertOneLineFailure(await demo(['--host', '203.0.113.7']), 1, 'demo: ', /203\.0\.113\.7/, /--host 127\.0\.0\.1/);
  });

  it('without the installed packages: one line saying to run npm install, exit 1', async () => {
    // The demo and the sources it loads, in a folder with no node_modules above it.
    const copy = mkdtempSync(join(tmpdir(), 'mixpeek-demo-'));
    try {
      cpSync(new URL('src/', root), join(copy, 'src'), { recursive: true });
      mkdirSync(join(copy, 'scripts'));
      cpSync(new URL(script, root), join(copy, script));
      writeFileSync(join(copy, 'package.json'), '{"type":"module"}');
      const tsx = pathToFileURL(join(root.pathname, 'node_modules/tsx/dist/loader.mjs')).href;
      const result = await runCli(script, [], { cwd: copy, node: ['--import', tsx], env: noAccount });
      assertOneLineFailure(result, 1, 'demo: ', /the package \S+ is not installed/, /run npm install/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
