/**
 * Running the gateway on Node with `@hono/node-server` (an optional peer dependency:
 * `npm install @hono/node-server`): as a `(req, res)` listener to mount in an existing server
 * (Express, Koa, Vite, `node:http`), or served on its own port (the `mixpeek-gateway` CLI, the
 * demo and the tests).
 *
 * @throws MissingPackageError when this module is imported without `@hono/node-server` installed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayHandler } from './index.ts';
import { isMissing, MissingPackageError } from './optional.ts';

export { MissingPackageError } from './optional.ts';

const PACKAGE = '@hono/node-server';
const { getRequestListener } = await import('@hono/node-server').catch((error: unknown) => {
  throw isMissing(error, PACKAGE) ? new MissingPackageError(PACKAGE, 'The gateway on Node (mixpeek-uploader/gateway/node)') : error;
});

/**
 * A Node `(req, res)` listener for `handler`, passing it the socket's address and the raw
 * request target (so dot segments are refused, not silently resolved). A browser that goes
 * away aborts the request's signal, and with it the call to Mixpeek.
 */
export function toNodeListener(handler: GatewayHandler): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return getRequestListener((request, { incoming }) =>
    handler(request, { clientAddress: incoming.socket.remoteAddress, rawUrl: incoming.url }),
  );
}

/** A running Node server for a gateway handler. */
export interface ServedGateway {
  /** e.g. `http://127.0.0.1:8080`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `handler` on `host:port` (port 0 picks a free one).
 *
 * @throws the server's `listen` error, e.g. `EADDRINUSE` when the port is taken.
 */
export function serveGateway(handler: GatewayHandler, { host = '127.0.0.1', port = 0 } = {}): Promise<ServedGateway> {
  const server = createServer(toNodeListener(handler));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const info = server.address() as AddressInfo;
      const shownHost = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${shownHost}:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
