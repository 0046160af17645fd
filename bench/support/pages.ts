/**
 * Builds the bench page (bench/pages) with Vite the way the element is built — the hashing
 * worker inlined, minified, production mode — and serves it, with `dist/` beside it, from a
 * small static server on 127.0.0.1.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import shipped from '../../vite.config.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** `minify: false` (for `--profile`) keeps the names readable in a CPU profile. */
export async function buildPages(outDir: string, { minify = true }: { minify?: boolean } = {}): Promise<void> {
  await build({
    configFile: false,
    root: join(repo, 'bench/pages'),
    logLevel: 'error',
    build: { outDir, emptyOutDir: true, target: 'es2022', minify, modulePreload: false, reportCompressedSize: false },
    // The element's workers inlined exactly as they ship: the build's own plugins, alias and defines.
    plugins: shipped.plugins,
    resolve: shipped.resolve,
    define: shipped.define,
    worker: { format: 'es' }, // the bench pages' own workers
  });
}

/** The element built as it ships but unminified, into `outDir` (for `--profile`: the source's names in a CPU profile). */
export async function buildElementUnminified(outDir: string): Promise<void> {
  await build({
    configFile: join(repo, 'vite.config.ts'),
    root: repo,
    logLevel: 'error',
    build: { outDir, emptyOutDir: true, minify: false, rolldownOptions: { output: { minify: false } } },
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `www` at `/` and the repository's `dist/` (or `distDir`) at `/dist/`. */
export async function servePages(www: string, distDir = join(repo, 'dist')): Promise<PageServer> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const [root, rest] = path.startsWith('/dist/') ? [distDir, path.slice('/dist'.length)] : [www, path];
    const file = join(root, normalize(rest === '/' ? '/index.html' : rest));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    stat(file).then(
      (s) => {
        if (!s.isFile()) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, {
          'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
          'Content-Length': s.size,
          'Cache-Control': 'no-store',
        });
        createReadStream(file).pipe(res);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
