/**
 * The bench's link proxy passes every byte, in order, both ways, on many connections at once,
 * with a bandwidth and a round trip set; speed is checked by the bench itself (shaper-check),
 * not here.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { roundTrip, startEcho } from '../../bench/support/shaper-check.ts';
import { startShaper, type Shaper } from '../../bench/support/shaper.ts';

describe('bench link proxy', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let link: Shaper;
  before(async () => {
    echo = await startEcho();
    link = await startShaper({ target: { host: '127.0.0.1', port: echo.port }, bitsPerSecond: 1e9, rttMs: 4 });
  });
  after(async () => {
    await link.close();
    await echo.close();
  });

  it('passes every byte in order both ways, on several connections at once', async () => {
    const payloads = Array.from({ length: 4 }, (_, i) => randomBytes(256 * 1024 + i * 4099));
    const echoed = await Promise.all(payloads.map((p) => roundTrip(link.port, p)));
    for (const [i, p] of payloads.entries()) assert.ok(echoed[i]!.equals(p), `connection ${i} got other bytes back`);
  });

  it('counts the bytes that went through each way', async () => {
    const before = { ...link.bytes };
    await roundTrip(link.port, Buffer.alloc(1000, 1));
    assert.equal(link.bytes.up - before.up, 1000);
    assert.equal(link.bytes.down - before.down, 1000);
  });

  it('carries HTTP requests and their answers with a round trip only, no bandwidth limit', async () => {
    const server = createServer((req, res) => {
      let n = 0;
      req.on('data', (c: Buffer) => {
        n += c.length;
      });
      req.on('end', () => res.end(`got ${n} for ${req.headers.host}`));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const api = await startShaper({ target: { host: '127.0.0.1', port }, rttMs: 10 });
    try {
      const response = await fetch(`http://127.0.0.1:${api.port}/x`, { method: 'PUT', body: new Uint8Array(randomBytes(100_000)) });
      assert.equal(await response.text(), `got 100000 for 127.0.0.1:${api.port}`);
    } finally {
      await api.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('ends open connections when it closes', async () => {
    const other = await startShaper({ target: { host: '127.0.0.1', port: echo.port } });
    const socket = connect({ host: '127.0.0.1', port: other.port });
    await new Promise((resolve) => socket.once('connect', resolve));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.on('error', () => undefined);
    await other.close();
    await closed;
  });
});
