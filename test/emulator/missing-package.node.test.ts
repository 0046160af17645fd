/** Naming the package a failed import lacked, from the errors Node really throws. */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { EMULATOR_PEERS, emulatorInstallCommand, missingPackage } from '../../src/emulator/missing-package.ts';

const requireFailure = (name: string): unknown => {
  try {
    createRequire(import.meta.url)(name);
  } catch (error) {
    return error;
  }
  assert.fail(`${name} was found`);
};
const importFailure = (name: string): Promise<unknown> =>
  import(name).then(
    () => assert.fail(`${name} was found`),
    (error: unknown) => error,
  );

describe('missingPackage', () => {
  it('names the package of a failed import, scoped or not, subpath or not', async () => {
    assert.equal(missingPackage(await importFailure('no-such-package-for-this-test')), 'no-such-package-for-this-test');
    assert.equal(missingPackage(await importFailure('@no-such-scope/for-this-test/sub/path.js')), '@no-such-scope/for-this-test');
    assert.equal(missingPackage(await importFailure('no-such-package-for-this-test/cors')), 'no-such-package-for-this-test');
  });

  it('names the package of a failed require (s3rver is loaded that way)', () => {
    assert.equal(missingPackage(requireFailure('no-such-package-for-this-test')), 'no-such-package-for-this-test');
    assert.equal(missingPackage(requireFailure('@no-such-scope/for-this-test')), '@no-such-scope/for-this-test');
  });

  it('says nothing of a missing relative file or any other error', async () => {
    assert.equal(missingPackage(await importFailure('./no-such-file-for-this-test.js')), undefined);
    assert.equal(missingPackage(requireFailure('./no-such-file-for-this-test.js')), undefined);
    assert.equal(missingPackage(new Error('Cannot find package')), undefined);
    assert.equal(missingPackage(undefined), undefined);
  });
});

describe('emulatorInstallCommand', () => {
  it('installs every optional peer, and the missing package when it is not one of them', () => {
    assert.equal(emulatorInstallCommand('s3rver'), `npm install --save-dev ${EMULATOR_PEERS.join(' ')}`);
    assert.equal(emulatorInstallCommand('undici'), `npm install --save-dev undici ${EMULATOR_PEERS.join(' ')}`);
  });

  it('lists the optional peers package.json declares', async () => {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
    };
    for (const peer of EMULATOR_PEERS) assert.equal(pkg.peerDependenciesMeta[peer]?.optional, true, peer);
  });
});
