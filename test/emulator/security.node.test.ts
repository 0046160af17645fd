/**
 * The emulator is a local tool that must not be a local hole: its control routes answer pages
 * on loopback only and never with credentials (and require a control token when one is set);
 * its storage refuses unsigned reads and listings, and names that climb out of its folder.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { client, put } from './helpers.ts';

let em: Emulator;

describe('emulator security', () => {
  before(async () => {
    em = await startEmulator({ controlToken: 'tok_local' });
  });
  after(async () => {
    await em.close();
  });

  it('control routes refuse pages on other sites, even with the token, and never allow credentials', async () => {
    em.setFaults({ omitEtag: true });
    const reset = await fetch(`${em.apiUrl}/_emulator/reset`, {
      method: 'POST',
      headers: { origin: 'http://evil.test', 'x-emulator-token': 'tok_local', 'content-type': 'text/plain' },
    });
    assert.equal(reset.status, 403);
    assert.equal(reset.headers.get('access-control-allow-origin'), null);
    assert.deepEqual(em.faults(), { omitEtag: true }, 'the faults survived');
    const pre = await fetch(`${em.apiUrl}/_emulator/faults`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.test', 'access-control-request-method': 'POST' },
    });
    assert.equal(pre.headers.get('access-control-allow-origin'), null);
    const local = await fetch(`${em.apiUrl}/_emulator/faults`, {
      headers: { origin: 'http://127.0.0.1:8000', 'x-emulator-token': 'tok_local' },
    });
    assert.equal(local.status, 200);
    assert.equal(local.headers.get('access-control-allow-origin'), 'http://127.0.0.1:8000');
    assert.equal(local.headers.get('access-control-allow-credentials'), null);
  });

  it('control routes require the control token when one is set', async () => {
    assert.equal((await fetch(`${em.apiUrl}/_emulator/requests`)).status, 401);
    assert.equal((await fetch(`${em.apiUrl}/_emulator/requests`, { headers: { 'x-emulator-token': 'wrong' } })).status, 401);
    assert.equal((await fetch(`${em.apiUrl}/_emulator/requests`, { headers: { 'x-emulator-token': 'tok_local' } })).status, 200);
  });

  it('storage refuses unsigned reads, listings and names outside its bucket', async () => {
    const api = client(em);
    const u = (await api.create({ filename: 'secret.txt', content_type: 'text/plain' })).json;
    assert.equal((await put(u.presigned_url, 'secret', 'text/plain')).status, 200);
    const status = async (path: string, method = 'GET') => (await fetch(`${em.storageUrl}${path}`, { method })).status;
    assert.equal(await status(`/mixpeek-emulator/${u.s3_key}`), 403);
    assert.equal(await status(`/mixpeek-emulator/${u.s3_key}`, 'HEAD'), 403);
    assert.equal(await status('/mixpeek-emulator'), 400);
    assert.equal(await status('/mixpeek-emulator/'), 400);
    assert.equal(await status('/mixpeek-emulator?list-type=2'), 400);
    assert.equal(await status('/'), 400);
    for (const path of [
      '/..%2F..%2Fetc/passwd',
      '/mixpeek-emulator/a/..%2F..%2F..%2Fx',
      '/other-bucket/x',
      '/mixpeek-emulator/a%5C..%5Cb',
    ]) {
      assert.equal(await status(path), 400, path);
    }
  });
});
