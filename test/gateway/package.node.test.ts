/**
 * Package hygiene for the gateway (after `npm run build`): a browser app that installs
 * mixpeek-uploader gets no server package, and the built gateway core runs with no package
 * installed at all (its schemas and in-memory limiter are bundled).
 */
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(await readFile(new URL('package.json', root), 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
};

describe('gateway packaging', () => {
  it('installs no server package into browser apps: they are optional peers', () => {
    for (const name of ['hono', '@hono/node-server', 'rate-limiter-flexible']) {
      assert.equal(pkg.dependencies[name], undefined, `${name} is not a dependency`);
      assert.ok(pkg.peerDependencies[name], `${name} is a peer`);
      assert.equal(pkg.peerDependenciesMeta[name]?.optional, true, `${name} is optional`);
    }
    for (const name of ['valibot', 'ioredis']) assert.equal(pkg.dependencies[name], undefined, `${name} is not a dependency`);
  });

  it('the built gateway core imports nothing and answers from a folder with no node_modules', async () => {
    const built = new URL('dist/gateway.js', root);
    const code = await readFile(built, 'utf8');
    assert.ok(!/^\s*import\s.*from\s*["']/m.test(code), 'dist/gateway.js has no import');
    const dir = await mkdtemp(join(tmpdir(), 'gateway-alone-'));
    try {
      await copyFile(built, join(dir, 'gateway.mjs'));
      const { createGateway } = (await import(join(dir, 'gateway.mjs'))) as typeof import('../../src/gateway/index.ts');
      const gateway = createGateway({ apiKey: 'sk_alone_0123456789', buckets: ['b'], fetch: async () => Response.json({ task_id: 't' }) });
      const ok = await gateway(new Request('http://gw.test/v1/tasks/t'));
      assert.equal(ok.status, 200);
      const bad = await gateway(
        new Request('http://gw.test/v1/buckets/b/uploads', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
      );
      assert.equal(bad.status, 422);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
