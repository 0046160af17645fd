/**
 * The pool's reading worker (blob-reader.worker.ts) and the bundled hashing worker, run in this
 * process over a MessageChannel, as the pool wires them: what the hashing side computes from
 * what the reading side sends.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, it } from 'node:test';

type Scope = { postMessage: (message: unknown) => void; onmessage: ((event: { data: unknown }) => void) | null };
const replies = new Map<number, (reply: { md5?: string; sha256?: string; error?: string }) => void>();
const hashing: Scope = { postMessage: (m) => replies.get((m as { id: number }).id)?.(m as never), onmessage: null };
const reading: Scope = { postMessage: () => undefined, onmessage: null };
const MiB = 1024 * 1024;

before(async () => {
  // Each worker module installs its handler on `self` when it loads.
  (globalThis as { self?: Scope }).self = hashing;
  await import('../../src/hash/md5.worker.ts');
  (globalThis as { self?: Scope }).self = reading;
  await import('../../src/hash/blob-reader.worker.ts');
});

let ids = 1;
/** Hashes `blob` (MD5 and SHA-256) through the two workers in 4 MiB pieces, at most `allowed` bytes of it until raised. */
function hashThroughReader(blob: Pick<Blob, 'size' | 'stream'>, allowed?: number) {
  const id = ids++;
  const sliceSize = 4 * MiB;
  const channel = new MessageChannel();
  const reply = new Promise<{ md5?: string; sha256?: string; error?: string }>((resolve) => replies.set(id, resolve));
  hashing.onmessage!({
    data: { type: 'hash', id, blob, sliceSize, port: channel.port1, readAhead: 16 * MiB, allowed, edges: true, sha256: true, wasm: true },
  });
  reading.onmessage!({ data: { type: 'read', id, blob, port: channel.port2, sliceSize } });
  return reply.finally(() => {
    channel.port1.close();
    channel.port2.close();
  });
}

it('a stream without BYOB reads that sends an empty chunk amid the bytes still hashes every byte', async () => {
  const bytes = new Uint8Array(10 * MiB + 1).map((_, i) => (i * 7 + (i >> 11)) & 255);
  const sizes = [3 * MiB, 0, 3 * MiB, 3 * MiB, MiB + 1];
  const blob = {
    size: bytes.length,
    stream() {
      let at = 0;
      let i = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (i === sizes.length) return controller.close();
          const n = sizes[i++]!;
          // A view inside a larger buffer, as a browser may hand out.
          const buffer = new Uint8Array(n + 8);
          buffer.set(bytes.subarray(at, at + n), 4);
          controller.enqueue(new Uint8Array(buffer.buffer, 4, n));
          at += n;
        },
      });
    },
  };
  const result = await hashThroughReader(blob as unknown as Blob);
  assert.equal(result.error, undefined);
  assert.equal(result.md5, createHash('md5').update(bytes).digest('hex'));
  assert.equal(result.sha256, createHash('sha256').update(bytes).digest('hex'));
});

it('a file allowed 8 MiB at first is read no further until the allowance is raised, then hashed whole', async () => {
  const bytes = new Uint8Array(40 * MiB).map((_, i) => (i * 13 + (i >> 9)) & 255);
  /** The furthest any stream of it has read (the reader may open one it does not use). */
  let pulled = 0;
  const blob = {
    size: bytes.length,
    stream() {
      let at = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (at >= bytes.length) return controller.close();
          controller.enqueue(bytes.slice(at, at + MiB));
          at += MiB;
          pulled = Math.max(pulled, at);
        },
      });
    },
  };
  const id = ids; // the id hashThroughReader gives it
  let answered = false;
  const result = hashThroughReader(blob as unknown as Blob, 8 * MiB).then((r) => {
    answered = true;
    return r;
  });
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(answered, false);
  // One piece of 4 MiB may be under way beyond the allowance, and a stream reads a little ahead.
  assert.ok(pulled <= 16 * MiB, `${pulled / MiB} MiB read with 8 MiB allowed`);
  hashing.onmessage!({ data: { type: 'allow', id, bytes: 24 * MiB } });
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(answered, false);
  assert.ok(pulled > 16 * MiB && pulled <= 32 * MiB, `${pulled / MiB} MiB read with 24 MiB allowed`);
  hashing.onmessage!({ data: { type: 'allow', id, bytes: Infinity } });
  const { md5, error } = await result;
  assert.equal(error, undefined);
  assert.equal(md5, createHash('md5').update(bytes).digest('hex'));
});
