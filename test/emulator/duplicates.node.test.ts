/**
 * Duplicates and unique keys in the emulator, as Mixpeek documents them (OpenAPI 0.81,
 * `CreateUploadRequest.file_hash` / `skip_duplicates`, `UploadResponse.is_duplicate` /
 * `skipped_unique_key`): by `file_hash` at create, by ETag at confirm, by a bucket's unique key
 * in `object_metadata`, and the fault that makes hashes unknown.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { client, md5, put, type Json } from './helpers.ts';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

let em: Emulator;
let api: ReturnType<typeof client>;
let products: ReturnType<typeof client>;

before(async () => {
  em = await startEmulator({ taskStepMs: 20, buckets: ['demo', 'products'], uniqueKeys: { products: ['sku', 'region'] } });
  api = client(em);
  products = client(em, 'products');
});
after(async () => {
  await em.close();
});
beforeEach(() => em.reset());

/** Creates, PUTs and confirms (sync) one upload; returns its confirmed record. */
async function uploaded(c: ReturnType<typeof client>, text: string, over: Json = {}): Promise<Json> {
  const created = await c.create({ filename: 'a.txt', content_type: 'text/plain', ...over });
  assert.equal(created.status, 201, created.text);
  assert.equal((await put(created.json.presigned_url, text, 'text/plain')).status, 200);
  const confirmed = await c.confirm(created.json.upload_id, { etag: md5(text) });
  assert.equal(confirmed.status, 200, confirmed.text);
  return (await c.get(created.json.upload_id)).json;
}

describe('duplicates by file_hash', () => {
  it('a create with the SHA-256 of a completed upload answers is_duplicate, the original id, no URL, 200', async () => {
    const original = await uploaded(api, 'hello', { file_hash: sha256('hello') });
    const again = await api.create({ filename: 'b.txt', content_type: 'text/plain', file_hash: sha256('hello') });
    assert.equal(again.status, 200);
    assert.equal(again.json.is_duplicate, true);
    assert.equal(again.json.duplicate_of_upload_id, original.upload_id);
    assert.equal(again.json.upload_id, original.upload_id);
    assert.equal(again.json.presigned_url, null);
    assert.equal(again.json.skipped_unique_key, false);
    assert.equal(again.json.object_id, original.object_id);
    assert.match(again.json.message, /already exists/);
  });

  it('in a batch, only the items whose hash is known are duplicates; no upload is made for them', async () => {
    const original = await uploaded(api, 'one', { file_hash: sha256('one') });
    const { json } = await api.batch({
      uploads: [
        { filename: 'one.txt', content_type: 'text/plain', file_hash: sha256('one') },
        { filename: 'two.txt', content_type: 'text/plain', file_hash: sha256('two') },
      ],
    });
    assert.equal(json.uploads[0].is_duplicate, true);
    assert.equal(json.uploads[0].duplicate_of_upload_id, original.upload_id);
    assert.equal(json.uploads[0].presigned_url, null);
    assert.equal(json.uploads[1].is_duplicate, false);
    assert.match(json.uploads[1].presigned_url, /^http/);
    const listed = await api.list();
    assert.equal(listed.json.results.length, 2, 'the original and the new one; none for the duplicate');
  });

  it('skip_duplicates false, a hash of a PENDING upload, or another bucket: a new upload with a URL', async () => {
    await uploaded(api, 'same', { file_hash: sha256('same') });
    const off = await api.create({ filename: 'c.txt', content_type: 'text/plain', file_hash: sha256('same'), skip_duplicates: false });
    assert.equal(off.status, 201);
    assert.equal(off.json.is_duplicate, false);
    assert.match(off.json.presigned_url, /^http/);
    const pending = await api.create({ filename: 'p.txt', content_type: 'text/plain', file_hash: sha256('pending') });
    const second = await api.create({ filename: 'p.txt', content_type: 'text/plain', file_hash: sha256('pending') });
    assert.notEqual(second.json.upload_id, pending.json.upload_id);
    assert.equal(second.json.is_duplicate, false);
    const elsewhere = await products.create({ filename: 'c.txt', content_type: 'text/plain', file_hash: sha256('same') });
    assert.equal(elsewhere.json.is_duplicate, false);
  });

  it('the unknownFileHash fault answers as if the hash were unknown', async () => {
    await uploaded(api, 'known', { file_hash: sha256('known') });
    em.setFaults({ unknownFileHash: true });
    const answer = await api.create({ filename: 'k.txt', content_type: 'text/plain', file_hash: sha256('known') });
    assert.equal(answer.status, 201);
    assert.equal(answer.json.is_duplicate, false);
    assert.match(answer.json.presigned_url, /^http/);
    em.setFaults({});
    const after = await api.create({ filename: 'k.txt', content_type: 'text/plain', file_hash: sha256('known') });
    assert.equal(after.json.is_duplicate, true);
  });

  it('a file_hash that is not 64 lowercase hex is a 422 naming the field', async () => {
    const bad = await api.create({ filename: 'a.txt', content_type: 'text/plain', file_hash: sha256('x').toUpperCase() });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.json.detail[0].loc, ['body', 'file_hash']);
  });
});

