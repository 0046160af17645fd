/**
 * `mixpeek-emulator` (src/emulator/cli.ts) as a person runs it: `--help`, a start and a stop,
 * and every expected failure as one line on stderr with a non-zero exit code.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { assertOneLineFailure, busyPort, root, runCli, start, stop, waitForOutput } from '../support/cli.ts';

const cli = 'src/emulator/cli.ts';
const emulator = (...args: string[]) => runCli(cli, args);
/** Free ports for both servers and no per-request log, unless a test says otherwise. */
const quiet = ['--port', '0', '--storage-port', '0', '--quiet'];

const scratch = mkdtempSync(join(tmpdir(), 'mixpeek-emulator-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('mixpeek-emulator command line', () => {
  it('--help lists every flag and exits 0', async () => {
    const result = await emulator('--help');
    assert.equal(result.code, 0);
    assert.equal(result.stderr, '');
    for (const flag of [
      '--port',
      '--storage-port',
      '--host',
      '--api-key',
      '--namespace',
      '--bucket',
      '--cors-origin',
      '--storage-dir',
      '--faults',
      '--quiet',
    ]) {
      assert.ok(result.stdout.includes(flag), flag);
    }
  });

  it('starts, prints a page tag with api-url, api-key, namespace and bucket, and stops on SIGTERM with 0', async () => {
    const child = start(cli, [...quiet, '--namespace', 'ns_cli', '--bucket', 'bkt_cli']);
    const [line] = await waitForOutput(child, /<mixpeek-uploader [^>]*>/);
    assert.match(line, /api-url="http:\/\/127\.0\.0\.1:\d+"/);
    assert.match(line, /api-key="sk_emulator_local_key"/);
    assert.match(line, /namespace="ns_cli"/);
    assert.match(line, /bucket="bkt_cli"/);
    assert.equal(await stop(child), 0);
  });

  it('an unknown flag: one line naming it, exit 2', async () => {
    assertOneLineFailure(await emulator('--prot', '8787'), 2, 'mixpeek-emulator: ', /'--prot'/, /--help/);
  });

  it('an argument without a flag: one line, exit 2', async () => {
    assertOneLineFailure(await emulator('8787'), 2, 'mixpeek-emulator: ', /'8787'/, /--help/);
  });

  it('a port that is not a number: one line naming the flag, exit 2', async () => {
    assertOneLineFailure(await emulator('--port', 'eighty'), 2, 'mixpeek-emulator: ', /--port must be a whole number/);
    assertOneLineFailure(await emulator('--storage-port', '70000'), 2, 'mixpeek-emulator: ', /--storage-port .* 65535/);
  });

  it('faults that are not JSON, or a bad fault flag: one line, exit 2', async () => {
    assertOneLineFailure(await emulator('--faults', '{rateLimit'), 2, 'mixpeek-emulator: ', /--faults: not JSON/);
    assertOneLineFailure(await emulator('--fault-put-failures', '2:melt'), 2, 'mixpeek-emulator: ', /'500', 'cut'/);
  });

  it('a busy API port: one line naming the port and --port, exit 1', async () => {
    const busy = await busyPort();
    try {
      const result = await emulator('--port', String(busy.port), '--storage-port', '0', '--quiet');
      assertOneLineFailure(result, 1, 'mixpeek-emulator: ', new RegExp(`port ${busy.port} .*in use`), /pass --port /);
    } finally {
      await busy.close();
    }
  });

  it('a busy storage port: one line naming --storage-port, exit 1', async () => {
    const busy = await busyPort();
    try {
      const result = await emulator('--port', '0', '--storage-port', String(busy.port), '--quiet');
      assertOneLineFailure(result, 1, 'mixpeek-emulator: ', new RegExp(`port ${busy.port} .*in use`), /pass --storage-port /);
    } finally {
      await busy.close();
    }
  });

  it('a host that is not this machine: one line suggesting --host 127.0.0.1, exit 1', async () => {
    // 203.0.113.0/24 is reserved for documentation (RFC 5737): never an address of this machine.
    assertOneLineFailure(
      await emulator(...quiet, '--host', '203.0.113.7'),
      1,
      'mixpeek-emulator: ',
      /203\.0\.113\.7/,
      /--host 127\.0\.0\.1/,
    );
  });

  it('a storage folder that cannot be made: one line naming --storage-dir, exit 1', async () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, '');
    assertOneLineFailure(
      await emulator(...quiet, '--storage-dir', join(file, 'objects')),
      1,
      'mixpeek-emulator: ',
      /ENOTDIR/,
      /--storage-dir/,
    );
  });

  it('the built command without its optional packages: one line with the npm install command, exit 1', async () => {
    const built = new URL('dist/mixpeek-emulator.js', root);
    assert.ok(existsSync(built), 'dist/mixpeek-emulator.js is missing: run `npm run build` first');
    // The command and the emulator it loads, in a folder with no node_modules above it.
    const bin = mkdtempSync(join(tmpdir(), 'mixpeek-emulator-bin-'));
    try {
      copyFileSync(built, join(bin, 'mixpeek-emulator.js'));
      copyFileSync(new URL('dist/emulator.js', root), join(bin, 'emulator.js'));
      writeFileSync(join(bin, 'package.json'), '{"type":"module"}');
      const result = await runCli(join(bin, 'mixpeek-emulator.js'), quiet, { cwd: bin, node: [] });
      assertOneLineFailure(
        result,
        1,
        'mixpeek-emulator: ',
        /the package \S+ is not installed/,
        /npm install --save-dev .*s3rver @smithy\/signature-v4 @smithy\/hash-node/,
      );
      // --help needs none of them.
      assert.equal((await runCli(join(bin, 'mixpeek-emulator.js'), ['--help'], { cwd: bin, node: [] })).code, 0);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
