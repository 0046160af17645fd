/**
 * The bench's check of its own links before it measures through them: 8 MiB through a
 * 100 Mbit/s proxy must take about 8 MiB ÷ 100 Mbit/s, two connections at once must share that
 * bandwidth (not get it each), and an added round trip must show in an echo's time.
 */
import { createServer, connect, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startShaper } from './shaper.ts';

const MiB = 1024 * 1024;

/** A TCP server on 127.0.0.1 that sends back every byte it gets and ends when its client does. */
export async function startEcho(): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Sends `payload` to 127.0.0.1:`port`, half-closes, and resolves with every byte that came back. */
export function roundTrip(port: number, payload: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true }, () => socket.end(payload));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
  });
}

export interface ShaperCheck {
  /** ms for 8 MiB one way and back through a 100 Mbit/s proxy (each direction has its own bucket). */
  oneMs: number;
  /** ms for two connections of 4 MiB each at once through the same proxy. */
  twoMs: number;
  /** ms that 8 MiB take at 100 Mbit/s. */
  expectedMs: number;
  /** ms for a 1-byte echo through a 40 ms round trip (two proxies' worth: out and back). */
  echoMs: number;
  /** True when the transfers are within 15 % of what they should take, the echo within 40–60 ms. */
  ok: boolean;
}

/** Measures the link proxies on this machine (about 2 s). */
export async function checkShaper(): Promise<ShaperCheck> {
  const echo = await startEcho();
  const bits = 100e6;
  const link = await startShaper({ target: { host: '127.0.0.1', port: echo.port }, bitsPerSecond: bits });
  const slow = await startShaper({ target: { host: '127.0.0.1', port: echo.port }, rttMs: 40 });
  try {
    const payload = Buffer.alloc(8 * MiB, 7);
    await roundTrip(link.port, payload.subarray(0, 256 * 1024)); // warm-up
    const expectedMs = ((payload.length * 8) / bits) * 1000;
    let started = performance.now();
    await roundTrip(link.port, payload);
    const oneMs = performance.now() - started;
    started = performance.now();
    await Promise.all([roundTrip(link.port, payload.subarray(0, 4 * MiB)), roundTrip(link.port, payload.subarray(4 * MiB))]);
    const twoMs = performance.now() - started;
    started = performance.now();
    await roundTrip(slow.port, Buffer.from([1]));
    const echoMs = performance.now() - started;
    // Timers run late on a busy machine: the round trip may be up to a quarter and 10 ms over.
    const near = (ms: number, want: number) => Math.abs(ms - want) <= want * 0.15;
    const echoOk = echoMs >= 40 * 0.97 && echoMs <= 40 * 1.25 + 10;
    // Up and down are piped at once, so the echo of 8 MiB takes one transfer time plus a bucket's worth.
    return { oneMs, twoMs, expectedMs, echoMs, ok: near(oneMs, expectedMs) && near(twoMs, expectedMs) && echoOk };
  } finally {
    await link.close();
    await slow.close();
    await echo.close();
  }
}
