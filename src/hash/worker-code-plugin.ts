/**
 * Build-time Vite plugin (Node, not browser code): `import code from 'worker-code:./x.worker.ts'`
 * gives the worker `./x.worker.ts` bundled and minified by Vite as one ES module, as a string.
 * The self-contained build (vite.config.ts) starts its workers from that code itself
 * (md5-worker-factory.inline.ts, trusted-worker.ts), where Vite's `?worker&inline` would call
 * `new Worker` with a plain string (refused under Trusted Types) and fall back to `data:` URLs.
 *
 * Without this plugin the import fails to resolve: the build stops instead of shipping a script
 * without workers.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { build, type Plugin, type Rolldown } from 'vite';

const PREFIX = 'worker-code:';
const RESOLVED = `\0${PREFIX}`;

export function workerCodePlugin(): Plugin {
  return {
    name: 'mixpeek-worker-code',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!source.startsWith(PREFIX)) return null;
      const path = source.slice(PREFIX.length);
      return RESOLVED + (isAbsolute(path) ? path : resolve(importer ? dirname(importer) : process.cwd(), path));
    },
    async load(id) {
      if (!id.startsWith(RESOLVED)) return null;
      const entry = id.slice(RESOLVED.length);
      const built = await build({
        configFile: false,
        logLevel: 'silent',
        publicDir: false,
        resolve: { conditions: ['production', 'browser', 'module', 'import', 'default'] },
        define: { 'process.env.NODE_ENV': JSON.stringify('production') },
        build: {
          write: false,
          emptyOutDir: false,
          target: 'es2022',
          sourcemap: false,
          minify: true,
          lib: { entry, formats: ['es'] },
          rolldownOptions: { output: { codeSplitting: false, minify: true, comments: false } },
        },
      });
      const chunk = ([built].flat() as Rolldown.RolldownOutput[])[0]?.output[0];
      if (!chunk) throw new Error(`worker-code: nothing was built from ${entry}`);
      for (const module of chunk.moduleIds) if (!module.startsWith('\0')) this.addWatchFile(module);
      return { code: `export default ${JSON.stringify(chunk.code.trim())};`, map: { mappings: '' } };
    },
  };
}
