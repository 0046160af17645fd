/**
 * A hostile fake of Mixpeek on 127.0.0.1, for what the real emulator never does: echo the key
 * in headers and in encoded bodies, answer HTML, redirect elsewhere, stall, or send 200 MiB.
 * It records every request it sees and how each connection ended.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake does with the next requests. */
export type HostileMode = 'echo-headers' | 'echo-body' | 'html' | 'redirect' | 'stall' | 'huge' | 'ok';

export interface HostileUpstream {
  url: string;
  mode: HostileMode;
  /** Every request seen: method and path. */
  seen: { method: string; path: string }[];
  /** Bytes written by the last `huge` answer before the connection closed. */
  hugeBytesSent: number;
  /** One promise per stalled request, resolved when the gateway closes its connection. */
  stalls: Promise<void>[];
  close(): Promise<void>;
}

const MiB = 1024 * 1024;

export async function startHostileUpstream(key: string): Promise<HostileUpstream> {
  const state: HostileUpstream = {
    url: '',
    mode: 'ok',
    seen: [],
    hugeBytesSent: 0,
    stalls: [],
    close: async () => {},
  };
  const answer = (req: IncomingMessage, res: ServerResponse) => {
    state.seen.push({ method: req.method ?? '', path: req.url ?? '' });
    switch (state.mode) {
      case 'echo-headers':
        res.writeHead(429, {
          'Content-Type': `application/json; key=${key}`,
          'Retry-After': key,
          'X-RateLimit-Limit': key,
          'X-RateLimit-Remaining': '0',
          'X-Leak': key,
        });
        res.end(
          JSON.stringify({ success: false, status: 429, error: { message: 'slow down', type: 'TooManyRequestsError', details: null } }),
        );
        return;
      case 'echo-body':
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            upper: key.toUpperCase(),
            base64: Buffer.from(key).toString('base64'),
            basic: Buffer.from(`user:${key}`).toString('base64url'),
            hex: Buffer.from(key).toString('hex'),
            escaped: `\\u${key.charCodeAt(0).toString(16).padStart(4, '0')}${key.slice(1)}`,
            [key]: 'as a key',
          }).replace('\\\\u', '\\u'),
        );
        return;
      case 'html':
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end(`<script>alert(1)</script>${key}`);
        return;
      case 'redirect':
        if ((req.url ?? '').startsWith('/v1/collections')) {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end('{"collections":[]}');
          return;
        }
        res.writeHead(307, { Location: '/v1/collections' });
        res.end();
        return;
      case 'stall':
        state.stalls.push(new Promise<void>((resolve) => req.socket.once('close', () => resolve())));
        return; // never answers
      case 'huge': {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        const chunk = Buffer.alloc(MiB, 0x20);
        state.hugeBytesSent = 0;
        const pump = () => {
          while (state.hugeBytesSent < 200 * MiB) {
            state.hugeBytesSent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('close', () => res.destroy());
        pump();
        return;
      }
      default:
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ task_id: 'tsk_1', status: 'COMPLETED' }));
    }
  };
  const server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return state;
}
