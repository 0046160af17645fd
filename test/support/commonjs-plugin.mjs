/**
 * A dev-server plugin for the test runner: serves CommonJS files from node_modules (spark-md5,
 * and the lodash, classnames, namespace-emitter… that Uppy pulls in) as ES modules, each
 * bundled with esbuild when first requested. Vite does this itself for the demo and the build;
 * the test runner's dev server serves files as they are.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';

const esmSyntax = /^\s*(import|export)\s/m;
const cjsSyntax = /\b(module\.exports|exports\.[\w$]+\s*=|require\()/;

export function commonjsPlugin({ rootDir = process.cwd() } = {}) {
  const cache = new Map();
  return {
    name: 'commonjs-as-esm',
    async serve(context) {
      const urlPath = decodeURIComponent(context.path);
      if (!urlPath.includes('/node_modules/') || !/\.c?js$/.test(urlPath)) return undefined;
      const file = path.join(rootDir, urlPath);
      if (cache.has(file)) return { body: cache.get(file), type: 'js' };
      let source;
      try {
        source = await readFile(file, 'utf8');
      } catch {
        return undefined;
      }
      if (esmSyntax.test(source) || !cjsSyntax.test(source)) return undefined;
      const result = await build({
        entryPoints: [file],
        bundle: true,
        format: 'esm',
        write: false,
        platform: 'browser',
        define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
        logLevel: 'silent',
      });
      const body = result.outputFiles[0].text;
      cache.set(file, body);
      return { body, type: 'js' };
    },
  };
}
