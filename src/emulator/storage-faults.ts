/**
 * The storage-side faults as request/response operations: a PUT that is cut midway, a
 * response without its `ETag`, and an object whose stored bytes are altered after the fact.
 * The decisions (which request, how often) belong to `FaultInjector`.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Transform } from 'node:stream';

/**
 * One uplink shared by every PUT (the `uplinkBytesPerSecond` fault): the bytes of all PUTs
 * together pass at most `rate()` bytes per second, each chunk after those before it, as over a
 * browser's one connection to the internet. No rate: no limit.
 */
export class Uplink {
  /** When the link has sent what it was given so far, ms (`performance.now()`). */
  #free = 0;

  constructor(private readonly rate: () => number | undefined) {}

  /** A stream passing a PUT's bytes at the link's pace. */
  throttle(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        const rate = this.rate();
        if (!rate) {
          callback(null, chunk);
          return;
        }
        const now = performance.now();
        this.#free = Math.max(now, this.#free) + (chunk.length / rate) * 1000;
        setTimeout(() => callback(null, chunk), this.#free - now);
      },
    });
  }
}

/**
 * Reads about half of the request body (at least 1 byte; half of `Content-Length`, or the
 * first chunk when the length is unknown), then destroys the connection without answering.
 * `onCut` receives the bytes read.
 */
export function cutRequest(req: IncomingMessage, onCut: (bytesRead: number) => void): void {
  const declared = Number(req.headers['content-length']);
  const target = Number.isFinite(declared) && declared > 0 ? Math.max(1, Math.floor(declared / 2)) : 1;
  let read = 0;
  let done = false;
  const cut = (): void => {
    if (done) return;
    done = true;
    onCut(read);
    req.socket.destroy();
  };
  req.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (read >= target) cut();
  });
  // An empty (or shorter than declared) body: cut when it ends.
  req.once('end', cut);
}

/** Reads and discards the request body, then calls `then` (so an error answer reaches the client intact). */
export function drainRequest(req: IncomingMessage, then: () => void): void {
  req.once('end', then);
  req.resume();
}

/** Removes the `ETag` header from whatever `res` sends (Koa sets it with `setHeader`). */
export function stripEtag(res: ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (status: number, ...rest: unknown[]) => ServerResponse;
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    res.removeHeader('etag');
    const headers = rest.find((r): r is OutgoingHttpHeaders => typeof r === 'object' && r !== null && !Array.isArray(r));
    if (headers) for (const name of Object.keys(headers)) if (name.toLowerCase() === 'etag') delete headers[name];
    return writeHead(status, ...rest);
  }) as typeof res.writeHead;
}

/**
 * Alters a stored file so its MD5 changes: inverts its first byte, or writes one byte `0x00`
 * into an empty file (emulator's choice). Returns the new lowercase hex MD5 and size in bytes.
 */
export async function corruptFile(path: string): Promise<{ md5: string; size: number }> {
  const handle = await open(path, 'r+');
  try {
    const first = Buffer.alloc(1);
    const { bytesRead } = await handle.read(first, 0, 1, 0);
    first[0] = bytesRead === 0 ? 0x00 : (first[0] as number) ^ 0xff;
    await handle.write(first, 0, 1, 0);
  } finally {
    await handle.close();
  }
  const hash = createHash('md5');
  let size = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { md5: hash.digest('hex'), size };
}
