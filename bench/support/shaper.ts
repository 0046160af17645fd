/**
 * A link on loopback: a TCP proxy on 127.0.0.1 in front of one server, whose bandwidth is
 * shared by all its connections (one token bucket per direction, from the `limiter` package)
 * and which adds a round-trip time (each chunk is held half of it in each direction, so latency
 * does not cap throughput). The bench puts one in front of the emulator's storage and one in
 * front of its API.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { pipeline, Transform, type TransformCallback } from 'node:stream';
import { TokenBucket } from 'limiter';

/** Options of {@link startShaper}. */
export interface ShaperOptions {
  /** The server behind the proxy. */
  target: { host: string; port: number };
  /** Bandwidth in bits per second, each direction, shared by all connections; none when absent. */
  bitsPerSecond?: number;
  /** Added round-trip time in ms (half each way); default 0. */
  rttMs?: number;
}

/** A running proxy. */
export interface Shaper {
  /** Its port on 127.0.0.1. */
  port: number;
  /** Bytes that went through, client to server and back. */
  readonly bytes: { up: number; down: number };
  close(): Promise<void>;
}

/**
 * A bucket for `bitsPerSecond`: it holds 8 ms of the rate (128 KiB at least), many pieces, so
 * the bytes that come in while a timer waits (late, on a busy machine) are not lost over its
 * brim; and little enough to stay a steady link.
 */
function bucketFor(bitsPerSecond: number): TokenBucket {
  const bytesPerSecond = bitsPerSecond / 8;
  return new TokenBucket({
    bucketSize: Math.max(128 * 1024, bytesPerSecond * 0.008),
    tokensPerInterval: bytesPerSecond,
    interval: 'second',
  });
}

/**
 * Passes chunks on once the shared bucket has their bytes (FIFO across all connections), in
 * pieces of an eighth of the bucket (16–64 KiB): small enough to share it, few enough to cost
 * little CPU.
 */
class Throttle extends Transform {
  readonly #piece: number;
  constructor(private readonly bucket: TokenBucket) {
    super();
    this.#piece = Math.min(64 * 1024, Math.max(16 * 1024, Math.floor(bucket.bucketSize / 8)));
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    void (async () => {
      for (let at = 0; at < chunk.length; at += this.#piece) {
        const piece = chunk.subarray(at, at + this.#piece);
        await this.bucket.removeTokens(piece.length);
        this.push(piece);
      }
    })().then(() => done(), done);
  }
}

/** Holds every chunk `ms` before passing it on, in order, without holding the next one back. */
class Delay extends Transform {
  #pending = 0;
  #flushed: TransformCallback | undefined;
  constructor(private readonly ms: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#pending += 1;
    // Timers of one duration fire in the order they were set: chunks keep their order.
    setTimeout(() => {
      this.push(chunk);
      this.#pending -= 1;
      if (this.#pending === 0) this.#flushed?.();
    }, this.ms);
    done();
  }
  override _flush(done: TransformCallback): void {
    if (this.#pending === 0) done();
    else this.#flushed = done;
  }
}

/** Starts a proxy on 127.0.0.1 (an ephemeral port) in front of `options.target`. */
export async function startShaper(options: ShaperOptions): Promise<Shaper> {
  const up = options.bitsPerSecond ? bucketFor(options.bitsPerSecond) : undefined;
  const down = options.bitsPerSecond ? bucketFor(options.bitsPerSecond) : undefined;
  const halfRtt = (options.rttMs ?? 0) / 2;
  const bytes = { up: 0, down: 0 };
  const sockets = new Set<Socket>();

  /** `from` → `to` through the bucket and the delay; an error or close on either ends both. */
  const link = (from: Socket, to: Socket, bucket: TokenBucket | undefined, count: 'up' | 'down') => {
    const stages: NodeJS.ReadWriteStream[] = [];
    if (bucket) stages.push(new Throttle(bucket));
    if (halfRtt > 0) stages.push(new Delay(halfRtt));
    from.on('data', (chunk: Buffer) => {
      bytes[count] += chunk.length;
    });
    // An end passes on as an end (HTTP bodies may follow a half-close); an error ends both.
    const end = (error?: Error | null) => {
      if (!error) return;
      from.destroy();
      to.destroy();
    };
    if (stages.length === 0) pipeline(from, to, end);
    else pipeline([from, ...stages, to], end);
  };

  const server: Server = createServer({ noDelay: true, allowHalfOpen: true }, (client) => {
    const upstream = connect({ host: options.target.host, port: options.target.port, noDelay: true, allowHalfOpen: true });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined); // the pipeline ends both sides
    }
    link(client, upstream, up, 'up');
    link(upstream, client, down, 'down');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    bytes,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