describe('duplicates at confirm, by ETag', () => {
  it('an upload whose ETag is that of a completed upload is confirmed as its duplicate, with its object', async () => {
    const original = await uploaded(api, 'twice');
    const second = await uploaded(api, 'twice', { filename: 'copy.txt' });
    assert.equal(second.status, 'COMPLETED');
    assert.equal(second.is_duplicate, true);
    assert.equal(second.duplicate_of_upload_id, original.upload_id);
    assert.equal(second.object_id, original.object_id);
    const other = await uploaded(api, 'different');
    assert.equal(other.is_duplicate, false);
    assert.notEqual(other.object_id, original.object_id);
  });

  it('an upload created with a SHA-256 the bucket does not know is still a duplicate at confirm when its ETag is known', async () => {
    const original = await uploaded(api, 'sent before without a hash');
    const again = await uploaded(api, 'sent before without a hash', { file_hash: sha256('sent before without a hash') });
    assert.equal(again.is_duplicate, true);
    assert.equal(again.duplicate_of_upload_id, original.upload_id);
    assert.equal(again.object_id, original.object_id);
  });
});

describe('unique keys', () => {
  it('a create whose object_metadata repeats a unique key of a completed object answers skipped_unique_key and its id', async () => {
    const first = await uploaded(products, 'shoe', { object_metadata: { sku: 'A1', region: 'eu', colour: 'red' } });
    const same = await products.create({
      filename: 'other.jpg',
      content_type: 'image/jpeg',
      object_metadata: { sku: 'A1', region: 'eu', colour: 'blue' },
    });
    assert.equal(same.json.skipped_unique_key, true);
    assert.equal(same.json.existing_object_id, first.object_id);
    assert.equal(same.json.presigned_url, null);
    assert.equal(same.json.is_duplicate, false);
    for (const object_metadata of [{ sku: 'A1', region: 'us' }, { sku: 'A1' }, null]) {
      const answer = await products.create({ filename: 'x.jpg', content_type: 'image/jpeg', object_metadata });
      assert.equal(answer.json.skipped_unique_key, false, JSON.stringify(object_metadata));
      assert.match(answer.json.presigned_url, /^http/);
    }
    const noKeyBucket = await api.create({ filename: 'x.jpg', content_type: 'image/jpeg', object_metadata: { sku: 'A1', region: 'eu' } });
    assert.equal(noKeyBucket.json.skipped_unique_key, false);
  });

  it('a unique key naming an unknown bucket refuses to start', async () => {
    await assert.rejects(startEmulator({ uniqueKeys: { nowhere: ['sku'] } }), /nowhere/);
  });
});
